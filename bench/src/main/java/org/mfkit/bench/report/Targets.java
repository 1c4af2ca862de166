package org.mfkit.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The "Issue-3 targets" section: each speed target the cpu-vector backend was given, the figure
 * this run measured for it (from the JMH results, on the exact shape the target names), and
 * whether it was met. A target whose rows are not in the run (a smaller profile, a failed
 * cross-check, another backend set) says so instead of guessing.
 */
final class Targets {
    static final String VECTOR = "cpu-vector";
    private static final String SCALAR = "scalar";

    /** One line of the table. */
    record Line(String target, String measured, String verdict) {}

    private Targets() {}

    /** The table's lines for these rows; {@code checks} supply each row's thread count. */
    static List<Line> evaluate(List<ReportGenerator.Row> rows, Map<String, Properties> checks) {
        List<Line> out = new ArrayList<>();

        String dot = "gathered dot, k = 64: ≥ 8× the scalar reference";
        int before = out.size();
        for (ReportGenerator.Row v : find(rows, "DotBench", VECTOR, p -> "64".equals(p.get("k")))) {
            ReportGenerator.Row s = partner(rows, v, SCALAR, "threads");
            if (s == null) continue;
            double ratio = s.secondsPerOp() / v.secondsPerOp();
            out.add(new Line(dot, times(ratio) + " (" + shape(v, "rows", "n") + ", " + threads(v, checks)
                    + " vs 1; " + cache(v) + ")", ratio >= 8 ? "met" : "missed"));
        }
        if (out.size() == before) out.add(notMeasured(dot));

        String gram = "Gram YᵀY, Y 1,000,000 × 64: > 100 GFLOP/s (2·k·k·n flops)";
        List<ReportGenerator.Row> grams = find(rows, "GramBench", VECTOR,
                p -> "64".equals(p.get("k")) && "1000000".equals(p.get("n")));
        for (ReportGenerator.Row g : grams) {
            double gflops = 2.0 * 64 * 64 * 1_000_000 / g.secondsPerOp() / 1e9;
            out.add(new Line(gram, ReportGenerator.sig(gflops) + " GFLOP/s (" + ms(g) + ", " + threads(g, checks) + ")",
                    gflops > 100 ? "met" : "missed"));
        }
        if (grams.isEmpty()) out.add(notMeasured(gram));

        String chol = "batched Cholesky factor + solve, 10,000 SPD 64 × 64: ≥ 3× EJML one by one";
        before = out.size();
        for (ReportGenerator.Row v : find(rows, "CholeskyBench", VECTOR,
                p -> "64".equals(p.get("k")) && "10000".equals(p.get("n")))) {
            ReportGenerator.Row e = partner(rows, v, "ejml");
            if (e == null) continue;
            double ratio = e.secondsPerOp() / v.secondsPerOp();
            out.add(new Line(chol, times(ratio) + " (" + ms(v) + " vs " + ms(e) + ", " + threads(v, checks) + " vs 1)",
                    ratio >= 3 ? "met" : "missed"));
        }
        if (out.size() == before) out.add(notMeasured(chol));

        String sgd1 = "SGD (biased MF), k = 64, one thread: ≥ 4× the scalar reference's updates/s";
        before = out.size();
        for (ReportGenerator.Row v : find(rows, "SgdBench", VECTOR,
                p -> "64".equals(p.get("k")) && "1".equals(p.get("threads")))) {
            ReportGenerator.Row s = partner(rows, v, SCALAR);
            if (s == null) continue;
            double ratio = s.secondsPerOp() / v.secondsPerOp();
            out.add(new Line(sgd1, times(ratio) + " (" + shape(v, "rows", "n") + ")", ratio >= 4 ? "met" : "missed"));
        }
        if (out.size() == before) out.add(notMeasured(sgd1));

        String sgd2 = "SGD (biased MF), k = 64: two threads ≥ 1.7× one thread";
        before = out.size();
        for (ReportGenerator.Row v : find(rows, "SgdBench", VECTOR,
                p -> "64".equals(p.get("k")) && !"1".equals(p.get("threads")))) {
            Map<String, String> one = new TreeMap<>(v.params());
            one.put("threads", "1");
            ReportGenerator.Row s = row(rows, "SgdBench", one);
            if (s == null) continue;
            double ratio = s.secondsPerOp() / v.secondsPerOp();
            out.add(new Line(sgd2, times(ratio) + " (" + v.params().get("threads") + " threads vs 1; "
                    + shape(v, "rows", "n") + ")", ratio >= 1.7 ? "met" : "missed"));
        }
        if (out.size() == before) out.add(notMeasured(sgd2));

        for (String solver : new String[] {"cg3", "cholesky"}) {
            boolean cg = solver.equals("cg3");
            String als = "implicit ALS iteration (both sides), 138,000 × 27,000, 10M nonzeros, k = 64, "
                    + (cg ? "CG 3 steps: ≤ 1 s on 2 cores" : "Cholesky: reported (no target)");
            List<ReportGenerator.Row> its = find(rows, "AlsIterationBench", VECTOR, p -> "64".equals(p.get("k"))
                    && "138000".equals(p.get("users")) && "27000".equals(p.get("items"))
                    && "10000000".equals(p.get("nnz")) && solver.equals(p.get("solver")));
            for (ReportGenerator.Row a : its) {
                String figure = ReportGenerator.sig(a.secondsPerOp()) + " s per iteration (" + threads(a, checks) + ")";
                out.add(new Line(als, figure, cg ? (a.secondsPerOp() <= 1 ? "met" : "missed") : "reported"));
            }
            if (its.isEmpty()) out.add(notMeasured(als));
        }
        return out;
    }

    /**
     * Appends the section to the report. A smoke run's single in-process operation says nothing
     * about speed, so its figures are shown without a verdict.
     */
    static void write(StringBuilder md, List<ReportGenerator.Row> rows, Map<String, Properties> checks, String profile) {
        boolean smoke = "smoke".equals(profile);
        md.append("## Issue-3 targets (cpu-vector)\n\n")
                .append("Each target on the shape it names, from this run's JMH results; ratios compare rows of this")
                .append(" same run. \"not measured\" means the run did not include that shape (the full profile does).")
                .append(smoke ? " This is a smoke run (one untimed-quality operation per row): no verdicts." : "")
                .append("\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (Line l : evaluate(rows, checks)) {
            String verdict = smoke && !l.verdict().equals("—") ? "— (smoke run)"
                    : l.verdict().equals("missed") ? "**missed**" : l.verdict();
            md.append("| ").append(l.target()).append(" | ").append(l.measured()).append(" | ").append(verdict)
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static Line notMeasured(String target) {
        return new Line(target, "not measured in this run", "—");
    }

    private static List<ReportGenerator.Row> find(List<ReportGenerator.Row> rows, String bench, String impl,
                                                  Predicate<Map<String, String>> params) {
        List<ReportGenerator.Row> out = new ArrayList<>();
        for (ReportGenerator.Row r : rows) {
            if (r.bench().equals(bench) && r.impl().equals(impl) && params.test(r.params())
                    && Double.isFinite(r.secondsPerOp()) && r.secondsPerOp() > 0) {
                out.add(r);
            }
        }
        return out;
    }

    /** The row of {@code impl} with the same parameters as {@code r}, ignoring {@code ignored}. */
    private static ReportGenerator.Row partner(List<ReportGenerator.Row> rows, ReportGenerator.Row r, String impl,
                                               String... ignored) {
        Map<String, String> want = new TreeMap<>(r.params());
        want.put("impl", impl);
        for (String name : ignored) want.remove(name);
        for (ReportGenerator.Row o : rows) {
            if (!o.bench().equals(r.bench()) || !o.impl().equals(impl)) continue;
            Map<String, String> have = new TreeMap<>(o.params());
            for (String name : ignored) have.remove(name);
            if (have.equals(want) && Double.isFinite(o.secondsPerOp()) && o.secondsPerOp() > 0) return o;
        }
        return null;
    }

    private static ReportGenerator.Row row(List<ReportGenerator.Row> rows, String bench, Map<String, String> params) {
        for (ReportGenerator.Row o : rows) {
            if (o.bench().equals(bench) && o.params().equals(params) && Double.isFinite(o.secondsPerOp())) return o;
        }
        return null;
    }

    private static String threads(ReportGenerator.Row r, Map<String, Properties> checks) {
        Properties check = checks.get(r.bench() + new TreeMap<>(r.params()));
        String t = check != null ? check.getProperty("threads") : r.params().get("threads");
        if (t == null || t.equals("0")) return "default threads";
        return t + (t.equals("1") ? " thread" : " threads");
    }

    private static String shape(ReportGenerator.Row r, String... names) {
        StringBuilder s = new StringBuilder();
        for (String name : names) {
            if (s.length() > 0) s.append(", ");
            s.append(name).append(" = ").append(Objects.requireNonNullElse(r.params().get(name), "?"));
        }
        return s.toString();
    }

    private static String cache(ReportGenerator.Row r) {
        double ws = Family.DOT.workingSet(Map.of("rows", number(r.params().get("rows")), "k", number(r.params().get("k"))));
        return "P and Q " + Family.bytesLabel(ws);
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String ms(ReportGenerator.Row r) {
        return String.format(Locale.ROOT, "%s ms", ReportGenerator.sig(r.secondsPerOp() * 1e3));
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
