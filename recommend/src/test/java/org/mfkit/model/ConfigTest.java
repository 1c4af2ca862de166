package org.mfkit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mfkit.core.Solver;

/** Configurations reject bad values naming them; the documented defaults are what the code uses. */
class ConfigTest {
    private static void rejects(String name, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void badValuesAreNamed() {
        rejects("learningRate", () -> BiasedMfConfig.defaults().withLearningRate(-0.1f));
        rejects("factors", () -> AlsConfig.defaults().withFactors(0));
        rejects("lambda", () -> AlsConfig.defaults().withLambda(Float.NaN, true));
        rejects("alpha", () -> ImplicitAlsConfig.defaults().withAlphaLambda(-1f, 0.1f));
        rejects("decay", () -> BiasedMfConfig.defaults().withSchedule(LearningRateSchedule.EXPONENTIAL, 1.5f));
        rejects("divergenceFactor", () -> new BprConfig(8, 0.1f, 0f, 0f, true, NegativeSampling.UNIFORM, 0,
                LearningRateSchedule.CONSTANT, 1f, 0.1f, 1f));
        rejects("epochs", () -> TrainOptions.defaults().withEpochs(0));
        rejects("rating range", () -> TrainOptions.defaults().withRatingRange(5, 1));
        rejects("'svd'", () -> Models.trainer("svd"));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        BiasedMfConfig mf = BiasedMfConfig.defaults();
        assertEquals(32, mf.factors());
        assertEquals(0.02f, mf.learningRate());
        assertEquals(0.1f, mf.factorReg());
        assertEquals(LearningRateSchedule.INVERSE_TIME, mf.schedule());
        assertEquals(0.05f, mf.decay());
        assertEquals(0.1f, mf.initStd());
        assertTrue(AlsConfig.defaults().scaleByCount(), "weighted-λ is the explicit ALS default");
        assertEquals(0.15f, AlsConfig.defaults().lambda());
        assertEquals(Solver.cg(3), ImplicitAlsConfig.defaults().solver());
        assertEquals(10f, ImplicitAlsConfig.defaults().alpha());
        assertEquals(50f, ImplicitAlsConfig.defaults().lambda());
        assertEquals(org.mfkit.data.CountWeighting.none(), ImplicitAlsConfig.defaults().weighting());
        BprConfig bpr = BprConfig.defaults();
        assertEquals(NegativeSampling.UNIFORM, bpr.sampling());
        assertEquals(0.2f, bpr.learningRate());
        assertEquals(0.05f, bpr.factorReg());
        assertEquals(LearningRateSchedule.EXPONENTIAL, bpr.schedule());
        assertEquals(0.95f, bpr.decay());
        // Epochs: each type's own unless the options say otherwise.
        assertEquals(0, TrainOptions.defaults().epochs());
        assertEquals(40, TrainOptions.defaults().epochsFor(BiasedMfSgd.MODEL_TYPE));
        assertEquals(10, TrainOptions.defaults().epochsFor(ExplicitAls.MODEL_TYPE));
        assertEquals(6, TrainOptions.defaults().epochsFor(ImplicitAls.MODEL_TYPE));
        assertEquals(120, TrainOptions.defaults().epochsFor(Bpr.MODEL_TYPE));
        assertEquals(7, TrainOptions.defaults().withEpochs(7).epochsFor(Bpr.MODEL_TYPE));
        assertEquals(13, TrainOptions.defaultPatience(40));
        assertEquals(40, TrainOptions.defaultPatience(120));
        assertEquals(10, TrainOptions.defaultPatience(6));
        assertEquals(4, Models.TYPES.size());
        assertTrue(Models.isImplicit("bpr") && !Models.isImplicit("als"));
    }

    @Test
    void schedules() {
        assertEquals(0.1f, LearningRateSchedule.CONSTANT.rate(0.1f, 0.5f, 7));
        assertEquals(0.025f, LearningRateSchedule.EXPONENTIAL.rate(0.1f, 0.5f, 2), 1e-9f);
        assertEquals(0.05f, LearningRateSchedule.INVERSE_TIME.rate(0.1f, 0.5f, 2), 1e-9f);
    }
}
