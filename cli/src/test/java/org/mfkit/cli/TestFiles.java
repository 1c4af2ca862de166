package org.mfkit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.data.SyntheticData;
import org.mfkit.data.io.RatingsFormat;
import org.mfkit.data.io.RatingsWriter;

/** Small generated rating files for the command tests. */
final class TestFiles {
    private TestFiles() {}

    /** 60 users x 80 items, 1,200 ratings 1-5 with a rank-3 signal; string ids "u7", "i12". */
    static Ratings ratings(long seed) {
        Ratings plain = SyntheticData.generate(new SyntheticData.Spec(60, 80, 1200, 3, 0.3, 0.5, false, true, seed)).ratings();
        List<String> users = new ArrayList<>();
        for (int u = 0; u < plain.numUsers(); u++) users.add("u" + u);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < plain.numItems(); i++) items.add("i" + i);
        return new Ratings(plain.numUsers(), plain.numItems(), plain.users(), plain.items(), plain.values(), null,
                IdMap.of(users), IdMap.of(items));
    }

    /** {@code ratings} written to {@code dir/name} in {@code format}. */
    static Path write(Ratings ratings, Path dir, String name, RatingsFormat format) throws IOException {
        Path file = dir.resolve(name);
        RatingsWriter.write(ratings, file, format);
        return file;
    }

    /** A 90/10 split of the standard ratings written as train.csv and test.csv; returns {train, test}. */
    static Path[] trainAndTest(Path dir) throws IOException {
        Split split = Splits.random(ratings(7), 0.1, 7);
        return new Path[] {write(split.train(), dir, "train.csv", RatingsFormat.CSV),
                write(split.test(), dir, "test.csv", RatingsFormat.CSV)};
    }

    /** The names in {@code dir}, sorted (to show that a failed command wrote nothing). */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
