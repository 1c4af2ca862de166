package org.mfkit.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.mfkit.core.BackendInfo;
import org.mfkit.core.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mfkit backends}: the registry's view of every backend on the class path. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"List every backend found, best first: available with what it runs on, or unavailable with the reason.",
                "The default backend is $MFKIT_BACKEND (or -Dmfkit.backend) when set, else the best available."})
final class BackendsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendInfo> backends = Backends.list();
        print(out, backends, "");
        String chosen = Backends.defaultName();
        String best = backends.stream().filter(BackendInfo::available).map(BackendInfo::name).findFirst().orElse("(none)");
        out.println();
        out.println(chosen.equals(Backends.BEST) ? "Default: " + best + " (best available)"
                : "Default: " + chosen + " (from $" + Backends.ENV + " or -D" + Backends.PROPERTY + ")");
        out.flush();
        return backends.stream().anyMatch(BackendInfo::available) ? 0 : Main.EXIT_FAILURE;
    }

    /** The listing as a table: name, state, priority, detail. */
    static void print(PrintWriter out, List<BackendInfo> backends, String indent) {
        Table table = new Table(indent, "backend", "state", ">priority", "details");
        for (BackendInfo b : backends) {
            table.row(b.name(), b.available() ? "available" : "unavailable", b.priority(), b.detail());
        }
        table.print(out);
    }
}
