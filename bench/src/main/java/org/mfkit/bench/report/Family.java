package org.mfkit.bench.report;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.mfkit.bench.jmh.TrainData;

/**
 * The kernel families the report has a table for, each with its work model: the flops and
 * bytes one operation needs (so time becomes GFLOP/s, GB/s and a fraction of the roofline),
 * a unit count for rate columns (pairs/s, updates/s, ...) and the working set that says
 * whether a size fits in the last-level cache. Flops count a multiply-add as two and the
 * full product where a kernel may exploit symmetry (like GEMM counts); for the ALS families the
 * flops are those of the textbook algorithm (assembled normal equations), so a kernel that
 * avoids work gets credit for it. Bytes are the compulsory traffic: every input read once,
 * every output written once.
 */
public enum Family {
    DOT("DotBench", "Gathered dot", "out[j] = p[u_j]·q[i_j] for random pairs; P and Q rows × k each.",
            p -> 2 * p.get("k") * p.get("n"),
            p -> p.get("n") * (8 * p.get("k") + 12),
            p -> p.get("n"), "pairs",
            p -> 8 * p.get("rows") * p.get("k")),
    SCORES("ScoresBench", "Score block", "out[r][i] = p[rows[r]]·q[i] for every item: a dense (queries × items) block.",
            p -> 2 * p.get("k") * p.get("queries") * p.get("items"),
            p -> 4 * p.get("items") * (p.get("k") + p.get("queries")),
            p -> p.get("queries") * p.get("items"), "scores",
            p -> 4 * p.get("items") * (p.get("k") + p.get("queries"))),
    TOPK("TopKBench", "Score block + top-10", "Top-10 items per query user over all items, 50 seen items excluded per user.",
            p -> 2 * p.get("k") * p.get("queries") * p.get("items"),
            p -> 4 * p.get("items") * p.get("k"),
            p -> p.get("queries"), "queries",
            p -> 4 * p.get("items") * p.get("k")),
    SGD("SgdBench", "SGD epoch (biased MF)", "One pass of sequential-semantics SGD over n ratings; ≈ 8k flops and 2 rows read + written per update.",
            p -> 8 * p.get("k") * p.get("n"),
            p -> p.get("n") * (16 * p.get("k") + 12),
            p -> p.get("n"), "updates",
            p -> 8 * p.get("rows") * p.get("k")),
    BPR("BprBench", "BPR epoch", "One pass over n (user, positive, negative) triples; ≈ 12k flops and 3 rows read + written per triple.",
            p -> 12 * p.get("k") * p.get("n"),
            p -> p.get("n") * (24 * p.get("k") + 12),
            p -> p.get("n"), "triples",
            p -> 8 * p.get("rows") * p.get("k")),
    GRAM("GramBench", "Gram YᵀY", "The k×k Gram matrix of an n × k factor matrix; 2·k·k·n flops.",
            p -> 2 * p.get("k") * p.get("k") * p.get("n"),
            p -> 4 * p.get("k") * p.get("n"),
            p -> p.get("n"), "rows",
            p -> 4 * p.get("k") * p.get("n")),
    NORMAL_EQUATIONS("NormalEquationsBench", "Normal-equation build (implicit ALS)",
            "A_u = G + Σ αr q qᵀ + λI and b_u for each row (rows × perRow interactions); 2k² flops per interaction.",
            p -> p.get("rows") * p.get("perRow") * 2 * p.get("k") * (p.get("k") + 1),
            p -> p.get("rows") * (p.get("perRow") * (4 * p.get("k") + 8) + 4 * p.get("k") * (p.get("k") + 1)),
            p -> p.get("rows"), "rows",
            p -> 4 * p.get("rows") * p.get("k") * (p.get("k") + 1)),
    CHOLESKY("CholeskyBench", "Batched Cholesky factor + solve", "n SPD k×k systems, one right-hand side each; k³/3 + 2k² flops per system.",
            p -> p.get("n") * (Math.pow(p.get("k"), 3) / 3 + 2 * p.get("k") * p.get("k")),
            p -> 4 * p.get("n") * p.get("k") * (p.get("k") + 2),
            p -> p.get("n"), "systems",
            p -> 4 * p.get("n") * p.get("k") * (p.get("k") + 2)),
    CG_SWEEP("CgSweepBench", "CG sweep (implicit ALS, user side)",
            "Every user row re-solved by `steps` warm-started CG steps, Q and YᵀY fixed; nominal flops: assembly 2k² per interaction + (steps + 1)·2k² per row.",
            p -> 2 * p.get("k") * p.get("k") * (p.get("nnz") + p.get("users") * (p.get("steps") + 1)),
            p -> p.get("nnz") * (4 * p.get("k") + 8) + 8 * p.get("k") * (p.get("users") + p.get("items")),
            p -> p.get("users"), "rows",
            p -> p.get("nnz") * 8 + 4 * p.get("k") * (p.get("users") + p.get("items"))),
    ALS_ITERATION("AlsIterationBench", "Implicit ALS iteration (both sides)",
            "Gram, all users solved, Gram, all items solved; nominal flops as for the CG sweep, Cholesky k³/3 + 2k² per row.",
            Family::alsFlops,
            p -> 2 * p.get("nnz") * (4 * p.get("k") + 8) + 16 * p.get("k") * (p.get("users") + p.get("items")),
            p -> p.get("users") + p.get("items"), "rows",
            p -> p.get("nnz") * 16 + 4 * p.get("k") * (p.get("users") + p.get("items"))),
    TRAIN_EPOCH("TrainEpochBench", "Trainer epoch, end to end",
            "One epoch of a trainer's own fit on a data set (`data`: synth10m = the 10M-rating set of gen_synth.py, "
                    + "ml1m = a MovieLens-1M-shaped implicit set generated in code): the trainer's per-epoch host work "
                    + "(sampling, loss), its kernel calls and the training loop's guard and copy; setup excluded. "
                    + "ratings/s = training interactions per epoch / time (SGD updates, BPR samples, ALS nonzeros). "
                    + "Nominal flops and bytes: SGD 8k and 16k + 12 per rating, BPR 12k and 24k + 12 per sample, ALS as the ALS iteration.",
            Family::trainFlops,
            Family::trainBytes,
            p -> p.get("nnz"), "ratings",
            p -> p.get("nnz") * 12 + 4 * p.get("k") * (p.get("users") + p.get("items")));

    /** JMH class simple name. */
    public final String bench;
    /** Section title. */
    public final String title;
    /** What one operation does. */
    public final String description;
    private final ToDoubleFunction<Map<String, Double>> flops;
    private final ToDoubleFunction<Map<String, Double>> bytes;
    private final ToDoubleFunction<Map<String, Double>> units;
    /** What {@link #units} counts. */
    public final String unitName;
    private final ToDoubleFunction<Map<String, Double>> workingSet;

    Family(String bench, String title, String description, ToDoubleFunction<Map<String, Double>> flops,
           ToDoubleFunction<Map<String, Double>> bytes, ToDoubleFunction<Map<String, Double>> units, String unitName,
           ToDoubleFunction<Map<String, Double>> workingSet) {
        this.bench = bench;
        this.title = title;
        this.description = description;
        this.flops = flops;
        this.bytes = bytes;
        this.units = units;
        this.unitName = unitName;
        this.workingSet = workingSet;
    }

    /** The family of a JMH class simple name, or null. */
    public static Family of(String bench) {
        for (Family f : values()) if (f.bench.equals(bench)) return f;
        return null;
    }

    /** Flops of one operation. */
    public double flops(Map<String, Double> p) {
        return flops.applyAsDouble(p);
    }

    /** Compulsory bytes of one operation. */
    public double bytes(Map<String, Double> p) {
        return bytes.applyAsDouble(p);
    }

    /** Units (pairs, updates, systems...) of one operation. */
    public double units(Map<String, Double> p) {
        return units.applyAsDouble(p);
    }

    /** Bytes the operation's data occupies (compared with the last-level cache). */
    public double workingSet(Map<String, Double> p) {
        return workingSet.applyAsDouble(p);
    }

    /**
     * The numbers the work model reads, from a row's parameters: every numeric parameter, the
     * steps of a {@code cgN} solver, and for the trainer epochs the data set's users, items and
     * nonzeros and which kind of trainer ({@code sgd}, {@code bpr} or {@code als} = 1).
     */
    public Map<String, Double> derived(Map<String, String> params) {
        Map<String, Double> m = new TreeMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = e.getValue();
            if (e.getKey().equals("solver") && v.startsWith("cg")) m.put("steps", number(v.substring(2)));
            else if (!Double.isNaN(number(v))) m.put(e.getKey(), number(v));
        }
        if (this == TRAIN_EPOCH && params.containsKey("data")) {
            long[] shape = TrainData.shape(params.get("data"));
            m.put("users", (double) shape[0]);
            m.put("items", (double) shape[1]);
            m.put("nnz", (double) shape[2]);
            String trainer = params.getOrDefault("trainer", "");
            m.put(trainer.equals("biased-mf") ? "sgd" : trainer.equals("bpr") ? "bpr" : "als", 1.0);
        }
        return m;
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double trainFlops(Map<String, Double> p) {
        if (p.containsKey("sgd")) return 8 * p.get("k") * p.get("nnz");
        if (p.containsKey("bpr")) return 12 * p.get("k") * p.get("nnz");
        return alsFlops(p);
    }

    private static double trainBytes(Map<String, Double> p) {
        if (p.containsKey("sgd")) return p.get("nnz") * (16 * p.get("k") + 12);
        if (p.containsKey("bpr")) return p.get("nnz") * (24 * p.get("k") + 12);
        return 2 * p.get("nnz") * (4 * p.get("k") + 8) + 16 * p.get("k") * (p.get("users") + p.get("items"));
    }

    private static double alsFlops(Map<String, Double> p) {
        double k = p.get("k");
        double rows = p.get("users") + p.get("items");
        double assembly = 2 * 2 * k * k * p.get("nnz");
        double grams = 2 * k * k * rows;
        double solve = p.containsKey("steps") ? (p.get("steps") + 1) * 2 * k * k : k * k * k / 3 + 2 * k * k;
        return assembly + grams + rows * solve;
    }

    /** A short label for a working set size. */
    public static String bytesLabel(double bytes) {
        if (bytes >= 1 << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (1 << 30));
        if (bytes >= 1 << 20) return String.format(Locale.ROOT, "%.0f MiB", bytes / (1 << 20));
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024);
    }
}
