package org.mfkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mfkit.bench.jmh.TrainData;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.model.EpochReport;
import org.mfkit.model.ImplicitAls;
import org.mfkit.model.ImplicitAlsConfig;
import org.mfkit.model.TrainOptions;

/**
 * Held-out quality per epoch of implicit ALS, for comparing solvers: a {@link TrainData} set
 * split at random (10 % held out, the CLI's split), then for each solver a fit with default
 * hyper-parameters (α and λ settable: {@code --alpha}, {@code --lambda}) at k factors, validated after every epoch with Recall@K on the held-out
 * interactions (training items excluded). Prints one line per epoch: solver, epoch, the epoch's
 * wall time (validation excluded) and Recall@K, then for each solver the first epoch at which it
 * reached the best Recall@K of the first solver within the tolerance.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.mfkit.bench.HeldOutCurves \
 *     --data synth10m --k 256 --solvers cg3,subspace16 --epochs 10 --recall 20 --threads 2 --lambda 0.1
 * </pre>
 */
public final class HeldOutCurves {
    private HeldOutCurves() {}

    /** Runs the comparison described above; arguments as in the class comment. */
    public static void main(String[] args) {
        String data = "ml1m";
        int k = 64;
        List<String> solvers = List.of("cg3", "subspace16");
        int epochs = 10;
        int recallK = 20;
        int threads = 0;
        long seed = 42;
        double tolerance = 0.005;
        ImplicitAlsConfig defaults = ImplicitAlsConfig.defaults();
        float alpha = defaults.alpha();
        float lambda = defaults.lambda();
        for (int a = 0; a < args.length; a += 2) {
            if (a + 1 >= args.length) throw new IllegalArgumentException(args[a] + " needs a value");
            String v = args[a + 1];
            switch (args[a]) {
                case "--data" -> data = v;
                case "--k" -> k = Integer.parseInt(v);
                case "--solvers" -> solvers = List.of(v.split(","));
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--recall" -> recallK = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--tolerance" -> tolerance = Double.parseDouble(v);
                case "--alpha" -> alpha = Float.parseFloat(v);
                case "--lambda" -> lambda = Float.parseFloat(v);
                default -> throw new IllegalArgumentException("unknown option " + args[a] + "; expected --data, --k, "
                        + "--solvers, --epochs, --recall, --threads, --seed, --tolerance, --alpha, --lambda");
            }
        }
        Ratings all = TrainData.load(data);
        Split split = Splits.random(all, 0.1, seed);
        System.out.printf(Locale.ROOT, "# %s: %,d train, %,d held out; k = %d, alpha %s, lambda %s, Recall@%d, seed %d%n",
                data, split.train().size(), split.test().size(), k, alpha, lambda, recallK, seed);
        List<double[]> curves = new ArrayList<>();
        int atK = recallK;
        try (Kernels kernels = Backends.open("cpu-vector", BackendOptions.threads(threads))) {
            for (String name : solvers) {
                Solver solver = Solver.parse("--solvers", name);
                List<EpochReport> reports = new ArrayList<>();
                ImplicitAls trainer = new ImplicitAls(defaults.withFactors(k).withAlphaLambda(alpha, lambda).withSolver(solver));
                trainer.fit(kernels, split.train(), TrainOptions.defaults().withEpochs(epochs).withSeed(seed)
                        .withValidation(split.test()).withValidationK(recallK).withListener(r -> {
                            reports.add(r);
                            System.out.printf(Locale.ROOT, "%s epoch %d: %.3f s, recall@%d %.4f%n", name, r.epoch(),
                                    r.elapsedNanos() / 1e9, atK, r.validation());
                        }));
                double[] curve = reports.stream().mapToDouble(EpochReport::validation).toArray();
                curves.add(curve);
            }
        }
        double target = 0;
        for (double v : curves.get(0)) target = Math.max(target, v);
        for (int s = 0; s < solvers.size(); s++) {
            int reached = -1;
            double[] curve = curves.get(s);
            for (int e = 0; e < curve.length && reached < 0; e++) if (curve[e] >= target - tolerance) reached = e + 1;
            System.out.printf(Locale.ROOT, "# %s reaches %s's best recall@%d %.4f (- %.3f) at epoch %s%n", solvers.get(s),
                    solvers.get(0), recallK, target, tolerance, reached < 0 ? "never" : Integer.toString(reached));
        }
    }
}
