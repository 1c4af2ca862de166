package org.mfkit.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mfkit.core.BackendInfo;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;

/**
 * The demo: what a newcomer sees first. Four sections, each short enough to read: the
 * machine, the backends, a cross-check of every available backend against the scalar
 * reference, and training on the embedded data with every available backend, best first.
 * Returns {@link Main#EXIT_CHECK_FAILED} when a cross-check fails, so scripts notice.
 */
final class DemoRun {
    private final DemoCommand.Settings settings;
    private final PrintWriter out;

    DemoRun(DemoCommand.Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    int run() {
        if (settings.threads < 0) throw new IllegalArgumentException("--threads = " + settings.threads + " must be >= 0");
        if (settings.epochs < 1) throw new IllegalArgumentException("--epochs = " + settings.epochs + " must be >= 1");
        if (settings.sweeps < 1) throw new IllegalArgumentException("--sweeps = " + settings.sweeps + " must be >= 1");
        long start = System.nanoTime();
        out.println("mfkit " + new Main.Version().getVersion()[0].substring("mfkit ".length())
                + " - fast, verified matrix-factorization kernels for the JVM");
        out.println();
        machine();
        List<BackendInfo> backends = backends();
        boolean checksPassed = crossCheck(backends);
        new DemoTraining(out, settings.seed, settings.epochs, settings.sweeps, settings.threads).run(backends);
        out.printf(Locale.ROOT, "%nDone in %.1f s. Next: 'mfkit --help', 'mfkit train --help', 'mfkit bench'.%n",
                (System.nanoTime() - start) / 1e9);
        out.flush();
        return checksPassed ? 0 : Main.EXIT_CHECK_FAILED;
    }

    private void machine() {
        Hardware hw = Hardware.detect();
        out.println("Machine");
        Table table = new Table("  ", "", "").withoutHeader();
        table.row("CPU", hw.cpu + " (" + hw.simd + "), " + hw.logicalCores + " logical core" + (hw.logicalCores == 1 ? "" : "s"));
        table.row("memory", Hardware.gib(hw.memoryBytes) + " RAM; JVM heap up to " + Hardware.gib(hw.maxHeapBytes));
        table.row("JVM", hw.jvm);
        table.row("OS", hw.os);
        table.print(out);
        out.println();
    }

    private List<BackendInfo> backends() {
        List<BackendInfo> all = Backends.list();
        out.println("Backends (best first)");
        BackendsCommand.print(out, all, "  ");
        out.println();
        List<BackendInfo> chosen = new ArrayList<>();
        for (BackendInfo b : all) {
            if (!b.available()) continue;
            if (settings.backends == null || settings.backends.contains(b.name())) chosen.add(b);
        }
        if (settings.backends != null) {
            for (String wanted : settings.backends) {
                if (all.stream().noneMatch(b -> b.name().equals(wanted) && b.available())) {
                    throw new IllegalArgumentException("--backend " + wanted + " is not an available backend; available: "
                            + String.join(", ", all.stream().filter(BackendInfo::available).map(BackendInfo::name).toList()));
                }
            }
        }
        return chosen;
    }

    private boolean crossCheck(List<BackendInfo> backends) {
        out.println("Cross-check against the scalar reference");
        out.println("  " + CrossCheck.describe());
        List<BackendInfo> others = backends.stream().filter(b -> !b.name().equals("scalar")).toList();
        if (others.isEmpty()) {
            out.println("  (no backend besides the scalar reference is available here, so there is nothing to compare)");
            out.println();
            return true;
        }
        CrossCheck check = new CrossCheck();
        Table table = new Table("  ", "backend", "kernel", ">max error", ">tolerance", "result");
        int failed = 0;
        int total = 0;
        try (Kernels reference = Backends.open("scalar", BackendOptions.threads(1))) {
            for (BackendInfo b : others) {
                try (Kernels candidate = Backends.open(b.name(), BackendOptions.threads(settings.threads))) {
                    for (CrossCheck.Result r : check.compare(reference, candidate)) {
                        total++;
                        if (!r.pass()) failed++;
                        table.row(b.name(), r.kernel(), sci(r.error()), sci(r.tolerance()),
                                (r.pass() ? "pass" : "FAIL") + (r.note().isEmpty() ? "" : " (" + r.note() + ")"));
                    }
                } catch (RuntimeException e) {
                    total++;
                    failed++;
                    table.row(b.name(), "(could not run)", "", "", "FAIL: " + e.getMessage());
                }
            }
        }
        table.print(out);
        out.println(failed == 0
                ? "  all " + total + " checks passed: error <= tolerance on every kernel and backend."
                : "  " + failed + " of " + total + " checks FAILED: that backend disagrees with the reference; please report it.");
        out.println();
        return failed == 0;
    }

    static String sci(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.1e", v);
    }
}
