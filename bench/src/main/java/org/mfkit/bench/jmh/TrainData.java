package org.mfkit.bench.jmh;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;
import org.mfkit.data.SyntheticData;
import org.mfkit.data.io.RatingsFormat;
import org.mfkit.data.io.RatingsReader;
import org.mfkit.data.io.RatingsWriter;

/**
 * The data sets of the {@code TrainEpoch} family, by name:
 * <ul>
 *   <li>{@code synth10m}: the 10M-rating explicit set of {@code shared/data/gen_synth.py}
 *       (138,000 users × 27,000 items, seeded, the same bytes every run), read from
 *       {@code ratings.csv} in the folder named by the system property {@value #DIR_PROPERTY}
 *       (default {@value #DEFAULT_DIR}) with {@link RatingsReader}, the path users take;</li>
 *   <li>{@code ml1m}: a MovieLens-1M-shaped implicit set generated in code
 *       ({@link SyntheticData.Spec#movieLens1mImplicitShape}, seed {@value #SEED}: 6,039 users ×
 *       3,628 items, 590,733 positives);</li>
 *   <li>{@code tiny}: a 300 × 200 implicit set of the same kind, for the smoke profile.</li>
 * </ul>
 * {@link #write} writes a generated set as {@code ratings.csv} (header {@code user,item,rating})
 * and {@code ratings.txt} (LibMF's {@code user item rating}), both with 1-based ids like
 * gen_synth.py, so that peer tools can train on exactly the same data.
 */
public final class TrainData {
    /** System property naming the folder of the 10M set's {@code ratings.csv}. */
    public static final String DIR_PROPERTY = "mfkit.bench.data";
    /** Where the 10M set is looked for when the property is not set. */
    public static final String DEFAULT_DIR = "/work/cache/synth10m";
    /** Seed of the generated sets. */
    public static final long SEED = 20261203L;
    /** The file name of the 10M set (and of what {@link #write} writes). */
    public static final String CSV = "ratings.csv";

    /** The names, in report order. */
    public static final List<String> NAMES = List.of("synth10m", "ml1m", "tiny");

    private TrainData() {}

    /** Users, items and interactions of a named set, without loading it (the report's work model). */
    public static long[] shape(String name) {
        return switch (name) {
            case "synth10m" -> new long[] {138_000, 27_000, 10_000_000};
            case "ml1m" -> shapeOf(SyntheticData.Spec.movieLens1mImplicitShape(SEED));
            case "tiny" -> shapeOf(tinySpec());
            default -> throw unknown(name);
        };
    }

    private static long[] shapeOf(SyntheticData.Spec spec) {
        return new long[] {spec.numUsers(), spec.numItems(), spec.interactions()};
    }

    private static SyntheticData.Spec tinySpec() {
        return new SyntheticData.Spec(300, 200, 6000, 3, 0, 0.7, true, false, SEED, 1.0);
    }

    /** The folder the 10M set is read from. */
    public static Path dataDir() {
        String dir = System.getProperty(DIR_PROPERTY);
        return Path.of(dir == null || dir.isBlank() ? DEFAULT_DIR : dir);
    }

    /**
     * Why a named set cannot be loaded on this machine (the 10M set's file is missing, with
     * how to make it), or null when it can.
     */
    public static String missing(String name) {
        if (!name.equals("synth10m")) {
            shape(name);
            return null;
        }
        Path file = dataDir().resolve(CSV);
        if (Files.isRegularFile(file)) return null;
        return "the 10M-rating set is not at " + file + "; write it with `python3 <repo>/../shared/data/gen_synth.py "
                + dataDir() + "` (about 95 s, 400 MB; seeded, the same bytes every run) or point -D" + DIR_PROPERTY
                + " (bench option --data-dir) at a folder holding its ratings.csv";
    }

    /** Loads a named set. */
    public static Ratings load(String name) {
        if (name.equals("synth10m")) {
            String why = missing(name);
            if (why != null) throw new IllegalStateException(why);
            try {
                return RatingsReader.detecting().read(dataDir().resolve(CSV)).ratings();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dataDir().resolve(CSV), e);
            }
        }
        return switch (name) {
            case "ml1m" -> SyntheticData.generate(SyntheticData.Spec.movieLens1mImplicitShape(SEED)).ratings();
            case "tiny" -> SyntheticData.generate(tinySpec()).ratings();
            default -> throw unknown(name);
        };
    }

    /**
     * Writes a generated set into {@code dir} as {@code ratings.csv} and {@code ratings.txt}
     * (1-based ids); returns the files written.
     */
    public static List<Path> write(String name, Path dir) throws IOException {
        if (name.equals("synth10m")) {
            throw new IllegalArgumentException("synth10m is not generated in code; write it with shared/data/gen_synth.py");
        }
        Ratings r = load(name);
        Files.createDirectories(dir);
        Ratings oneBased = new Ratings(r.numUsers(), r.numItems(), r.users(), r.items(), r.values(), null,
                oneBasedIds(r.numUsers()), oneBasedIds(r.numItems()));
        Path csv = dir.resolve(CSV);
        RatingsWriter.write(oneBased, csv, RatingsFormat.CSV);
        Path txt = dir.resolve("ratings.txt");
        try (BufferedWriter out = Files.newBufferedWriter(txt, StandardCharsets.UTF_8)) {
            for (int j = 0; j < r.size(); j++) {
                float v = r.value(j);
                String value = v == Math.rint(v) ? Long.toString((long) v) : Float.toString(v);
                out.write((r.user(j) + 1) + " " + (r.item(j) + 1) + " " + value + "\n");
            }
        }
        return List.of(csv, txt);
    }

    private static IdMap oneBasedIds(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int j = 1; j <= n; j++) ids.add(Integer.toString(j));
        return IdMap.of(ids);
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("data = " + name + ": expected one of " + NAMES);
    }
}
