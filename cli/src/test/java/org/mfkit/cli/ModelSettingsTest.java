package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mfkit.data.CountWeighting;
import org.mfkit.model.AlsConfig;
import org.mfkit.model.BiasedMfConfig;
import org.mfkit.model.BprConfig;
import org.mfkit.model.ImplicitAlsConfig;
import org.mfkit.model.LearningRateSchedule;
import org.mfkit.model.Models;
import picocli.CommandLine;

/** {@code mfkit train}'s model options: defaults are the models' own, and the help says them right. */
class ModelSettingsTest {
    private static TrainCommand parse(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "train";
        all[1] = "-i";
        all[2] = "in.csv";
        all[3] = "-o";
        all[4] = "out.mfm";
        System.arraycopy(args, 0, all, 5, args.length);
        CommandLine cl = Main.commandLine();
        return cl.parseArgs(all).subcommand().commandSpec().commandLine().getCommand();
    }

    @Test
    void withoutOptionsEveryTypeGetsItsDocumentedDefaults() {
        assertEquals(BiasedMfConfig.defaults(), parse().model.config());
        assertEquals(AlsConfig.defaults(), parse("--type", "als").model.config());
        assertEquals(ImplicitAlsConfig.defaults(), parse("--type", "implicit-als").model.config());
        assertEquals(BprConfig.defaults(), parse("--type", "BPR").model.config());
    }

    @Test
    void optionsReachTheConfiguration() {
        BiasedMfConfig mf = (BiasedMfConfig) parse("-k", "12", "--learning-rate", "0.02", "--reg", "0.1", "--bias-reg", "0.2",
                "--schedule", "inverse-time", "--decay", "0.5", "--init-std", "0.05").model.config();
        assertEquals(new BiasedMfConfig(12, 0.02f, 0.1f, 0.2f, LearningRateSchedule.INVERSE_TIME, 0.5f, 0.05f, true, 1.5f), mf);
        ImplicitAlsConfig als = (ImplicitAlsConfig) parse("--type", "implicit-als", "--alpha", "40", "--lambda", "0.5",
                "--solver", "cholesky").model.config();
        assertEquals(40f, als.alpha());
        assertEquals(0.5f, als.lambda());
        assertEquals(org.mfkit.core.Solver.cholesky(), als.solver());
        ImplicitAlsConfig bm25 = (ImplicitAlsConfig) parse("--type", "implicit-als", "--weighting", "BM25", "--bm25-k1", "1.2",
                "--bm25-b", "0.75").model.config();
        assertEquals(CountWeighting.bm25(1.2f, 0.75f), bm25.weighting());
        BprConfig bpr = (BprConfig) parse("--type", "bpr", "--weighting", "log", "--log-epsilon", "0.1").model.config();
        assertEquals(CountWeighting.log(0.1f), bpr.weighting());
    }

    @Test
    void theHelpStatesTheModelsActualDefaults() {
        String help = Main.commandLine().getSubcommands().get("train").getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
        BiasedMfConfig mf = BiasedMfConfig.defaults();
        BprConfig bpr = BprConfig.defaults();
        String[] expected = {
                "Latent factors (default " + mf.factors() + ")",
                "initial learning rate (default " + mf.learningRate() + "; bpr " + bpr.learningRate() + ")",
                "(default: biased-mf " + mf.factorReg() + ", als " + AlsConfig.defaults().lambda() + ", implicit-als "
                        + (int) ImplicitAlsConfig.defaults().lambda() + ", bpr " + bpr.factorReg() + ")",
                "regularization of the biases (default " + mf.biasReg() + "; bpr " + bpr.biasReg() + ")",
                "confidence 1 + alpha*w, w the weighted count (default " + (int) ImplicitAlsConfig.defaults().alpha() + ")",
                "(default: als " + AlsConfig.defaults().solver().kind().name().toLowerCase() + ", implicit-als cg"
                        + ImplicitAlsConfig.defaults().solver().cgSteps() + ")",
                "(default: biased-mf " + mf.schedule().name().toLowerCase().replace("_", "-") + ", bpr " + bpr.schedule().name().toLowerCase() + ")",
                "(default: biased-mf " + mf.decay() + ", bpr " + bpr.decay() + ")",
                "negative sampling, " + bpr.sampling().name().toLowerCase() + " (default)",
                "(default: the model type's, biased-mf " + Models.type("biased-mf").defaultEpochs() + ", als "
                        + Models.type("als").defaultEpochs() + ", implicit-als " + Models.type("implicit-als").defaultEpochs()
                        + ", bpr " + Models.type("bpr").defaultEpochs() + ")",
        };
        for (String text : expected) assertTrue(help.contains(text), text + "\n" + help);
    }
}
