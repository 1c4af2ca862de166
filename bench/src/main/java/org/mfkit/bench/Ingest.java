package org.mfkit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.mfkit.bench.jmh.TrainEpochBench;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;
import org.mfkit.data.io.LoadedRatings;
import org.mfkit.data.io.RatingsReader;
import org.mfkit.model.EpochReport;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.Trainer;
import org.mfkit.model.TrainingResult;

/**
 * The time from a ratings file to the first epoch, split by phase, and the heap it takes:
 * read (parse and id remap, as {@link RatingsReader} reports them), the duplicates policy
 * ({@link Ratings#lastPerPair}), and both CSR orientations ({@link Ratings#byUser},
 * {@link Ratings#byItem}), each repeated and reported with the median; then, optionally, a
 * trainer at k = 64 on the same ratings, with its epoch times, so that the peak heap covers
 * training too. Run it with the heap limit to check, e.g. {@code -Xmx2g}:
 *
 * <pre>
 * java -Xmx2g -jar bench/target/benchmarks.jar --ingest /work/cache/synth10m/ratings.csv --train biased-mf
 * </pre>
 *
 * Peak heap is the sum of the heap pools' peak usages since the start (an upper bound on the
 * simultaneous peak).
 */
final class Ingest {
    private Ingest() {}

    /** Runs the measurement and prints it; returns an exit code of {@link BenchRunner}. */
    static int run(Path file, int repeats, String trainer, int epochs, String backend, PrintStream out) {
        try {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
            out.printf(Locale.ROOT, "ingest %s, %d runs, %d processors, max heap %d MiB%n", file, repeats,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            double[][] phases = new double[5][repeats];
            Ratings last = null;
            for (int r = 0; r < repeats; r++) {
                last = null;
                long t0 = System.nanoTime();
                LoadedRatings loaded = RatingsReader.detecting().read(file);
                long t1 = System.nanoTime();
                Ratings merged = loaded.ratings().lastPerPair();
                long t2 = System.nanoTime();
                HostCsr byUser = merged.byUser();
                HostCsr byItem = merged.byItem();
                long t3 = System.nanoTime();
                LoadedRatings.Timings t = loaded.timings();
                phases[0][r] = t.parseNanos() / 1e9;
                phases[1][r] = t.remapNanos() / 1e9;
                phases[2][r] = (t2 - t1) / 1e9;
                phases[3][r] = (t3 - t2) / 1e9;
                phases[4][r] = (t3 - t0) / 1e9;
                out.printf(Locale.ROOT, "run %d: parse %.3f s (%d threads), remap %.3f s, dedupe %.3f s, CSR both %.3f s"
                        + " = %.3f s; %,d ratings, %,d users, %,d items, %,d + %,d CSR entries%n", r + 1, phases[0][r],
                        t.threads(), phases[1][r], phases[2][r], phases[3][r], phases[4][r], merged.size(),
                        merged.numUsers(), merged.numItems(), byUser.nnz(), byItem.nnz());
                last = merged;
            }
            out.printf(Locale.ROOT, "median: parse %.3f s, remap %.3f s, dedupe %.3f s, CSR %.3f s, total %.3f s;"
                    + " peak heap %d MiB%n", median(phases[0]), median(phases[1]), median(phases[2]), median(phases[3]),
                    median(phases[4]), peakHeap() >> 20);
            if (trainer == null) return BenchRunner.OK;
            Trainer t = TrainEpochBench.trainer(trainer, trainer.endsWith("als") ? "cg3" : "none", 64);
            try (Kernels kernels = Backends.open(backend)) {
                StringBuilder times = new StringBuilder();
                TrainOptions options = TrainOptions.defaults().withEpochs(epochs).withSeed(42)
                        .withListener((EpochReport e) -> times.append(String.format(Locale.ROOT, " %.3f", e.elapsedNanos() / 1e9)));
                long start = System.nanoTime();
                TrainingResult result = t.fit(kernels, last, options);
                out.printf(Locale.ROOT, "%s k = 64 on %s (%d threads): fit %.2f s, epochs (s):%s; final loss %.5f;"
                        + " peak heap %d MiB%n", trainer, kernels.backendName(), kernels.threads(),
                        (System.nanoTime() - start) / 1e9, times, result.history().get(result.history().size() - 1).loss(),
                        peakHeap() >> 20);
            }
            return BenchRunner.OK;
        } catch (IOException | RuntimeException e) {
            out.println("mfkit bench: ingest failed: " + e);
            return BenchRunner.RUN_ERROR;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Sum of the heap pools' peak usages (bytes). */
    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }
}
