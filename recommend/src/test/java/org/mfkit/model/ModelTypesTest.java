package org.mfkit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mfkit.core.Solver;
import org.mfkit.data.CountWeighting;

/** The built-in descriptors: settings round trips, defaults for absent keys, named errors, the registry. */
class ModelTypesTest {
    /** A non-default configuration of each built-in type, every field changed. */
    private static final List<Object> CHANGED = List.of(
            new BiasedMfConfig(7, 0.03f, 0.2f, 0.3f, LearningRateSchedule.INVERSE_TIME, 0.5f, 0.2f, false, 3f),
            new AlsConfig(5, 0.4f, false, Solver.cg(4), 0.3f, false),
            new ImplicitAlsConfig(6, 20f, 0.5f, Solver.cholesky(), 0.02f, new CountWeighting(CountWeighting.Scheme.BM25,
                    0.5f, 1.2f, 0.75f)),
            new BprConfig(9, 0.1f, 0.01f, 0.02f, false, NegativeSampling.POPULARITY, 500,
                    LearningRateSchedule.EXPONENTIAL, 0.9f, 0.05f, 2f, CountWeighting.log(0.25f)));

    @Test
    void everyBuiltInTypeIsRegisteredUnderItsName() {
        assertEquals(Models.TYPES, Models.names().subList(0, 4));
        for (String name : Models.TYPES) {
            assertEquals(name, Models.type(name).name());
            assertEquals(name, Models.trainer(name).type());
        }
        assertTrue(Models.type("bpr").implicit() && Models.type("implicit-als").implicit());
        assertTrue(!Models.type("als").implicit() && !Models.type("biased-mf").implicit());
    }

    @Test
    void settingsReadBackToTheSameConfiguration() {
        for (int t = 0; t < Models.TYPES.size(); t++) {
            ModelType<?> type = Models.type(Models.TYPES.get(t));
            assertRoundTrip(type, type.defaults());
            assertRoundTrip(type, CHANGED.get(t));
        }
    }

    private static <C> void assertRoundTrip(ModelType<C> type, Object config) {
        C c = cast(type, config);
        Map<String, String> map = type.toMap(c);
        assertEquals(type.settingKeys(), map.keySet(), type.name());
        assertEquals(c, type.fromMap(map), type.name());
        // What a model file adds beside the configuration is ignored.
        Map<String, String> file = new HashMap<>(map);
        file.put("seed", "42");
        file.put("backend", "scalar");
        file.put("clip.min", "1.0");
        assertEquals(c, type.fromMap(file), type.name());
    }

    @SuppressWarnings("unchecked")
    private static <C> C cast(ModelType<C> type, Object config) {
        assertEquals(type.defaults().getClass(), config.getClass());
        return (C) config;
    }

    @Test
    void absentSettingsKeepTheirDefaults() {
        for (String name : Models.TYPES) assertEquals(Models.type(name).defaults(), Models.type(name).fromMap(Map.of()));
        assertEquals(BiasedMfConfig.defaults().withFactors(12), BiasedMfSgd.MODEL_TYPE.fromMap(Map.of("factors", "12")));
    }

    @Test
    void settingsAreReadTheWayPeopleWriteThem() {
        assertEquals(Solver.cg(3), ExplicitAls.MODEL_TYPE.fromMap(Map.of("solver", "cg3")).solver());
        assertEquals(Solver.cg(3), ExplicitAls.MODEL_TYPE.fromMap(Map.of("solver", "CG(3)")).solver());
        assertEquals(Solver.cholesky(), ImplicitAls.MODEL_TYPE.fromMap(Map.of("solver", "Cholesky")).solver());
        assertEquals(Solver.subspace(16), ImplicitAls.MODEL_TYPE.fromMap(Map.of("solver", "subspace16")).solver());
        assertEquals(Solver.subspace(8), ImplicitAls.MODEL_TYPE.fromMap(Map.of("solver", "SUBSPACE(8)")).solver());
        assertEquals(Map.of("solver", "SUBSPACE(8)").get("solver"), ImplicitAls.MODEL_TYPE.toMap(
                ImplicitAlsConfig.defaults().withSolver(Solver.subspace(8))).get("solver"));
        assertEquals(LearningRateSchedule.INVERSE_TIME,
                BiasedMfSgd.MODEL_TYPE.fromMap(Map.of("schedule", "inverse-time")).schedule());
        assertEquals(NegativeSampling.POPULARITY, Bpr.MODEL_TYPE.fromMap(Map.of("sampling", "popularity")).sampling());
    }

    @Test
    void malformedSettingsNameTheKeyTheValueAndWhatWasExpected() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> ExplicitAls.MODEL_TYPE.fromMap(Map.of("solver", "cgx")));
        assertEquals("solver", e.key());
        assertEquals("cgx", e.value());
        assertEquals("solver = 'cgx': expected " + Solver.EXPECTED, e.getMessage());
        assertEquals("schedule = 'daily': expected constant, exponential or inverse-time", assertThrows(
                InvalidSettingException.class, () -> Bpr.MODEL_TYPE.fromMap(Map.of("schedule", "daily"))).getMessage());
        assertEquals("scaleByCount = 'yes': expected true or false", assertThrows(InvalidSettingException.class,
                () -> ExplicitAls.MODEL_TYPE.fromMap(Map.of("scaleByCount", "yes"))).getMessage());
        assertEquals("factors = '3.5': expected an integer", assertThrows(InvalidSettingException.class,
                () -> ImplicitAls.MODEL_TYPE.fromMap(Map.of("factors", "3.5"))).getMessage());
        // Well-formed but out of range: the configuration's own check names it.
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> BiasedMfSgd.MODEL_TYPE.fromMap(Map.of("learningRate", "-1")));
        assertTrue(range.getMessage().startsWith("learningRate = -1.0"), range.getMessage());
    }

    @Test
    void foldInFollowsTheRecordedSettings() {
        assertEquals(FoldInMethod.ExplicitSolve.withUserBias(0.2f, true, 0.3f),
                BiasedMfSgd.MODEL_TYPE.foldIn(Map.of("factorReg", "0.2", "biasReg", "0.3")));
        assertEquals(new FoldInMethod.JointBiasSolve(0.4f, false),
                ExplicitAls.MODEL_TYPE.foldIn(Map.of("lambda", "0.4", "scaleByCount", "false")));
        assertEquals(new FoldInMethod.ImplicitSolve(20f, 0.5f), ImplicitAls.MODEL_TYPE.foldIn(Map.of("alpha", "20", "lambda", "0.5")));
        assertEquals(new FoldInMethod.ImplicitSolve(10f, 0.1f), Bpr.MODEL_TYPE.foldIn(Map.of("factorReg", "0.5")),
                "BPR folds in with the HKV solve of its first files, whatever implicit ALS's defaults");
        // The count weighting travels into fold-in, so a new row is weighed as training weighed.
        assertEquals(new FoldInMethod.ImplicitSolve(10f, 0.2f, CountWeighting.bm25(50f, 0.5f)),
                ImplicitAls.MODEL_TYPE.foldIn(Map.of("alpha", "10", "lambda", "0.2", "weighting", "bm25", "bm25K1", "50",
                        "bm25B", "0.5")));
        assertEquals(new FoldInMethod.ImplicitSolve(Bpr.FOLD_IN_ALPHA, Bpr.FOLD_IN_LAMBDA, CountWeighting.log(2f)),
                Bpr.MODEL_TYPE.foldIn(Map.of("weighting", "LOG", "logEpsilon", "2")));
        InvalidSettingException bad = assertThrows(InvalidSettingException.class,
                () -> ImplicitAls.MODEL_TYPE.fromMap(Map.of("weighting", "tfidf")));
        assertTrue(bad.getMessage().contains("none, log or bm25"), bad.getMessage());
    }

    @Test
    void aTakenNameCannotBeRegisteredAgainByAnotherDescriptor() {
        Models.register(ExplicitAls.MODEL_TYPE);
        ModelType<AlsConfig> impostor = new ModelType<>("als", ModelType.Feedback.EXPLICIT, AlsConfig.defaults(),
                ExplicitAls::new) {
            @Override public Map<String, String> toMap(AlsConfig config) { return ExplicitAls.MODEL_TYPE.toMap(config); }
            @Override public AlsConfig fromMap(Map<String, String> settings) { return ExplicitAls.MODEL_TYPE.fromMap(settings); }
            @Override public FoldInMethod foldIn(AlsConfig config) { return ExplicitAls.MODEL_TYPE.foldIn(config); }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.register(impostor));
        assertTrue(e.getMessage().contains("'als' is already registered"), e.getMessage());
        assertEquals(ExplicitAls.MODEL_TYPE, Models.type("als"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Models.type("svd"));
        assertTrue(unknown.getMessage().startsWith("type = 'svd' is not a model type; known: [biased-mf, als"), unknown.getMessage());
    }
}
