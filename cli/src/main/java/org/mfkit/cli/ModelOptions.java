package org.mfkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.mfkit.data.IdMap;
import org.mfkit.model.FactorModel;
import org.mfkit.model.io.ModelFile;
import org.mfkit.model.io.ModelState;
import picocli.CommandLine.Option;

/** The {@code --model} option of the commands that use a trained model, and the model's ids. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", required = true, description = "A model file written by 'mfkit train'.")
    Path file;

    private ModelState state;
    private FactorModel model;

    /** Loads the model (a truncated, corrupted or newer-version file fails with the reason). */
    FactorModel load(PrintWriter out) throws IOException {
        state = ModelFile.load(file);
        model = FactorModel.fromState(state);
        out.printf(Locale.ROOT, "Model %s: %s, k = %d, %,d users x %,d items%n", file, model.type(), model.k(),
                model.numUsers(), model.numItems());
        out.flush();
        return model;
    }

    /** The state as loaded (its settings record how the model was trained). */
    ModelState state() {
        return state;
    }

    /** The dense index of user {@code id}, or an error naming it. */
    int user(String id) {
        return index(model.userIds(), model.numUsers(), id, "user");
    }

    /** The dense index of item {@code id}, or an error naming it. */
    int item(String id) {
        return index(model.itemIds(), model.numItems(), id, "item");
    }

    /** The external id of user {@code index}. */
    String userId(int index) {
        return model.userIds() == null ? Integer.toString(index) : model.userIds().externalId(index);
    }

    /** The external id of item {@code index}. */
    String itemId(int index) {
        return model.itemIds() == null ? Integer.toString(index) : model.itemIds().externalId(index);
    }

    private int index(IdMap ids, int count, String id, String what) {
        if (ids != null) {
            int index = ids.find(id);
            if (index < 0) {
                throw new IllegalArgumentException(what + " '" + id + "' is not in the model " + file + " (" + count + " "
                        + what + "s, ids as in the training file)");
            }
            return index;
        }
        // A model without id maps names its rows by index.
        try {
            int index = Integer.parseInt(id);
            if (index >= 0 && index < count) return index;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " '" + id + "' is not in the model " + file + ": it has no id map, so "
                + what + "s are its row numbers 0.." + (count - 1));
    }
}
