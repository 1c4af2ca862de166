package org.mfkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.mfkit.data.Ratings;
import org.mfkit.data.io.IdRemap;
import org.mfkit.data.io.LoadedRatings;
import org.mfkit.data.io.RatingsFormat;
import org.mfkit.data.io.RatingsReader;
import org.mfkit.model.FactorModel;
import org.mfkit.model.io.ModelState;
import picocli.CommandLine.Option;

/**
 * Where the items each user has already seen come from, so that recommendations and ranking
 * metrics leave them out. A model file holds factors and ids, not interactions; {@code mfkit
 * train} records the path, format and columns of its input in the model's settings, and by
 * default that file is read again. {@code --train} names another file (the model moved to
 * another machine, or the file moved); {@code --include-seen} does without.
 */
final class SeenOptions {
    @Option(names = "--train", paramLabel = "FILE",
            description = "The interactions the model was trained on, whose items are excluded "
                    + "(default: the input file recorded in the model by 'mfkit train').")
    Path train;

    @Option(names = "--train-format", paramLabel = "FORMAT",
            description = "Format of --train: movielens-100k, movielens-1m, csv or tsv (default: from its name).")
    String trainFormat;

    @Option(names = "--include-seen", description = "Do not exclude items the user has already interacted with.")
    boolean includeSeen;

    /** Checks the combination before any work. */
    void check() {
        if (includeSeen && (train != null || trainFormat != null)) {
            throw new IllegalArgumentException("--include-seen excludes nothing, so --train/--train-format make no sense with it");
        }
        if (trainFormat != null && train == null) throw new IllegalArgumentException("--train-format needs --train FILE");
        if (trainFormat != null) RatingsFormat.parse(trainFormat);
    }

    /**
     * The seen interactions in the model's id space, or null with {@code --include-seen};
     * interactions with ids the model does not know are dropped (it has no factors for them).
     */
    Ratings load(FactorModel model, ModelState state, PrintWriter out) throws IOException {
        if (includeSeen) return null;
        LoadedRatings loaded;
        if (train != null) {
            RatingsReader reader = trainFormat == null ? RatingsReader.detecting() : RatingsReader.of(RatingsFormat.parse(trainFormat));
            loaded = reader.read(train);
            out.printf(Locale.ROOT, "Seen items from %s: %,d interactions%n", train, loaded.ratings().size());
        } else {
            Path recorded = InputOptions.recordedFile(state.hyperParameters());
            if (recorded == null) {
                throw new IllegalArgumentException("the model records no training file, so seen items are unknown; "
                        + "give --train FILE (the interactions it was trained on) or --include-seen");
            }
            if (!Files.isRegularFile(recorded)) {
                throw new IllegalArgumentException("the model's training file " + recorded + " is gone; "
                        + "give --train FILE (the interactions it was trained on) or --include-seen");
            }
            loaded = InputOptions.readRecorded(state.hyperParameters(), new PrintWriter(java.io.Writer.nullWriter()));
            out.printf(Locale.ROOT, "Seen items from %s (recorded in the model): %,d interactions%n", recorded,
                    loaded.ratings().size());
        }
        Ratings ratings = loaded.ratings();
        if (model.userIds() == null || model.itemIds() == null) {
            throw new IllegalArgumentException("the model has no id maps, so interactions read from a file cannot be "
                    + "matched to its users and items; use --include-seen");
        }
        IdRemap.Result mapped = IdRemap.toModelIds(ratings, model.userIds(), model.itemIds());
        if (mapped.dropped() > 0) {
            out.printf(Locale.ROOT, "  (%,d of them name users or items the model does not know; ignored)%n", mapped.dropped());
        }
        out.flush();
        return mapped.ratings();
    }
}
