package org.mfkit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;
import org.mfkit.data.SyntheticData;
import org.mfkit.model.io.ModelFile;

/**
 * Model files written by an earlier mfkit (commit 33da01e, before model types became
 * descriptors) still load and serve exactly what they served then: predictions, top-K,
 * similar items and fold-in, on the scalar backend. The files and the outputs they gave are
 * in {@code src/test/resources/org/mfkit/model/legacy}; each was trained for 3 epochs with
 * seed 3 on the small synthetic sets rebuilt here, with k = 4 and a few non-default settings,
 * and carries two settings the command line adds ({@code input.file}, {@code validation}).
 */
class LegacyModelFilesTest {
    private Kernels kernels;

    @BeforeEach
    void open() {
        kernels = Backends.open("scalar");
    }

    @AfterEach
    void close() {
        kernels.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"biased-mf", "als", "implicit-als", "bpr"})
    void aFileOfTheEarlierFormatServesWhatItServedThen(String type) throws Exception {
        Properties expected = expected();
        FactorModel model = FactorModel.fromState(ModelFile.load(resource(type + ".mfm")));
        assertEquals(type, model.type());
        assertEquals(4, model.k());
        assertEquals(expected.getProperty(type + ".settings"), model.hyperParameters().toString());
        Ratings seen = Models.isImplicit(type) ? implicitData() : explicitData();
        try (Recommender r = new Recommender(kernels, model, seen)) {
            assertEquals(expected.getProperty(type + ".predict"),
                    join(r.predict(new int[] {0, 1, 2, 29}, new int[] {0, 5, 19, 7})));
            assertEquals(expected.getProperty(type + ".top5.user1"), items(r.recommend(1, 5)));
            FoldIn user = r.foldIn(new int[] {0, 3, 5, 3}, new float[] {4f, 2f, 5f, 1f});
            assertEquals(expected.getProperty(type + ".foldIn.factors"), join(user.factors()));
            assertEquals(expected.getProperty(type + ".foldIn.bias"), Float.toString(user.bias()));
            assertEquals(expected.getProperty(type + ".foldIn.top5"),
                    items(r.recommend(user, new int[] {0, 3, 5}, 5, RecommendOptions.defaults())));
            assertEquals(expected.getProperty(type + ".similarItems.item2"), items(r.similarItems(2, 3)));
        }
    }

    static Ratings explicitData() {
        return withIds(SyntheticData.generate(new SyntheticData.Spec(30, 20, 200, 2, 0.5, 0.5, false, true, 5)).ratings());
    }

    static Ratings implicitData() {
        return withIds(SyntheticData.generate(new SyntheticData.Spec(30, 20, 150, 2, 0.0, 0.5, true, false, 6)).ratings());
    }

    private static Ratings withIds(Ratings r) {
        return new Ratings(r.numUsers(), r.numItems(), r.users(), r.items(), r.values(), null,
                ids("u", r.numUsers()), ids("i", r.numItems()));
    }

    private static IdMap ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int j = 0; j < n; j++) ids.add(prefix + j);
        return IdMap.of(ids);
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(LegacyModelFilesTest.class.getResource("legacy/" + name).toURI());
    }

    private static Properties expected() throws IOException {
        Properties p = new Properties();
        try (InputStream in = LegacyModelFilesTest.class.getResourceAsStream("legacy/expected.properties")) {
            p.load(in);
        }
        return p;
    }

    private static String join(float[] values) {
        StringBuilder sb = new StringBuilder();
        for (float v : values) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(v);
        }
        return sb.toString();
    }

    private static String items(List<ScoredItem> list) {
        StringBuilder sb = new StringBuilder();
        for (ScoredItem s : list) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(s.index()).append(':').append(s.score());
        }
        return sb.toString();
    }
}
