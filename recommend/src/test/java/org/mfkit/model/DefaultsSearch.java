package org.mfkit.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.data.SyntheticData;
import org.mfkit.eval.Evaluator;
import org.mfkit.eval.PopularityBaseline;

/**
 * The search the model defaults (docs/MODELS.md, "How the defaults were chosen") come from: a
 * grid of settings per model type on realistic synthetic data, each setting trained for up to
 * a maximum number of epochs with the test metric recorded after every epoch, against the
 * defaults trained two ways — as the library does (the default epochs, no validation) and as
 * {@code mfkit train} does (a 10 % validation split of the training part, per user for implicit data, early stopping with
 * the CLI's patience, the best epoch's model).
 *
 * <p>Data: {@link SyntheticData.Spec#movieLens100kRealistic} (explicit; RMSE) and
 * {@link SyntheticData.Spec#movieLens100kImplicitRealistic} (Recall@10); test = 20 % (random for
 * ratings, per user for implicit data), and the grid trains on the remaining 80 % minus the validation 10 %, like the CLI
 * protocol, so every row sees the same training data. The best of the search is the best test
 * metric over every setting and epoch: an optimistic target (it picks the epoch by the test
 * metric itself).
 *
 * <p>Not a test: run it by hand (minutes per type on a 2-core machine), e.g.
 * <pre>
 * ./mvnw -q -P '!second-jdk' -pl recommend -am test-compile
 * java -cp recommend/target/test-classes:recommend/target/classes:core/target/classes \
 *     org.mfkit.model.DefaultsSearch biased-mf
 * </pre>
 * Arguments: the model type, {@code weighting} (the count-weighting comparison on play counts),
 * {@code transfer} (the implicit defaults on other data) or {@code all}; then the backend (default scalar), its threads, and {@code defaults-only} to
 * train only the defaults.
 */
public final class DefaultsSearch {
    private DefaultsSearch() {}

    /** One grid of a model type: the settings of each row and how many epochs each may run. */
    private record Grid(String type, List<Map<String, String>> rows, int maxEpochs) {}

    /** Entry point; see the class comment. */
    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "all";
        String backend = args.length > 1 ? args[1] : "scalar";
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean gridToo = !(args.length > 3 && args[3].equals("defaults-only"));
        try (Kernels kernels = Backends.open(backend, BackendOptions.threads(threads))) {
            System.out.printf("backend %s, %s, %d processors, load %s%n", kernels, System.getProperty("java.runtime.version"),
                    Runtime.getRuntime().availableProcessors(), load());
            for (Grid grid : grids()) {
                if (which.equals("all") || which.equals(grid.type())) search(kernels, grid, gridToo);
            }
            if (which.equals("all") || which.equals("weighting")) weighting(kernels);
            if (which.equals("all") || which.equals("transfer")) transfer(kernels);
        }
    }

    /** The grids of the search (docs/MODELS.md shows each with its results). */
    static List<Grid> grids() {
        List<Grid> grids = new ArrayList<>();
        List<Map<String, String>> mf = new ArrayList<>();
        for (String factors : new String[] {"16", "32", "64", "128"}) {
            for (String reg : new String[] {"0.05", "0.1", "0.15", "0.2"}) {
                for (String rate : new String[] {"0.005", "0.01", "0.02"}) {
                    mf.add(settings("factors", factors, "factorReg", reg, "learningRate", rate, "schedule", "CONSTANT"));
                }
                mf.add(settings("factors", factors, "factorReg", reg, "learningRate", "0.02", "schedule", "EXPONENTIAL",
                        "decay", "0.95"));
                mf.add(settings("factors", factors, "factorReg", reg, "learningRate", "0.02", "schedule", "INVERSE_TIME",
                        "decay", "0.05"));
            }
        }
        grids.add(new Grid(BiasedMfSgd.TYPE, mf, 100));
        List<Map<String, String>> als = new ArrayList<>();
        for (String factors : new String[] {"16", "32", "64"}) {
            for (String lambda : new String[] {"0.05", "0.1", "0.15", "0.2", "0.3"}) {
                als.add(settings("factors", factors, "lambda", lambda));
            }
        }
        grids.add(new Grid(ExplicitAls.TYPE, als, 30));
        List<Map<String, String>> hkv = new ArrayList<>();
        for (String alpha : new String[] {"0.3", "1", "3", "10"}) {
            for (String lambda : new String[] {"1", "3", "10", "20", "30", "50", "100"}) {
                hkv.add(settings("factors", "32", "alpha", alpha, "lambda", lambda));
            }
        }
        grids.add(new Grid(ImplicitAls.TYPE, hkv, 20));
        List<Map<String, String>> bpr = new ArrayList<>();
        String[][] steps = {{"0.05", "CONSTANT", "1"}, {"0.1", "CONSTANT", "1"}, {"0.1", "INVERSE_TIME", "0.02"},
                {"0.1", "EXPONENTIAL", "0.98"}, {"0.2", "EXPONENTIAL", "0.97"}, {"0.2", "EXPONENTIAL", "0.95"}};
        for (String[] step : steps) {
            for (String reg : new String[] {"0.01", "0.02", "0.05", "0.1"}) {
                bpr.add(settings("factors", "32", "learningRate", step[0], "schedule", step[1], "decay", step[2],
                        "factorReg", reg, "biasReg", reg));
            }
        }
        grids.add(new Grid(Bpr.TYPE, bpr, 150));
        return grids;
    }

    /** The data, split three ways, for explicit or implicit models. */
    private record Data(String name, Ratings fit, Ratings validation, Ratings test) {
        static Data of(boolean implicit) {
            SyntheticData.Spec spec = implicit ? SyntheticData.Spec.movieLens100kImplicitRealistic(1)
                    : SyntheticData.Spec.movieLens100kRealistic(1);
            Ratings all = SyntheticData.generate(spec).ratings();
            Split outer = implicit ? Splits.perUser(all, 0.2, 1) : Splits.random(all, 0.2, 1);
            // The validation split as mfkit train holds it out: per user for implicit data.
            Split inner = implicit ? Splits.perUser(outer.train(), 0.1, 2) : Splits.random(outer.train(), 0.1, 2);
            return new Data(implicit ? "SyntheticData.Spec.movieLens100kImplicitRealistic(1)"
                    : "SyntheticData.Spec.movieLens100kRealistic(1)", inner.train(), inner.test(), outer.test());
        }
    }

    private static void search(Kernels kernels, Grid grid, boolean gridToo) {
        ModelType<?> type = Models.type(grid.type());
        Data data = Data.of(type.implicit());
        String metric = type.implicit() ? "Recall@10" : "RMSE";
        int defaultEpochs = type.defaultEpochs();
        System.out.printf("%n## %s on %s: %,d fit, %,d validation, %,d test; test %s after each epoch, up to %d epochs%n",
                grid.type(), data.name(), data.fit().size(), data.validation().size(), data.test().size(), metric,
                grid.maxEpochs());
        if (type.implicit()) {
            System.out.printf("popularity baseline Recall@10 %.4f%n",
                    Evaluator.ranking(PopularityBaseline.fit(data.fit()), data.fit(), data.test(), 10).recall());
        }
        System.out.printf("%n| settings | best test %s (epoch) | at epoch %d | seconds |%n|---|---|---|---|%n", metric,
                defaultEpochs);
        double best = Double.NaN;
        String bestRow = null;
        long searchStart = System.nanoTime();
        for (Map<String, String> row : gridToo ? grid.rows() : List.<Map<String, String>>of()) {
            Curve c = curve(kernels, type.trainer(row), data, grid.maxEpochs(), type.implicit());
            System.out.printf(Locale.ROOT, "| %s | %.4f (%d) | %s | %.0f |%n", describe(row), c.best, c.bestEpoch,
                    c.at(defaultEpochs), c.seconds);
            if (Double.isNaN(best) || better(c.best, best, type.implicit())) {
                best = c.best;
                bestRow = describe(row) + ", epoch " + c.bestEpoch;
            }
        }
        double searchSeconds = (System.nanoTime() - searchStart) / 1e9;
        // The defaults, as the library trains them and as the CLI trains them.
        Curve library = curve(kernels, type.trainer(), data, defaultEpochs, type.implicit());
        int patience = TrainOptions.defaultPatience(defaultEpochs);
        TrainingResult cli = type.trainer().fit(kernels, data.fit(), TrainOptions.defaults().withEpochs(defaultEpochs)
                .withValidation(data.validation()).withEarlyStopping(patience));
        double cliMetric = testMetric(kernels, cli.model(), data, type.implicit());
        System.out.printf(Locale.ROOT, "%nbest of the search: %.4f (%s)%n", best, bestRow);
        System.out.printf("defaults: %s%n", describe(defaultSettings(type)));
        System.out.printf(Locale.ROOT, "defaults, library (%d epochs, no validation): %.4f (%+.4f)%n", defaultEpochs,
                library.last(), library.last() - best);
        StringBuilder curve = new StringBuilder("defaults, test " + metric + " by epoch:");
        int step = defaultEpochs <= 20 ? 1 : 5;
        for (int e = step; e <= defaultEpochs; e += step) curve.append(String.format(Locale.ROOT, " %d: %.4f", e, library.values[e - 1]));
        System.out.println(curve);
        System.out.printf(Locale.ROOT, "defaults, CLI (validation 10%%, patience %d, stopped at epoch %d, model of epoch %d): "
                + "%.4f (%+.4f)%n", patience, cli.history().size(), cli.bestEpoch(), cliMetric, cliMetric - best);
        System.out.printf(Locale.ROOT, "search %.0f s, load %s%n", searchSeconds, load());
    }

    /**
     * Count weighting on play counts ({@link SyntheticData.Spec#playCounts}, seeds 1–3, per-user
     * 20 % holdout): implicit ALS's held-out Recall@10 for each weighting over α × λ at the
     * default epochs, then BPR's with each weighting at its defaults.
     */
    private static void weighting(Kernels kernels) {
        float[] alphas = {0.01f, 0.1f, 1f, 10f};
        float[] lambdas = {1f, 10f, 50f};
        List<CountWeighting> weightings = List.of(CountWeighting.none(), CountWeighting.log(1f),
                CountWeighting.bm25(100f, 0.8f), CountWeighting.bm25(1.2f, 0.75f));
        long start = System.nanoTime();
        System.out.printf("%n## count weighting, implicit-als (defaults otherwise, %d epochs), Recall@10 on "
                + "SyntheticData.Spec.playCounts(seed), per-user 20 %% holdout%n", ImplicitAls.MODEL_TYPE.defaultEpochs());
        for (long seed = 1; seed <= 3; seed++) {
            Split split = Splits.perUser(SyntheticData.generate(SyntheticData.Spec.playCounts(seed)).ratings(), 0.2, 1);
            StringBuilder header = new StringBuilder("| seed " + seed + " | ");
            StringBuilder rule = new StringBuilder("|---|");
            for (float lambda : lambdas) {
                for (float alpha : alphas) {
                    header.append("α ").append(alpha).append(", λ ").append(lambda).append(" | ");
                    rule.append("---|");
                }
            }
            System.out.printf("%n%s%n%s%n", header.toString().trim(), rule);
            for (CountWeighting w : weightings) {
                StringBuilder row = new StringBuilder("| " + w + " |");
                for (float lambda : lambdas) {
                    for (float alpha : alphas) {
                        ImplicitAls als = new ImplicitAls(ImplicitAlsConfig.defaults().withAlphaLambda(alpha, lambda)
                                .withWeighting(w));
                        FactorModel m = als.fit(kernels, split.train(), TrainOptions.defaults()).model();
                        row.append(String.format(Locale.ROOT, " %.4f |",
                                Evaluator.ranking(kernels, m, split.train(), split.test(), 10).recall()));
                    }
                }
                System.out.println(row);
            }
        }
        System.out.printf("%n## count weighting, bpr (defaults otherwise, %d epochs), Recall@10%n%n| weighting | seed 1 | "
                + "seed 2 | seed 3 |%n|---|---|---|---|%n", Bpr.MODEL_TYPE.defaultEpochs());
        for (CountWeighting w : weightings) {
            StringBuilder row = new StringBuilder("| " + w + " |");
            for (long seed = 1; seed <= 3; seed++) {
                Split split = Splits.perUser(SyntheticData.generate(SyntheticData.Spec.playCounts(seed)).ratings(), 0.2, 1);
                FactorModel m = new Bpr(BprConfig.defaults().withWeighting(w)).fit(kernels, split.train(),
                        TrainOptions.defaults()).model();
                row.append(String.format(Locale.ROOT, " %.4f |", Evaluator.ranking(kernels, m, split.train(), split.test(),
                        10).recall()));
            }
            System.out.println(row);
        }
        System.out.printf(Locale.ROOT, "%nweighting runs %.0f s, load %s%n", (System.nanoTime() - start) / 1e9, load());
    }

    /**
     * Whether the implicit defaults carry over to other data: implicit ALS's held-out Recall@10
     * per sweep for a few (α, λ) on three other implicit sets, and BPR's on the
     * MovieLens-1M-shaped set, the defaults beside the old ones (per-user 20 % holdout, no
     * validation split).
     */
    private static void transfer(Kernels kernels) {
        long start = System.nanoTime();
        Map<String, SyntheticData.Spec> sets = new LinkedHashMap<>();
        sets.put("playCounts(1) as 0/1", SyntheticData.Spec.playCounts(1).withPlayCounts(0));
        sets.put("MovieLens-100K shape, 25,000 positives", new SyntheticData.Spec(943, 1682, 25_000, 10, 0, 0.8, true, false,
                1, 1.0));
        sets.put("movieLens1mImplicitShape(1)", SyntheticData.Spec.movieLens1mImplicitShape(1));
        System.out.printf("%n## transfer: implicit-als (α, λ), test Recall@10 best (sweep) / at sweep %d, up to 10 sweeps%n",
                ImplicitAls.MODEL_TYPE.defaultEpochs());
        for (Map.Entry<String, SyntheticData.Spec> set : sets.entrySet()) {
            Ratings all = SyntheticData.generate(set.getValue()).ratings();
            Split split = Splits.perUser(all, 0.2, 1);
            Data data = new Data(set.getKey(), split.train(), null, split.test());
            boolean big = all.size() > 200_000;
            String[][] settings = big ? new String[][] {{"10", "50"}, {"3", "20"}, {"1", "1"}, {"10", "0.1"}}
                    : new String[][] {{"10", "50"}, {"3", "20"}, {"3", "30"}, {"10", "30"}, {"1", "10"}, {"1", "1"}, {"10", "0.1"}};
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%s (popularity %.4f):", set.getKey(),
                    Evaluator.ranking(PopularityBaseline.fit(split.train()), split.train(), split.test(), 10).recall()));
            for (String[] al : settings) {
                Curve c = curve(kernels, ImplicitAls.MODEL_TYPE.trainer(settings("alpha", al[0], "lambda", al[1])), data, 10, true);
                row.append(String.format(Locale.ROOT, " | α %s λ %s: %.4f (%d) / %s", al[0], al[1], c.best, c.bestEpoch,
                        c.at(ImplicitAls.MODEL_TYPE.defaultEpochs())));
            }
            System.out.println(row);
        }
        Ratings ml1m = SyntheticData.generate(SyntheticData.Spec.movieLens1mImplicitShape(1)).ratings();
        Split split = Splits.perUser(ml1m, 0.2, 1);
        Data data = new Data("movieLens1mImplicitShape(1)", split.train(), null, split.test());
        System.out.printf("%n## transfer: bpr on movieLens1mImplicitShape(1), test Recall@10 every 10 epochs, 60 epochs%n");
        List<Map<String, String>> bpr = List.of(Map.of(),
                settings("learningRate", "0.1", "schedule", "EXPONENTIAL", "decay", "0.98"),
                settings("learningRate", "0.05", "schedule", "CONSTANT", "decay", "1", "factorReg", "0.002", "biasReg", "0.002"));
        for (Map<String, String> row : bpr) {
            Curve c = curve(kernels, Bpr.MODEL_TYPE.trainer(row), data, 60, true);
            StringBuilder line = new StringBuilder(row.isEmpty() ? "defaults" : describe(row)).append(":");
            for (int e = 10; e <= 60; e += 10) line.append(' ').append(e).append(": ").append(c.at(e));
            System.out.println(line.append(String.format(Locale.ROOT, "; best %.4f (%d)", c.best, c.bestEpoch)));
        }
        System.out.printf(Locale.ROOT, "%ntransfer runs %.0f s, load %s%n", (System.nanoTime() - start) / 1e9, load());
    }

    /** The test metric after every epoch of one training run. */
    private record Curve(double[] values, double best, int bestEpoch, double seconds) {
        String at(int epoch) {
            return epoch <= values.length ? String.format(Locale.ROOT, "%.4f", values[epoch - 1]) : "–";
        }

        double last() {
            return values[values.length - 1];
        }
    }

    private static Curve curve(Kernels kernels, Trainer trainer, Data data, int epochs, boolean implicit) {
        double[] values = new double[epochs];
        int[] done = new int[1];
        long start = System.nanoTime();
        try {
            trainer.fit(kernels, data.fit(), TrainOptions.defaults().withEpochs(epochs).withValidation(data.test())
                    .withListener(e -> values[(done[0] = e.epoch()) - 1] = e.validation()));
        } catch (TrainingFailedException e) {
            // A setting that diverges is a result too: its row shows the epochs it ran.
            System.out.printf("(diverged after epoch %d: %s)%n", done[0], e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int n = Math.max(1, done[0]);
        double best = values[0];
        int bestEpoch = 1;
        for (int e = 1; e < n; e++) {
            if (better(values[e], best, implicit)) {
                best = values[e];
                bestEpoch = e + 1;
            }
        }
        return new Curve(java.util.Arrays.copyOf(values, n), best, bestEpoch, seconds);
    }

    private static double testMetric(Kernels kernels, FactorModel model, Data data, boolean implicit) {
        return implicit ? Evaluator.ranking(kernels, model, data.fit(), data.test(), 10).recall()
                : Evaluator.ratings(kernels, model, data.test()).rmse();
    }

    private static boolean better(double a, double b, boolean higherIsBetter) {
        return higherIsBetter ? a > b : a < b;
    }

    private static <C> Map<String, String> defaultSettings(ModelType<C> type) {
        return type.toMap(type.defaults());
    }

    private static Map<String, String> settings(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int j = 0; j < keyValues.length; j += 2) m.put(keyValues[j], keyValues[j + 1]);
        return m;
    }

    private static String describe(Map<String, String> row) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : row.entrySet()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(e.getValue());
        }
        return sb.toString();
    }

    /** The 1-minute load average (the machine is shared; timings depend on it). */
    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
