package org.mfkit.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.data.io.LoadedRatings;
import org.mfkit.model.EpochReport;
import org.mfkit.model.FactorModel;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.Trainer;
import org.mfkit.model.TrainingResult;
import org.mfkit.model.io.ModelFile;
import org.mfkit.model.io.ModelState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mfkit train}: reads ratings, holds out a validation split, trains the chosen model
 * with a progress line per epoch, and saves it (atomically, with the id maps and how it was
 * trained, the input file included, so that {@code recommend} can exclude seen items).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a factor model on a ratings file and save it as a model file (.mfm).",
                "Holds out a validation split (--validation: random ratings for biased-mf and als, that fraction of each user's items for implicit-als and bpr) and reports its metric after every epoch: "
                        + "RMSE for biased-mf and als, Recall@K for implicit-als and bpr; stops once it no longer "
                        + "improves (--patience) and saves the best epoch's model.",
                "Example: mfkit train -i u.data --type biased-mf -k 64 --epochs 30 -o ml100k.mfm"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Option(names = {"-o", "--output"}, paramLabel = "MODEL", required = true,
            description = "The model file to write (replaced atomically when it exists).")
    Path output;

    @Mixin
    ModelSettings model;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Most epochs to run (ALS: sweeps over both sides) (default: the model type's, "
                    + "biased-mf 40, als 10, implicit-als 6, bpr 120).")
    Integer epochs;

    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.1",
            description = "Fraction of the ratings held out to validate each epoch: random ratings for biased-mf and als, "
                    + "that fraction of each user's items for implicit-als and bpr; 0 = none (default: ${DEFAULT-VALUE}). "
                    + "The model is trained on the rest.")
    double validation;

    @Option(names = "--patience", paramLabel = "N",
            description = "Stop after N epochs without a better validation metric and keep the best epoch's model; "
                    + "0 = run every epoch (default with a validation split: a third of the epochs, at least 10; "
                    + "without: 0).")
    Integer patience;

    @Option(names = "--metric-k", paramLabel = "K", defaultValue = "10",
            description = "K of the Recall@K validation metric of implicit-als and bpr (default: ${DEFAULT-VALUE}).")
    int metricK;

    @Option(names = "--loss-every", paramLabel = "N", defaultValue = "0",
            description = "als, implicit-als, bpr: also compute the training loss after every N-th epoch (ALS: an extra "
                    + "pass over the ratings; BPR: a logarithm per triple); 0 = only after the last epoch (default: "
                    + "${DEFAULT-VALUE}). biased-mf shows its loss every epoch at no cost.")
    int lossEvery;

    @Option(names = "--rating-range", paramLabel = "MIN,MAX",
            description = "biased-mf, als: the ratings' allowed range, e.g. 1,5; a rating outside it is an error and "
                    + "predictions are clipped to it (default: the range seen in the data).")
    String ratingRange;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the split, the initialization, the shuffles and the negative samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    BackendSelection backend;

    @Option(names = "--plain", description = "One line per epoch instead of a progress bar, even on a terminal.")
    boolean plain;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Everything that can be checked without the data is checked first: a run that would
        // fail at the end must fail before minutes of training.
        if (epochs != null && epochs < 1) throw new IllegalArgumentException("--epochs = " + epochs + " must be >= 1");
        if (!(validation >= 0 && validation < 1)) {
            throw new IllegalArgumentException("--validation = " + validation + " must be in [0, 1)");
        }
        if (patience != null && patience < 0) throw new IllegalArgumentException("--patience = " + patience + " must be >= 0");
        if (patience != null && patience > 0 && validation == 0) {
            throw new IllegalArgumentException("--patience needs a validation split (--validation > 0)");
        }
        int maxEpochs = epochs != null ? epochs : model.type.defaultEpochs();
        // Early stopping is on by default wherever there is a split to stop on.
        int stopAfter = patience != null ? patience : validation > 0 ? TrainOptions.defaultPatience(maxEpochs) : 0;
        if (metricK < 1) throw new IllegalArgumentException("--metric-k = " + metricK + " must be >= 1");
        if (lossEvery < 0) throw new IllegalArgumentException("--loss-every = " + lossEvery + " must be >= 0");
        float[] range = ratingRange == null ? null : parseRange(ratingRange);
        if (range != null && model.type.implicit()) {
            throw new IllegalArgumentException("--rating-range applies to explicit models (" + ModelSettings.explicitTypes()
                    + "), not " + model.type.name());
        }
        OutputFile.check("--output", output, input.namedFile());
        Trainer trainer = model.trainer();

        try (Kernels kernels = backend.open()) {
            LoadedRatings loaded = input.read(out);
            Ratings all = loaded.ratings();
            if (all.size() == 0) throw new IllegalArgumentException(loaded.file() + " holds no ratings");
            Ratings train = all;
            Ratings held = null;
            if (validation > 0) {
                // Recall@K is a per-user average, so implicit models hold out a fraction of every
                // user's items, as the evaluation does; a random split of interactions weights heavy
                // users by their counts, and early stopping on it kept early, pre-plateau BPR epochs
                // (docs/MODELS.md, "How the defaults were chosen").
                Split split = model.type.implicit() ? Splits.perUser(all, validation, seed)
                        : Splits.random(all, validation, seed);
                train = split.train();
                held = split.test();
                out.printf(Locale.ROOT, "Validation: %,d ratings held out (%.0f%%), training on %,d%n", held.size(),
                        validation * 100, train.size());
            }
            TrainOptions options = TrainOptions.defaults().withEpochs(maxEpochs).withSeed(seed).withValidation(held)
                    .withEarlyStopping(stopAfter).withValidationK(metricK).withLossEvery(lossEvery);
            if (range != null) options = options.withRatingRange(range[0], range[1]);
            out.printf(Locale.ROOT, "Training %s on %s (%s), %s, seed %d%n", model.type.name(), kernels.backendName(),
                    threadsNote(), stopAfter > 0 ? "up to " + maxEpochs + " epochs, stopping after " + stopAfter
                            + " without a better validation " + (model.type.implicit() ? "recall@" + metricK : "rmse")
                            : maxEpochs + " epochs", seed);
            out.flush();
            TrainingResult result;
            try (EpochProgress progress = EpochProgress.start(model.type.name(), maxEpochs, out, plain)) {
                result = trainer.fit(kernels, train, options.withListener(r -> progress.epoch(r.epoch(), describe(r))));
            }
            summarize(out, result);
            Map<String, String> extra = new LinkedHashMap<>(input.record(loaded));
            extra.put("validation", Double.toString(validation));
            if (stopAfter > 0) extra.put("patience", Integer.toString(stopAfter));
            extra.put("trained.epochs", Integer.toString(result.history().size()));
            extra.put("trained.best-epoch", Integer.toString(result.bestEpoch()));
            ModelState state = withSettings(result.model(), extra);
            ModelFile.save(state, output);
            out.printf(Locale.ROOT, "Saved %s: %s, k = %d, %,d users x %,d items (%s)%n", output, state.type(), state.k(),
                    state.numUsers(), state.numItems(), size(output));
            out.flush();
        }
        return 0;
    }

    private String threadsNote() {
        return backend.threads == 0 ? "all " + Runtime.getRuntime().availableProcessors() + " threads"
                : backend.threads + " thread" + (backend.threads == 1 ? "" : "s");
    }

    /**
     * The epoch's progress message: the loss where it was computed (see --loss-every) and,
     * with a validation set, the metric; "-" when neither.
     */
    static String describe(EpochReport r) {
        String loss = Double.isNaN(r.loss()) ? "" : String.format(Locale.ROOT, "loss %.4g", r.loss());
        if (Double.isNaN(r.validation())) return loss.isEmpty() ? "-" : loss;
        String metric = String.format(Locale.ROOT, "val %s %.4f", r.metricName(), r.validation());
        return loss.isEmpty() ? metric : loss + "  " + metric;
    }

    private static void summarize(PrintWriter out, TrainingResult result) {
        EpochReport best = result.history().get(result.bestEpoch() - 1);
        double trainSeconds = 0;
        for (EpochReport r : result.history()) trainSeconds += r.elapsedNanos() / 1e9;
        out.printf(Locale.ROOT, "Trained %d epoch%s in %.2f s (%.1f ms per epoch)%s%n", result.history().size(),
                result.history().size() == 1 ? "" : "s", trainSeconds, 1000 * trainSeconds / result.history().size(),
                result.stoppedEarly() ? ", stopped early" : "");
        if (!Double.isNaN(best.validation())) {
            out.printf(Locale.ROOT, "Model of epoch %d: validation %s %.4f%n", result.bestEpoch(), best.metricName(),
                    best.validation());
        }
    }

    /** The model's state with {@code extra} added to the settings it records. */
    static ModelState withSettings(FactorModel model, Map<String, String> extra) {
        ModelState s = model.toState();
        Map<String, String> hp = new LinkedHashMap<>(s.hyperParameters());
        hp.putAll(extra);
        return new ModelState(s.type(), s.k(), s.numUsers(), s.numItems(), s.globalMean(), hp, s.userFactors(),
                s.itemFactors(), s.userBias(), s.itemBias(), s.userIds(), s.itemIds(), s.countStatistics());
    }

    static float[] parseRange(String text) {
        String[] parts = text.split(",");
        if (parts.length == 2) {
            try {
                float min = Float.parseFloat(parts[0].trim());
                float max = Float.parseFloat(parts[1].trim());
                if (Float.isFinite(min) && Float.isFinite(max) && min < max) return new float[] {min, max};
            } catch (NumberFormatException e) {
                // reported below with the whole value
            }
        }
        throw new IllegalArgumentException("--rating-range " + text + ": expected MIN,MAX with MIN < MAX, e.g. 1,5");
    }

    static String size(Path file) {
        try {
            long bytes = Files.size(file);
            if (bytes < 10_000) return bytes + " bytes";
            if (bytes < 10_000_000) return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        } catch (java.io.IOException e) {
            return "size unknown";
        }
    }
}
