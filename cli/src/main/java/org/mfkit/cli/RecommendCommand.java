package org.mfkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.model.FactorModel;
import org.mfkit.model.RecommendOptions;
import org.mfkit.model.Recommender;
import org.mfkit.model.ScoredItem;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mfkit recommend}: top-N items for some users (a table) or for every user (CSV),
 * excluding what each user has already seen (see {@link SeenOptions}).
 */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-N recommendations from a model, excluding the items each user already interacted with.",
                "For --user ids: a table, or CSV with --output. For --all-users: CSV (user,rank,item,score) to --output "
                        + "or standard output.",
                "Example: mfkit recommend -m ml100k.mfm --user 196,186 -n 5"})
final class RecommendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    /** Exactly one of some users or all of them. */
    static final class Who {
        @Option(names = {"-u", "--user"}, paramLabel = "ID", split = ",", required = true,
                description = "User ids as in the training file (repeat or comma-separate).")
        List<String> users;

        @Option(names = "--all-users", required = true, description = "Every user of the model.")
        boolean all;
    }

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "10",
            description = "Recommendations per user (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write CSV (user,rank,item,score) to FILE, atomically, instead of standard output.")
    Path output;

    @Mixin
    SeenOptions seen;

    @Mixin
    BackendSelection backend;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (count < 1) throw new IllegalArgumentException("--count = " + count + " must be >= 1");
        seen.check();
        if (output != null) OutputFile.check("--output", output, model.file, seen.train);
        // With CSV on standard output, progress goes to standard error so the output stays clean.
        boolean csvToStdout = output == null && who.all;
        PrintWriter log = csvToStdout ? spec.commandLine().getErr() : out;
        FactorModel m = model.load(log);
        int[] users = users(m);
        try (Kernels kernels = backend.open()) {
            Ratings seenRatings = seen.load(m, model.state(), log);
            long start = System.nanoTime();
            List<List<ScoredItem>> lists;
            try (Recommender recommender = new Recommender(kernels, m, seenRatings)) {
                lists = recommender.recommend(users, count, RecommendOptions.defaults().withExcludeSeen(seenRatings != null));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (output != null) {
                OutputFile.writeText(output, w -> csv(w, users, lists));
                log.printf(Locale.ROOT, "Wrote %,d recommendations for %,d users to %s in %.2f s%n",
                        lists.stream().mapToLong(List::size).sum(), users.length, output, seconds);
            } else if (csvToStdout) {
                csv(out, users, lists);
                log.printf(Locale.ROOT, "%,d users in %.2f s%n", users.length, seconds);
            } else {
                print(out, users, lists);
            }
        }
        out.flush();
        log.flush();
        return 0;
    }

    /** The users asked for, as model indices; an unknown id fails before anything is computed. */
    private int[] users(FactorModel m) {
        if (who.all) {
            int[] all = new int[m.numUsers()];
            for (int u = 0; u < all.length; u++) all[u] = u;
            return all;
        }
        int[] users = new int[who.users.size()];
        for (int j = 0; j < users.length; j++) users[j] = model.user(who.users.get(j).trim());
        return users;
    }

    private void csv(java.io.Writer w, int[] users, List<List<ScoredItem>> lists) throws java.io.IOException {
        w.write("user,rank,item,score\n");
        for (int r = 0; r < users.length; r++) {
            String user = Csv.field(model.userId(users[r]));
            List<ScoredItem> list = lists.get(r);
            for (int j = 0; j < list.size(); j++) {
                ScoredItem s = list.get(j);
                w.write(user + "," + (j + 1) + "," + Csv.field(model.itemId(s.index())) + "," + s.score() + "\n");
            }
        }
        w.flush();
    }

    private void print(PrintWriter out, int[] users, List<List<ScoredItem>> lists) {
        for (int r = 0; r < users.length; r++) {
            out.println();
            out.println("User " + model.userId(users[r]));
            Table table = new Table("  ", ">rank", "item", ">score");
            List<ScoredItem> list = lists.get(r);
            for (int j = 0; j < list.size(); j++) {
                table.row(j + 1, model.itemId(list.get(j).index()), String.format(Locale.ROOT, "%.4f", list.get(j).score()));
            }
            if (list.isEmpty()) out.println("  (no items left: the user has seen them all)");
            else table.print(out);
        }
    }
}
