package org.mfkit.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns a run directory ({@code results.json} from JMH, {@code run.json} from the runner,
 * {@code checks/} from the benchmarks' cross-checks) into {@code report.md} and one PNG chart
 * per kernel family under {@code charts/}. Can be rerun on a recorded directory:
 * {@code java -cp benchmarks.jar org.mfkit.bench.report.ReportGenerator DIR}.
 *
 * <p>For every row: time per operation (JMH's mean and its 99.9% error), the family's rate
 * (pairs/s, updates/s, ...), GFLOP/s and GB/s from the family's work model, and the
 * percentage of the roofline bound — max(flops / peak FMA rate, bytes / stream bandwidth) at
 * the row's thread count, both measured by this same run — divided by the measured time.
 * An "Issue-3 targets" table ({@link Targets}) states each cpu-vector speed target as met or
 * missed on the shapes this run measured.
 */
public final class ReportGenerator {
    private static final String CEILINGS = "CeilingBench";

    /**
     * What the report found.
     *
     * @param measured rows with a timing
     * @param failed   rows whose cross-check failed (not timed)
     * @param missing  planned rows with neither a timing nor a failed check (the benchmark threw)
     */
    public record Summary(int measured, int failed, int missing) {}

    record Row(String bench, Map<String, String> params, String impl, double secondsPerOp, double errorSeconds,
                       int jmhThreads) {}

    private ReportGenerator() {}

    /** Regenerates the report of a run directory given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ReportGenerator RUN_DIRECTORY (with results.json, run.json, checks/)");
            System.exit(2);
        }
        Summary s = generate(Path.of(args[0]));
        System.out.println("report: " + Path.of(args[0]).resolve("report.md").toAbsolutePath() + " (" + s + ")");
    }

    /** Writes {@code report.md} and {@code charts/*.png} into {@code dir}. */
    @SuppressWarnings("unchecked")
    public static Summary generate(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, Object> run = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("run.json")));
        List<Object> results = (List<Object>) Json.parse(Files.readString(dir.resolve("results.json")));
        Map<String, String> probe = (Map<String, String>) run.get("probe");
        Map<String, Properties> checks = readChecks(dir.resolve("checks"));

        List<Row> rows = new ArrayList<>();
        for (Object o : results) rows.add(toRow((Map<String, Object>) o));
        Ceilings ceilings = Ceilings.from(rows, probe);

        StringBuilder md = new StringBuilder();
        header(md, run, probe);
        ceilings.write(md, probe);
        backends(md, probe);
        Targets.write(md, rows, checks, String.valueOf(run.get("profile")));

        Path charts = dir.resolve("charts");
        Files.createDirectories(charts);
        List<Map<String, Object>> planned = (List<Map<String, Object>>) run.get("planned");
        List<Map<String, Object>> skipped = (List<Map<String, Object>>) run.get("skipped");
        double llc = lastLevelCacheBytes(probe.getOrDefault("cpu.cache", ""));
        int measured = 0;
        int failed = 0;
        int missing = 0;
        for (Family family : Family.values()) {
            FamilyTable table = new FamilyTable(family, ceilings, llc);
            for (Map<String, Object> p : planned) {
                if (family.bench.equals(p.get("bench"))) table.plan((Map<String, String>) p.get("params"));
            }
            for (Row r : rows) if (r.bench.equals(family.bench)) table.add(r);
            if (table.isEmpty()) continue;
            for (Map<String, Object> s : skipped) {
                if (family.bench.equals(s.get("bench"))) {
                    table.skip((Map<String, String>) s.get("params"), (String) s.get("reason"));
                }
            }
            FamilyTable.Counts counts = table.write(md, checks, charts);
            measured += counts.measured();
            failed += counts.failed();
            missing += counts.missing();
        }
        md.append("## How to read this report\n\n")
                .append("- *time/op*: JMH's mean time per operation ± its 99.9% confidence half-width.\n")
                .append("- *GFLOP/s*, *GB/s*: the family's work model (stated under each title) divided by the time.\n")
                .append("- *% roofline*: the time the row would need at the measured ceilings (peak FMA rate or stream")
                .append(" bandwidth, whichever binds, at the row's thread count) divided by its measured time.\n")
                .append("- *× name*: how many times faster this row is than that implementation (time ratio).\n")
                .append("- *check*: the normwise relative difference to the scalar reference on the same inputs, measured")
                .append(" before timing. A FAILED row was not timed: its numbers would be meaningless.\n");
        Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
        return new Summary(measured, failed, missing);
    }

    @SuppressWarnings("unchecked")
    private static Row toRow(Map<String, Object> e) {
        String benchmark = (String) e.get("benchmark");
        int lastDot = benchmark.lastIndexOf('.');
        String className = benchmark.substring(0, lastDot);
        String bench = className.substring(className.lastIndexOf('.') + 1);
        Map<String, String> params = new TreeMap<>();
        Object p = e.get("params");
        if (p instanceof Map<?, ?> m) m.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        if (bench.equals(CEILINGS)) params.put("method", benchmark.substring(lastDot + 1));
        Map<String, Object> metric = (Map<String, Object>) e.get("primaryMetric");
        double scale = unitSeconds((String) metric.get("scoreUnit"));
        double score = number(metric.get("score")) * scale;
        double error = number(metric.get("scoreError")) * scale;
        int threads = (int) number(e.get("threads"));
        return new Row(bench, params, params.getOrDefault("impl", ""), score, error, threads);
    }

    private static double number(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static double unitSeconds(String unit) {
        return switch (unit) {
            case "s/op" -> 1;
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            case "ns/op" -> 1e-9;
            default -> throw new IllegalArgumentException("unsupported JMH score unit " + unit
                    + " (the runner records average time per operation)");
        };
    }

    private static Map<String, Properties> readChecks(Path dir) throws IOException {
        Map<String, Properties> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.check")) {
            for (Path f : files) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(f)) {
                    p.load(in);
                }
                out.put(p.getProperty("key"), p);
            }
        }
        return out;
    }

    /** Parses a cache size such as "32768K (L3)", "107520 KB" or "32 MiB"; NaN when unknown. */
    static double lastLevelCacheBytes(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMG]?)", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(text);
        if (!m.find()) return Double.NaN;
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> v * 1024;
            case "M" -> v * 1024 * 1024;
            case "G" -> v * 1024 * 1024 * 1024;
            default -> v;
        };
    }

    private static void header(StringBuilder md, Map<String, Object> run, Map<String, String> probe) {
        md.append("# mfkit benchmark report\n\n");
        md.append("| | |\n|---|---|\n");
        line(md, "profile", run.get("profile") + " (" + fmt(number(run.get("seconds")), 0) + " s, started "
                + run.get("started") + ")");
        line(md, "command", "`" + run.get("command") + "`");
        line(md, "mfkit", run.get("mfkitVersion") + ", commit " + run.get("gitCommit"));
        line(md, "CPU", probe.get("cpu.model"));
        line(md, "ISA flags", probe.get("cpu.isa"));
        line(md, "cores (JVM)", probe.get("cpu.cores"));
        line(md, "last-level cache", probe.get("cpu.cache"));
        line(md, "memory", probe.get("memory.total"));
        line(md, "OS", probe.get("os"));
        line(md, "JVM", probe.get("jvm.vendor") + " " + probe.get("jvm.name") + " " + probe.get("jvm.version"));
        line(md, "JMH fork JVM", String.valueOf(run.get("forkJvm")));
        line(md, "Vector API preferred species", probe.get("vector.species"));
        line(md, "netlib", probe.get("netlib.blas") + " / " + probe.get("netlib.lapack"));
        line(md, "GPU", probe.get("gpu"));
        md.append('\n');
    }

    private static void backends(StringBuilder md, Map<String, String> probe) {
        md.append("## Backends\n\n| backend | status |\n|---|---|\n");
        for (Map.Entry<String, String> e : probe.entrySet()) {
            if (e.getKey().startsWith("backend.")) line(md, e.getKey().substring("backend.".length()), e.getValue());
        }
        md.append('\n');
    }

    static void line(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value == null ? "(unknown)" : value.replace("|", "\\|"))
                .append(" |\n");
    }

    /** A number with {@code digits} decimals, or a dash for NaN. */
    static String fmt(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "—";
        return String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    /** Three significant digits, at most, without an exponent. */
    static String sig(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "—";
        double a = Math.abs(v);
        int digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : 4;
        return fmt(v, digits);
    }

    /** The measured ceilings of this run. */
    static final class Ceilings {
        final Map<Integer, Double> flops = new TreeMap<>();
        final Map<Integer, Double> bandwidth = new TreeMap<>();
        double gpuFlops = Double.NaN;
        double gpuBandwidth = Double.NaN;

        static Ceilings from(List<Row> rows, Map<String, String> probe) {
            Ceilings c = new Ceilings();
            double lanes = number(probe.getOrDefault("vector.lanes", "0"));
            for (Row r : rows) {
                if (!r.bench.equals(CEILINGS)) continue;
                if (r.params.get("method").equals("fma") && lanes > 0) {
                    double perOp = 2.0 * lanes * 8 * 65536;
                    c.flops.put(r.jmhThreads, perOp * r.jmhThreads / r.secondsPerOp / 1e9);
                } else if (r.params.get("method").equals("stream")) {
                    double perOp = number(r.params.get("mib")) * (1 << 20);
                    c.bandwidth.put(r.jmhThreads, perOp * r.jmhThreads / r.secondsPerOp / 1e9);
                }
            }
            c.gpuFlops = number(probe.getOrDefault("gpu.sgemm.gflops", "NaN"));
            c.gpuBandwidth = number(probe.getOrDefault("gpu.copy.gbps", "NaN"));
            return c;
        }

        /** Peak GFLOP/s for a row: the GPU's for GPU backends, else the CPU's at the nearest measured thread count. */
        double flops(String impl, int threads) {
            return impl.startsWith("gpu") ? gpuFlops : nearest(flops, threads);
        }

        double bandwidth(String impl, int threads) {
            return impl.startsWith("gpu") ? gpuBandwidth : nearest(bandwidth, threads);
        }

        private static double nearest(Map<Integer, Double> m, int threads) {
            Double exact = m.get(threads);
            if (exact != null) return exact;
            double best = Double.NaN;
            int bestDistance = Integer.MAX_VALUE;
            for (Map.Entry<Integer, Double> e : m.entrySet()) {
                int d = Math.abs(e.getKey() - threads);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = e.getValue();
                }
            }
            return best;
        }

        void write(StringBuilder md, Map<String, String> probe) {
            md.append("## Machine ceilings (measured by this run)\n\n");
            md.append("| ceiling | threads | value |\n|---|---|---|\n");
            for (Map.Entry<Integer, Double> e : flops.entrySet()) {
                md.append("| FP32 FMA peak (Vector API, ").append(probe.get("vector.species")).append(") | ")
                        .append(e.getKey()).append(" | ").append(sig(e.getValue())).append(" GFLOP/s |\n");
            }
            for (Map.Entry<Integer, Double> e : bandwidth.entrySet()) {
                md.append("| streaming read bandwidth | ").append(e.getKey()).append(" | ").append(sig(e.getValue()))
                        .append(" GB/s |\n");
            }
            String gpuWhy = probe.get("gpu.ceilings.unavailable");
            if (gpuWhy != null) {
                md.append("| GPU (cuBLAS sgemm, device copy) | — | not measured: ").append(gpuWhy.replace("|", "\\|"))
                        .append(" |\n");
            } else {
                md.append("| GPU cuBLAS sgemm | device | ").append(sig(gpuFlops)).append(" GFLOP/s |\n");
                md.append("| GPU device-to-device copy | device | ").append(sig(gpuBandwidth)).append(" GB/s |\n");
            }
            md.append('\n');
        }
    }

    /** Columns for a family: one line per (size, implementation). */
    private static final class FamilyTable {
        record Counts(int measured, int failed, int missing) {}

        private final Family family;
        private final Ceilings ceilings;
        private final double llc;
        private final Map<String, Map<String, Row>> bySize = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> sizeParams = new LinkedHashMap<>();
        private final Set<String> impls = new LinkedHashSet<>();
        private final Map<String, String> skips = new LinkedHashMap<>();

        FamilyTable(Family family, Ceilings ceilings, double llc) {
            this.family = family;
            this.ceilings = ceilings;
            this.llc = llc;
        }

        boolean isEmpty() {
            return bySize.isEmpty();
        }

        private String size(Map<String, String> params) {
            Map<String, String> p = new TreeMap<>(params);
            p.remove("impl");
            String key = p.toString();
            sizeParams.putIfAbsent(key, p);
            bySize.computeIfAbsent(key, x -> new LinkedHashMap<>());
            return key;
        }

        void plan(Map<String, String> params) {
            String impl = params.get("impl");
            impls.add(impl);
            bySize.get(size(params)).putIfAbsent(impl, null);
        }

        void add(Row r) {
            impls.add(r.impl);
            bySize.get(size(r.params)).put(r.impl, r);
        }

        void skip(Map<String, String> params, String reason) {
            skips.putIfAbsent(params.get("impl") + ": " + reason, sizeLabel(params));
        }

        private Map<String, Double> numeric(Map<String, String> p) {
            return family.derived(p);
        }

        private String sizeLabel(Map<String, String> params) {
            StringBuilder s = new StringBuilder();
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (e.getKey().equals("impl")) continue;
                if (s.length() > 0) s.append(' ');
                s.append(e.getKey()).append('=').append(e.getValue());
            }
            return s.toString();
        }

        private String cacheNote(Map<String, Double> p) {
            double ws = family.workingSet(p);
            String note = Family.bytesLabel(ws);
            if (!Double.isNaN(llc)) note += ws <= llc ? ", fits LLC" : ", > LLC";
            return note;
        }

        Counts write(StringBuilder md, Map<String, Properties> checks, Path charts) throws IOException {
            md.append("## ").append(family.title).append("\n\n").append(family.description).append("\n\n");
            List<String> peers = new ArrayList<>();
            for (String impl : impls) if (isPeer(impl)) peers.add(impl);
            md.append("| size | impl | threads | time/op | ").append(family.unitName).append("/s | GFLOP/s | GB/s | % roofline | × scalar");
            for (String peer : peers) md.append(" | × ").append(peer);
            md.append(" | check |\n|---|---|--:|--:|--:|--:|--:|--:|--:");
            for (int j = 0; j < peers.size(); j++) md.append("|--:");
            md.append("|---|\n");
            int measured = 0;
            int failed = 0;
            int missing = 0;
            List<String> categories = new ArrayList<>();
            Map<String, List<Double>> series = new LinkedHashMap<>();
            for (String impl : impls) series.put(impl, new ArrayList<>());
            boolean chartUnits = family == Family.SGD || family == Family.BPR || family == Family.TRAIN_EPOCH;
            for (Map.Entry<String, Map<String, Row>> size : bySize.entrySet()) {
                Map<String, String> sp = sizeParams.get(size.getKey());
                Map<String, Double> np = numeric(sp);
                String label = sizeLabel(sp) + " (" + cacheNote(np) + ")";
                categories.add(sizeLabel(sp));
                Map<String, Row> byImpl = size.getValue();
                Row scalar = byImpl.get("scalar");
                for (String impl : impls) {
                    if (!byImpl.containsKey(impl)) {
                        series.get(impl).add(null);
                        continue;
                    }
                    Row r = byImpl.get(impl);
                    Map<String, String> keyParams = new TreeMap<>(sp);
                    keyParams.put("impl", impl);
                    Properties check = checks.get(family.bench + keyParams);
                    String checkText = check == null ? "not recorded" : checkText(check);
                    int threads = check == null ? 1 : Integer.parseInt(check.getProperty("threads", "1"));
                    md.append("| ").append(label).append(" | ").append(impl).append(" | ");
                    if (r == null) {
                        boolean isFailed = check != null && "FAILED".equals(check.getProperty("status"));
                        if (isFailed) failed++;
                        else missing++;
                        md.append(threads).append(" | ").append(isFailed ? "**FAILED**" : "no result (threw; see the JMH log)");
                        md.append(" | — | — | — | — | —");
                        for (int j = 0; j < peers.size(); j++) md.append(" | —");
                        md.append(" | ").append(checkText).append(" |\n");
                        series.get(impl).add(null);
                        continue;
                    }
                    measured++;
                    double t = r.secondsPerOp;
                    double gflops = family.flops(np) / t / 1e9;
                    double gbps = family.bytes(np) / t / 1e9;
                    double bound = Math.max(family.flops(np) / 1e9 / ceilings.flops(impl, threads),
                            family.bytes(np) / 1e9 / ceilings.bandwidth(impl, threads));
                    md.append(threads).append(" | ").append(time(t)).append(" ± ").append(time(r.errorSeconds))
                            .append(" | ").append(rate(family.units(np) / t)).append(" | ").append(sig(gflops))
                            .append(" | ").append(sig(gbps)).append(" | ").append(sig(100 * bound / t)).append('%')
                            .append(" | ").append(ratio(scalar, t));
                    for (String peer : peers) md.append(" | ").append(ratio(byImpl.get(peer), t));
                    md.append(" | ").append(checkText).append(" |\n");
                    series.get(impl).add(chartUnits ? family.units(np) / t / 1e6 : gflops);
                }
            }
            md.append('\n');
            for (Map.Entry<String, String> s : skips.entrySet()) {
                md.append("- not run: ").append(s.getKey()).append('\n');
            }
            String chartFile = chart(charts, categories, series, chartUnits);
            md.append(skips.isEmpty() ? "" : "\n").append("![").append(family.title).append("](charts/")
                    .append(chartFile).append(")\n\n");
            return new Counts(measured, failed, missing);
        }

        private String chart(Path charts, List<String> categories, Map<String, List<Double>> series, boolean units)
                throws IOException {
            String name = family.bench.replace("Bench", "").toLowerCase(Locale.ROOT) + ".png";
            CategoryChart chart = new CategoryChartBuilder().width(1000).height(520).title(family.title)
                    .xAxisTitle("size").yAxisTitle(units ? "million " + family.unitName + "/s" : "GFLOP/s").build();
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setXAxisLabelRotation(categories.size() > 2 ? 20 : 0);
            // Linear axis with value labels: XChart's log axis rejects the gaps left by missing rows.
            chart.getStyler().setLabelsVisible(true);
            chart.getStyler().setDecimalPattern("#,##0.#");
            chart.getStyler().setOverlapped(false);
            boolean any = false;
            for (Map.Entry<String, List<Double>> s : series.entrySet()) {
                List<Double> ys = new ArrayList<>();
                boolean has = false;
                for (Double y : s.getValue()) {
                    // Missing or failed rows are drawn as absent bars (XChart skips nulls).
                    ys.add(y != null && y > 0 && Double.isFinite(y) ? y : null);
                    has |= y != null && y > 0;
                }
                if (!has) continue;
                chart.addSeries(s.getKey(), categories, ys);
                any = true;
            }
            if (!any) {
                List<Double> zeros = new ArrayList<>();
                for (int j = 0; j < categories.size(); j++) zeros.add(0.0);
                chart.addSeries("no measured rows", categories, zeros);
            }
            BitmapEncoder.saveBitmap(chart, charts.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
            return name;
        }

        private static boolean isPeer(String impl) {
            return impl.equals("java-loops") || impl.startsWith("netlib") || impl.equals("ejml") || impl.startsWith("spark");
        }

        private static String checkText(Properties check) {
            String status = check.getProperty("status");
            if (status.equals("REFERENCE")) return "reference";
            if (status.equals("UNCHECKED")) return "not checked: " + check.getProperty("what");
            double error = number(check.getProperty("error"));
            String e = Double.isFinite(error) ? String.format(Locale.ROOT, "%.1e", error) : String.valueOf(error);
            String t = String.format(Locale.ROOT, "%.0e", number(check.getProperty("tolerance")));
            return (status.equals("OK") ? "ok " : "**FAILED** ") + e + " (tol " + t + ")";
        }

        private static String ratio(Row other, double t) {
            if (other == null) return "—";
            return String.format(Locale.ROOT, "%.2f×", other.secondsPerOp / t);
        }

        private static String time(double seconds) {
            if (Double.isNaN(seconds)) return "—";
            if (seconds >= 1) return sig(seconds) + " s";
            if (seconds >= 1e-3) return sig(seconds * 1e3) + " ms";
            return sig(seconds * 1e6) + " µs";
        }

        private static String rate(double perSecond) {
            if (perSecond >= 1e9) return sig(perSecond / 1e9) + " G";
            if (perSecond >= 1e6) return sig(perSecond / 1e6) + " M";
            if (perSecond >= 1e3) return sig(perSecond / 1e3) + " k";
            return sig(perSecond);
        }
    }
}
