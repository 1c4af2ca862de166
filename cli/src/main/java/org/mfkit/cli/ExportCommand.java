package org.mfkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mfkit.data.io.AtomicFiles;
import org.mfkit.model.FactorModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mfkit export}: a model's ids, factors and biases as plain files other tools read:
 * CSV, or NumPy {@code .npy} arrays ({@link Npy}).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a model's ids, factors and biases into a folder, as CSV or as NumPy .npy arrays.",
                "npy: user_factors.npy and item_factors.npy (float32, rows x k), user_ids.npy and item_ids.npy "
                        + "(unicode strings, the training file's ids), user_bias.npy and item_bias.npy when the model "
                        + "has them. csv: user_factors.csv and item_factors.csv (id[,bias],f0..f<k-1>). Both: model.txt "
                        + "(type, k, sizes, global mean). A score is global_mean + b_u + b_i + p_u . q_i.",
                "Example: mfkit export -m ml100k.mfm --format npy -o ml100k-factors"})
final class ExportCommand implements Callable<Integer> {
    /** The file formats. */
    enum Format { CSV, NPY }

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
            description = "csv or npy (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
            description = "The folder to write into (created when missing; files of the same names are replaced, "
                    + "each atomically).")
    Path output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        checkFolder();
        FactorModel m = model.load(out);
        String[] userIds = ids(m.numUsers(), true);
        String[] itemIds = ids(m.numItems(), false);
        List<String> written = new ArrayList<>();
        int k = m.k();
        if (format == Format.NPY) {
            written.add(write("user_factors.npy", s -> Npy.floats(s, m.userFactors(), m.numUsers(), k)));
            written.add(write("item_factors.npy", s -> Npy.floats(s, m.itemFactors(), m.numItems(), k)));
            written.add(write("user_ids.npy", s -> Npy.strings(s, userIds)));
            written.add(write("item_ids.npy", s -> Npy.strings(s, itemIds)));
            if (m.hasUserBias()) written.add(write("user_bias.npy", s -> Npy.floats(s, m.userBias(), m.numUsers())));
            if (m.hasItemBias()) written.add(write("item_bias.npy", s -> Npy.floats(s, m.itemBias(), m.numItems())));
        } else {
            written.add(writeText("user_factors.csv", w -> csv(w, userIds, m.userFactors(), m.userBias(), k)));
            written.add(writeText("item_factors.csv", w -> csv(w, itemIds, m.itemFactors(), m.itemBias(), k)));
        }
        written.add(writeText("model.txt", w -> w.write("type=" + m.type() + "\nk=" + k + "\nusers=" + m.numUsers()
                + "\nitems=" + m.numItems() + "\nglobal_mean=" + m.globalMean() + "\nuser_bias=" + m.hasUserBias()
                + "\nitem_bias=" + m.hasItemBias() + "\n")));
        out.printf(Locale.ROOT, "Wrote %s to %s%n", String.join(", ", written), output);
        out.flush();
        return 0;
    }

    /** The folder must be one or be creatable; checked before the model is read. */
    private void checkFolder() {
        Path absolute = output.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("--output " + output + " is a file, not a folder");
        }
        if (absolute.equals(model.file.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--output " + output + " is the model file");
        }
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--output " + output + ": " + dir + " is not a directory");
                if (!Files.isWritable(dir)) throw new IllegalArgumentException("--output " + output + ": cannot write in " + dir);
                return;
            }
        }
    }

    private String[] ids(int count, boolean users) {
        String[] ids = new String[count];
        for (int r = 0; r < count; r++) ids[r] = users ? model.userId(r) : model.itemId(r);
        return ids;
    }

    private String write(String name, AtomicFiles.Writer content) throws IOException {
        AtomicFiles.write(output.resolve(name), content);
        return name;
    }

    private String writeText(String name, OutputFile.TextWriter content) throws IOException {
        OutputFile.writeText(output.resolve(name), content);
        return name;
    }

    /** One row per id: the id, the bias when the model has one on this side, then the k factors. */
    private static void csv(Writer w, String[] ids, float[] factors, float[] bias, int k) throws IOException {
        StringBuilder line = new StringBuilder("id");
        if (bias != null) line.append(",bias");
        for (int c = 0; c < k; c++) line.append(",f").append(c);
        w.write(line.append('\n').toString());
        for (int r = 0; r < ids.length; r++) {
            line.setLength(0);
            line.append(Csv.field(ids[r]));
            if (bias != null) line.append(',').append(bias[r]);
            for (int c = 0; c < k; c++) line.append(',').append(factors[r * k + c]);
            w.write(line.append('\n').toString());
        }
    }
}
