package org.mfkit.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.core.Backends;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.model.FactorModel;
import org.mfkit.model.FoldIn;
import org.mfkit.model.io.ModelFile;
import org.mfkit.model.Recommender;
import org.mfkit.model.ScoredItem;

/** Recommendations, predictions, persistence and conversion of {@link MfAlsModel}. */
class MfAlsModelTest {
    private static Ratings data;
    private static Dataset<Row> frame;
    private static MfAlsModel explicitModel;
    private static MfAlsModel implicitModel;

    @BeforeAll
    static void fit() {
        // Ids shifted and spread out so dense indices and ids differ.
        Ratings base = RealisticRatings.generate(200, 150, 4000, 8, 21);
        int[] users = new int[base.size()];
        int[] items = new int[base.size()];
        for (int j = 0; j < base.size(); j++) {
            users[j] = base.user(j) * 3 + 1000;
            items[j] = base.item(j) * 7 + 5;
        }
        data = new Ratings(200 * 3 + 1000, 150 * 7 + 5, users, items, base.values());
        frame = SparkTestSession.frame(data, 2).cache();
        explicitModel = new MfAls().setRank(5).setMaxIter(3).setNumBlocks(2).fit(frame);
        implicitModel = new MfAls().setRank(5).setMaxIter(3).setNumBlocks(3).setImplicitPrefs(true).setAlpha(3)
                .setWeighting("bm25").fit(frame);
    }

    @Test
    void topKEqualsKernelTopKInBothModesWithAndWithoutSeenItems() {
        for (MfAlsModel model : new MfAlsModel[] {explicitModel, implicitModel}) {
            for (boolean excludeSeen : new boolean[] {true, false}) {
                Map<Integer, List<int[]>> expected = kernelTopK(model.toFactorModel(), 7, excludeSeen);
                for (long threshold : new long[] {SharedParams.DEFAULT_BROADCAST_THRESHOLD, 0L}) {
                    model.setExcludeSeen(excludeSeen).setBroadcastThreshold(threshold);
                    Map<Integer, List<int[]>> got = lists(model.recommendForAllUsers(7));
                    String where = (model.isImplicit() ? "implicit" : "explicit") + ", excludeSeen " + excludeSeen
                            + ", threshold " + threshold;
                    assertEquals(expected.keySet(), got.keySet(), where);
                    for (Integer user : expected.keySet()) {
                        assertArrayEquals(expected.get(user).get(0), got.get(user).get(0), where + ", user " + user);
                        assertArrayEquals(expected.get(user).get(1), got.get(user).get(1), where + ", user " + user);
                    }
                }
            }
        }
        explicitModel.setExcludeSeen(false).setBroadcastThreshold(SharedParams.DEFAULT_BROADCAST_THRESHOLD);
        implicitModel.setExcludeSeen(false).setBroadcastThreshold(SharedParams.DEFAULT_BROADCAST_THRESHOLD);
    }

    /** Kernels.topK on the collected factors: items and the scores' bits, per external user id. */
    private static Map<Integer, List<int[]>> kernelTopK(FactorModel m, int k, boolean excludeSeen) {
        int nu = m.numUsers();
        int ni = m.numItems();
        Map<String, Integer> itemDense = new HashMap<>();
        for (int d = 0; d < ni; d++) itemDense.put(m.itemIds().externalId(d), d);
        int[] rowPtr = new int[nu + 1];
        List<List<Integer>> seen = new ArrayList<>();
        for (int u = 0; u < nu; u++) seen.add(new ArrayList<>());
        for (int j = 0; j < data.size(); j++) {
            int u = m.userIds().find(Integer.toString(data.user(j)));
            seen.get(u).add(itemDense.get(Integer.toString(data.item(j))));
        }
        List<Integer> cols = new ArrayList<>();
        for (int u = 0; u < nu; u++) {
            seen.get(u).sort(null);
            cols.addAll(seen.get(u));
            rowPtr[u + 1] = cols.size();
        }
        int[] items = new int[nu * k];
        float[] scores = new float[nu * k];
        try (Kernels kernels = Backends.open("best");
             DenseMatrix p = kernels.matrix(nu, m.k(), m.userFactors());
             DenseMatrix q = kernels.matrix(ni, m.k(), m.itemFactors());
             DenseMatrix bias = m.hasItemBias() ? kernels.vector(m.itemBias()) : null;
             IndexArray rows = kernels.indices("rows", BlockedAls.range(nu));
             CsrMatrix exclude = excludeSeen ? kernels.csr(nu, ni, rowPtr,
                     cols.stream().mapToInt(Integer::intValue).toArray(), new float[cols.size()]) : null) {
            kernels.topK(p, rows, q, bias, exclude, k, items, scores);
        }
        Map<Integer, List<int[]>> out = new HashMap<>();
        for (int u = 0; u < nu; u++) {
            List<Integer> ids = new ArrayList<>();
            List<Integer> bits = new ArrayList<>();
            float offset = m.hasUserBias() ? m.globalMean() + m.userBias(u) : 0f;
            for (int s = u * k; s < u * k + k && items[s] >= 0; s++) {
                ids.add(Integer.parseInt(m.itemIds().externalId(items[s])));
                bits.add(Float.floatToIntBits(scores[s] + offset));
            }
            out.put(Integer.parseInt(m.userIds().externalId(u)), List.of(
                    ids.stream().mapToInt(Integer::intValue).toArray(), bits.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    private static Map<Integer, List<int[]>> lists(Dataset<Row> recommendations) {
        Map<Integer, List<int[]>> out = new HashMap<>();
        for (Row r : recommendations.collectAsList()) {
            List<Row> list = r.getList(1);
            int[] ids = new int[list.size()];
            int[] bits = new int[list.size()];
            for (int j = 0; j < list.size(); j++) {
                ids[j] = list.get(j).getInt(0);
                bits[j] = Float.floatToIntBits(list.get(j).getFloat(1));
            }
            out.put(r.getInt(0), List.of(ids, bits));
        }
        return out;
    }

    @Test
    void subsetsAndItemSideRecommendations() {
        List<Row> some = Arrays.asList(RowFactory.create(data.user(0), data.item(0), 1f),
                RowFactory.create(data.user(10), data.item(10), 1f), RowFactory.create(99999, 99999, 1f));
        Dataset<Row> subset = SparkTestSession.get().createDataFrame(some, SparkTestSession.RATINGS);
        Map<Integer, List<int[]>> all = lists(explicitModel.recommendForAllUsers(4));
        Map<Integer, List<int[]>> part = lists(explicitModel.recommendForUserSubset(subset, 4));
        assertEquals(2, part.size(), "the unknown id 99999 is skipped");
        for (Integer user : part.keySet()) assertArrayEquals(all.get(user).get(0), part.get(user).get(0));
        Map<Integer, List<int[]>> items = lists(explicitModel.recommendForItemSubset(subset, 3));
        assertEquals(2, items.size());
        Map<Integer, List<int[]>> allItems = lists(explicitModel.recommendForAllItems(3));
        for (Integer item : items.keySet()) assertArrayEquals(allItems.get(item).get(0), items.get(item).get(0));
    }

    @Test
    void factorModelServesTheSameRecommendationsAndPredictions(@TempDir Path dir) throws Exception {
        // Through a model file, as the CLI would read it.
        Path file = dir.resolve("als.mfm");
        ModelFile.save(explicitModel.toFactorModel().toState(), file);
        FactorModel m = FactorModel.fromState(ModelFile.load(file));
        Map<Integer, List<int[]>> spark = lists(explicitModel.setExcludeSeen(true).recommendForAllUsers(5));
        explicitModel.setExcludeSeen(false);
        Ratings seen = new Ratings(m.numUsers(), m.numItems(), dense(m, true), dense(m, false), data.values());
        try (Kernels kernels = Backends.open("best"); Recommender rec = new Recommender(kernels, m, seen)) {
            for (int u = 0; u < m.numUsers(); u += 17) {
                List<ScoredItem> top = rec.recommend(u, 5);
                int[] ids = top.stream().mapToInt(s -> Integer.parseInt(m.itemIds().externalId(s.index()))).toArray();
                assertArrayEquals(spark.get(Integer.parseInt(m.userIds().externalId(u))).get(0), ids, "user " + u);
            }
            // Fold-in reads the recorded settings (biased ALS's joint solve).
            FoldIn folded = rec.foldIn(new int[] {0, 1, 2}, new float[] {5f, 1f, 4f});
            for (float v : folded.factors()) assertTrue(Float.isFinite(v));
            assertTrue(Float.isFinite(folded.bias()) && folded.bias() != 0f);
        }
        for (MfAlsModel model : new MfAlsModel[] {explicitModel, implicitModel}) {
            FactorModel local = model.toFactorModel();
            for (Row r : model.transform(frame.limit(50)).collectAsList()) {
                int u = local.userIds().find(Integer.toString(r.getInt(0)));
                int i = local.itemIds().find(Integer.toString(r.getInt(1)));
                assertEquals(local.predict(u, i), r.getFloat(3), 1e-5f);
            }
        }
    }

    private static int[] dense(FactorModel m, boolean users) {
        int[] out = new int[data.size()];
        for (int j = 0; j < data.size(); j++) {
            out[j] = users ? m.userIds().find(Integer.toString(data.user(j)))
                    : m.itemIds().find(Integer.toString(data.item(j)));
        }
        return out;
    }

    @Test
    void coldStartStrategies() {
        List<Row> rows = Arrays.asList(RowFactory.create(data.user(0), data.item(0), 4f),
                RowFactory.create(424242, data.item(0), 3f));
        Dataset<Row> test = SparkTestSession.get().createDataFrame(rows, SparkTestSession.RATINGS);
        List<Row> nan = explicitModel.setColdStartStrategy("nan").transform(test).collectAsList();
        assertEquals(2, nan.size());
        assertTrue(nan.stream().anyMatch(r -> Float.isNaN(r.getFloat(3))));
        assertEquals(1, explicitModel.setColdStartStrategy("drop").transform(test).count());
        explicitModel.setColdStartStrategy("nan");
    }

    @Test
    void saveAndLoadKeepEverything(@TempDir Path dir) throws Exception {
        for (MfAlsModel model : new MfAlsModel[] {explicitModel, implicitModel}) {
            String path = dir.resolve(model.isImplicit() ? "implicit" : "explicit").toString();
            model.write().overwrite().save(path);
            MfAlsModel loaded = MfAlsModel.load(path);
            assertEquals(model.uid(), loaded.uid());
            FactorModel a = model.toFactorModel();
            FactorModel b = loaded.toFactorModel();
            assertArrayEquals(a.userFactors(), b.userFactors(), 0f);
            assertArrayEquals(a.itemFactors(), b.itemFactors(), 0f);
            assertEquals(a.globalMean(), b.globalMean(), 0f);
            assertEquals(a.hyperParameters(), b.hyperParameters());
            if (model.isImplicit()) {
                // BM25's statistics travel with the model, for fold-in after loading.
                assertEquals("BM25", b.hyperParameters().get("weighting"));
                assertArrayEquals(a.countStatistics().userCounts(), b.countStatistics().userCounts(), 0f);
                assertArrayEquals(a.countStatistics().itemSums(), b.countStatistics().itemSums(), 0f);
            } else {
                assertEquals(null, b.countStatistics());
            }
            assertEquals(lists(model.recommendForAllUsers(3)).keySet(), lists(loaded.recommendForAllUsers(3)).keySet());
            // A loaded model has no training ratings: excluding seen items needs them passed in.
            loaded.setExcludeSeen(true);
            assertThrows(IllegalStateException.class, () -> loaded.recommendForAllUsers(3));
            model.setExcludeSeen(true);
            Map<Integer, List<int[]>> fitted = lists(model.recommendForAllUsers(3));
            model.setExcludeSeen(false);
            Map<Integer, List<int[]>> passed = lists(loaded.recommendForAllUsers(3, frame));
            for (Integer user : fitted.keySet()) assertArrayEquals(fitted.get(user).get(0), passed.get(user).get(0));
        }
        MfAls estimator = new MfAls().setRank(4).setRegParam(0.2).setSolver("Subspace8").setNumUserBlocks(3)
                .setImplicitPrefs(true).setWeighting("bm25").setBm25K1(40).setBm25B(0.5);
        estimator.write().overwrite().save(dir.resolve("estimator").toString());
        MfAls back = MfAls.load(dir.resolve("estimator").toString());
        assertEquals(4, back.getRank());
        assertEquals(0.2, back.getRegParam());
        assertEquals("subspace8", back.getSolver());
        assertEquals(3, back.getNumUserBlocks());
        assertEquals("bm25", back.getWeighting());
        assertEquals(40.0, back.getBm25K1());
        assertEquals(0.5, back.getBm25B());
        assertTrue(back.isSet(back.bm25K1()) && !back.isSet(back.logEpsilon()));
        MfAls logged = MfAls.load(saved(dir, new MfAls().setImplicitPrefs(true).setWeighting("log").setLogEpsilon(2)));
        assertEquals("log", logged.getWeighting());
        assertEquals(2.0, logged.getLogEpsilon());
    }

    private static String saved(Path dir, MfAls estimator) throws Exception {
        String path = dir.resolve(estimator.uid()).toString();
        estimator.write().overwrite().save(path);
        return path;
    }

    /** Bad solver and weighting settings: rejected when set, or by fit before any job runs, naming the param. */
    @Test
    void weightingAndSolverParamsAreValidated() {
        MfAls als = new MfAls();
        for (String bad : new String[] {"subspace0", "subspace", "subspacex", "cg3x", "lu"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> als.setSolver(bad));
            assertTrue(e.getMessage().contains("solver") && e.getMessage().contains(bad), e.getMessage());
        }
        assertEquals("subspace16", als.setSolver("SUBSPACE16").getSolver());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> als.setWeighting("tfidf"));
        assertTrue(w.getMessage().contains("weighting") && w.getMessage().contains("tfidf"), w.getMessage());
        assertThrows(IllegalArgumentException.class, () -> als.setLogEpsilon(0));
        assertThrows(IllegalArgumentException.class, () -> als.setBm25K1(-1));
        assertThrows(IllegalArgumentException.class, () -> als.setBm25B(1.5));
        // As the CLI: explicit ratings take no weighting; a parameter of another weighting is an error.
        IllegalArgumentException explicit = assertThrows(IllegalArgumentException.class,
                () -> new MfAls().setWeighting("log").fit(frame));
        assertTrue(explicit.getMessage().contains("weighting = 'log'")
                && explicit.getMessage().contains("implicitPrefs"), explicit.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> new MfAls().setImplicitPrefs(true).setWeighting("log").setBm25K1(3).fit(frame));
        assertTrue(other.getMessage().startsWith("bm25K1 applies to weighting 'bm25'"), other.getMessage());
        IllegalArgumentException epsilon = assertThrows(IllegalArgumentException.class,
                () -> new MfAls().setImplicitPrefs(true).setLogEpsilon(3).fit(frame));
        assertTrue(epsilon.getMessage().startsWith("logEpsilon applies to weighting 'log', not 'none'"),
                epsilon.getMessage());
    }

    @Test
    void pipelineRoundTrip(@TempDir Path dir) throws Exception {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new MfAls().setRank(4).setMaxIter(2).setNumBlocks(2)});
        PipelineModel fitted = pipeline.fit(frame);
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> a = fitted.transform(frame).orderBy("user", "item").collectAsList();
        List<Row> b = loaded.transform(frame).orderBy("user", "item").collectAsList();
        assertEquals(a, b);
        pipeline.write().overwrite().save(dir.resolve("unfitted").toString());
        Pipeline back = Pipeline.load(dir.resolve("unfitted").toString());
        assertEquals(4, ((MfAls) back.getStages()[0]).getRank());
    }

    @Test
    void badInputIsRejectedWithTheColumnNamed() {
        List<Row> rows = Arrays.asList(RowFactory.create(1, 2, 3f), RowFactory.create(1, 3, Float.NaN));
        Dataset<Row> nan = SparkTestSession.get().createDataFrame(rows, SparkTestSession.RATINGS);
        Exception e = assertThrows(Exception.class, () -> new MfAls().setMaxIter(1).fit(nan));
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("column 'rating'"), rootCause(e).getMessage());
        List<Row> negative = Arrays.asList(RowFactory.create(1, 2, -1f));
        Exception n = assertThrows(Exception.class, () -> new MfAls().setImplicitPrefs(true).setMaxIter(1)
                .fit(SparkTestSession.get().createDataFrame(negative, SparkTestSession.RATINGS)));
        assertTrue(rootCause(n).getMessage().contains(">= 0"), rootCause(n).getMessage());
        Dataset<Row> fractional = SparkTestSession.get().createDataFrame(rows, SparkTestSession.RATINGS)
                .selectExpr("user + 0.5 as user", "item", "rating");
        Exception f = assertThrows(Exception.class, () -> new MfAls().setMaxIter(1).fit(fractional));
        assertTrue(rootCause(f).getMessage().contains("column 'user'"), rootCause(f).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MfAls().setItemCol("missing").fit(frame));
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }
}
