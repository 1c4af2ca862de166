package org.mfkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mfkit.core.Kernels;
import org.mfkit.model.FactorModel;
import org.mfkit.model.RecommendOptions;
import org.mfkit.model.Recommender;
import org.mfkit.model.ScoredItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mfkit similar}: the items closest to given items by cosine of their factor vectors. */
@Command(name = "similar", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Items most similar to the given items: cosine of the model's item factor vectors, "
                + "the item itself left out; --allow and --deny restrict the candidates.",
                "Example: mfkit similar -m ml100k.mfm 50 181 -n 5 --deny 100"})
final class SimilarCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Parameters(paramLabel = "ITEM", arity = "1..*", description = "Item ids as in the training file.")
    List<String> items;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "10",
            description = "Similar items per item (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--allow", paramLabel = "ID", split = ",",
            description = "Only these items may be listed (repeat or comma-separate; ids as in the training file).")
    List<String> allow;

    @Option(names = "--deny", paramLabel = "ID", split = ",",
            description = "These items are never listed (repeat or comma-separate); wins over --allow.")
    List<String> deny;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write CSV (item,rank,similar,cosine) to FILE, atomically, instead of a table.")
    Path output;

    @Mixin
    BackendSelection backend;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (count < 1) throw new IllegalArgumentException("--count = " + count + " must be >= 1");
        if (output != null) OutputFile.check("--output", output, model.file);
        FactorModel m = model.load(out);
        int[] asked = new int[items.size()];
        for (int j = 0; j < asked.length; j++) asked[j] = model.item(items.get(j).trim());
        RecommendOptions filters = RecommendOptions.defaults().withAllow(items(allow)).withDeny(items(deny));
        List<List<ScoredItem>> lists = new ArrayList<>();
        try (Kernels kernels = backend.open(); Recommender recommender = new Recommender(kernels, m, null)) {
            for (int item : asked) lists.add(recommender.similarItems(item, count, filters));
        }
        if (output != null) {
            OutputFile.writeText(output, w -> {
                w.write("item,rank,similar,cosine\n");
                for (int r = 0; r < asked.length; r++) {
                    String item = Csv.field(model.itemId(asked[r]));
                    List<ScoredItem> list = lists.get(r);
                    for (int j = 0; j < list.size(); j++) {
                        w.write(item + "," + (j + 1) + "," + Csv.field(model.itemId(list.get(j).index())) + ","
                                + list.get(j).score() + "\n");
                    }
                }
            });
            out.printf(Locale.ROOT, "Wrote the %d most similar items of %d item%s to %s%n", count, asked.length,
                    asked.length == 1 ? "" : "s", output);
        } else {
            for (int r = 0; r < asked.length; r++) {
                out.println();
                out.println("Item " + model.itemId(asked[r]));
                Table table = new Table("  ", ">rank", "item", ">cosine");
                List<ScoredItem> list = lists.get(r);
                for (int j = 0; j < list.size(); j++) {
                    table.row(j + 1, model.itemId(list.get(j).index()), String.format(Locale.ROOT, "%.4f", list.get(j).score()));
                }
                if (list.isEmpty()) out.println("  (no items left after --allow/--deny)");
                else table.print(out);
            }
        }
        out.flush();
        return 0;
    }

    /** The model indices of {@code ids}, or null when the option was not given; an unknown id is an error naming it. */
    private int[] items(List<String> ids) {
        if (ids == null) return null;
        int[] out = new int[ids.size()];
        for (int j = 0; j < out.length; j++) out[j] = model.item(ids.get(j).trim());
        return out;
    }
}
