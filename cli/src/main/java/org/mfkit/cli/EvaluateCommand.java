package org.mfkit.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.data.io.IdRemap;
import org.mfkit.data.io.LoadedRatings;
import org.mfkit.eval.Evaluator;
import org.mfkit.eval.PopularityBaseline;
import org.mfkit.eval.RankingMetrics;
import org.mfkit.eval.RatingMetrics;
import org.mfkit.model.FactorModel;
import org.mfkit.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mfkit evaluate}: a model on a test file. Rating accuracy (RMSE, MAE) for models that
 * predict ratings; top-K ranking metrics for every model, beside the popularity baseline so the
 * numbers have a reference.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model on held-out interactions: RMSE and MAE (biased-mf, als), and for every model "
                + "Precision, Recall, NDCG, MAP at K, AUC and catalog coverage, beside the popularity baseline.",
                "Ranking excludes each user's training items (see --train). Test interactions with users or items "
                        + "the model does not know are dropped and counted.",
                "Example: mfkit evaluate -m ml100k.mfm -i u1.test --format movielens-100k --at 5,10"})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    InputOptions input;

    @Option(names = "--at", paramLabel = "K", split = ",", defaultValue = "10",
            description = "List lengths of the ranking metrics, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> at;

    @Option(names = "--min-relevant", paramLabel = "RATING",
            description = "Ranking: only test interactions with a value >= RATING count as relevant, e.g. 4 "
                    + "(default: every test interaction).")
    Float minRelevant;

    @Option(names = "--no-baseline", description = "Skip the popularity baseline.")
    boolean noBaseline;

    @Mixin
    SeenOptions seen;

    @Mixin
    BackendSelection backend;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (int k : at) if (k < 1) throw new IllegalArgumentException("--at " + k + " must be >= 1");
        if (minRelevant != null && !Float.isFinite(minRelevant)) {
            throw new IllegalArgumentException("--min-relevant " + minRelevant + " must be a finite number");
        }
        seen.check();
        FactorModel m = model.load(out);
        boolean implicit = Models.isImplicit(m.type());
        if (m.userIds() == null || m.itemIds() == null) {
            throw new IllegalArgumentException("the model " + model.file + " has no id maps, so a test file cannot be matched to it");
        }
        try (Kernels kernels = backend.open()) {
            LoadedRatings loaded = input.read(out);
            IdRemap.Result mapped = IdRemap.toModelIds(loaded.ratings(), m.userIds(), m.itemIds());
            Ratings test = mapped.ratings();
            if (mapped.dropped() > 0) {
                out.printf(Locale.ROOT, "Dropped %,d test interactions the model cannot score (%,d unknown users, "
                        + "%,d unknown items)%n", mapped.dropped(), mapped.unknownUsers(), mapped.unknownItems());
            }
            if (test.size() == 0) {
                throw new IllegalArgumentException("no test interaction in " + loaded.file() + " names a user and an item the model knows");
            }
            Ratings train = seen.load(m, model.state(), out);
            if (train == null) train = new Ratings(m.numUsers(), m.numItems(), new int[0], new int[0], new float[0]);
            out.println();

            if (!implicit) {
                RatingMetrics r = Evaluator.ratings(kernels, m, test);
                out.printf(Locale.ROOT, "Rating accuracy on %,d test ratings: RMSE %.4f  MAE %.4f%n", r.count(), r.rmse(), r.mae());
            } else {
                out.println("Rating accuracy: not applicable (" + m.type() + " ranks items; it does not predict ratings)");
            }

            Ratings relevant = minRelevant == null ? test : relevantOnly(test, minRelevant);
            if (relevant.size() == 0) {
                out.printf(Locale.ROOT, "Ranking: no test interaction has a value >= %s%n", minRelevant);
                out.flush();
                return 0;
            }
            PopularityBaseline baseline = noBaseline ? null : PopularityBaseline.fit(train);
            Table table = new Table("  ", "model", ">K", ">precision", ">recall", ">NDCG", ">MAP", ">AUC", ">coverage", ">users");
            for (int k : at) {
                row(table, m.type(), Evaluator.ranking(kernels, m, train, relevant, k));
                if (baseline != null) row(table, "popularity", Evaluator.ranking(baseline, train, relevant, k));
            }
            out.printf(Locale.ROOT, "Ranking (%,d relevant test interactions%s; training items excluded: %s)%n",
                    relevant.size(), minRelevant == null ? "" : " with value >= " + minRelevant,
                    train.size() == 0 ? "none" : String.format(Locale.ROOT, "%,d", train.size()));
            table.print(out);
        }
        out.flush();
        return 0;
    }

    private static void row(Table table, String name, RankingMetrics r) {
        table.row(name, r.k(), f(r.precision()), f(r.recall()), f(r.ndcg()), f(r.map()), f(r.auc()), f(r.coverage()),
                String.format(Locale.ROOT, "%,d", r.users()));
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** The interactions whose value is at least {@code min}. */
    static Ratings relevantOnly(Ratings test, float min) {
        int count = 0;
        for (int j = 0; j < test.size(); j++) if (test.value(j) >= min) count++;
        int[] positions = new int[count];
        int next = 0;
        for (int j = 0; j < test.size(); j++) if (test.value(j) >= min) positions[next++] = j;
        return test.subset(positions);
    }
}
