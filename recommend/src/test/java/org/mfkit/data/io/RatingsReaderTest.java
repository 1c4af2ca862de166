package org.mfkit.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;

class RatingsReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsMovieLens100kLayoutWithIdsInFirstSeenOrder() throws IOException {
        Path p = file("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n");
        LoadedRatings loaded = RatingsReader.detecting().read(p);
        Ratings r = loaded.ratings();
        assertEquals(RatingsFormat.MOVIELENS_100K, loaded.format());
        assertEquals(3, r.size());
        assertEquals(2, r.numUsers());
        assertEquals(3, r.numItems());
        assertArrayEquals(new int[] {0, 1, 0}, r.users());
        assertArrayEquals(new int[] {0, 1, 2}, r.items());
        assertArrayEquals(new float[] {3, 3, 1}, r.values());
        assertEquals(878887116L, r.timestamp(2));
        assertEquals(List.of("196", "186"), r.userIds().externalIds());
        assertEquals(List.of("242", "302", "377"), r.itemIds().externalIds());
    }

    @Test
    void readsMovieLens1mDoubleColonLayout() throws IOException {
        Path p = file("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4.5::978298413\n");
        Ratings r = RatingsReader.detecting().read(p).ratings();
        assertEquals(3, r.size());
        assertEquals(2, r.numItems());
        assertEquals(4.5f, r.value(2));
        assertEquals(List.of("1193", "661"), r.itemIds().externalIds());
    }

    @Test
    void readsMovieLensCsvWithHeaderAndCrLf() throws IOException {
        Path p = file("ratings.csv", "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.0,964981247\r\n\r\n2,1,2.5,1\r\n");
        LoadedRatings loaded = RatingsReader.detecting().read(p);
        assertEquals(3, loaded.ratings().size());
        assertEquals(2.5f, loaded.ratings().value(2));
        assertEquals(5, loaded.lines());
        assertTrue(loaded.ratings().hasTimestamps());
    }

    @Test
    void genericTsvWithStringIdsAndNamedColumns() throws IOException {
        Path p = file("events.tsv", "when\tcustomer\tproduct\tclicks\n5\talice\tbook-1\t2\n6\tbob\tbook-2\t1\n7\talice\tbook-2\t3\n");
        Ratings r = RatingsReader.of(RatingsFormat.TSV).columns("customer", "product", "clicks", "when").read(p).ratings();
        assertEquals(List.of("alice", "bob"), r.userIds().externalIds());
        assertEquals(List.of("book-1", "book-2"), r.itemIds().externalIds());
        assertArrayEquals(new float[] {2, 1, 3}, r.values());
        assertEquals(7L, r.timestamp(2));
    }

    @Test
    void implicitDataWithoutARatingColumnGetsOnes() throws IOException {
        Path p = file("clicks.csv", "user,item\nu1,i1\nu2,i1\n");
        Ratings r = RatingsReader.detecting().columns(null, null, RatingsReader.NONE, null).read(p).ratings();
        assertArrayEquals(new float[] {1, 1}, r.values());
        assertFalse(r.hasTimestamps());
    }

    @Test
    void quotedCsvFieldsMayHoldTheDelimiterAndQuotes() throws IOException {
        Path p = file("q.csv", "user,item,rating\n\"smith, j\",\"the \"\"best\"\" one\",4\nplain,x,1\n");
        Ratings r = RatingsReader.detecting().read(p).ratings();
        assertEquals("smith, j", r.userIds().externalId(0));
        assertEquals("the \"best\" one", r.itemIds().externalId(0));
    }

    @Test
    void numericLookingIdsStayDistinctFromTheirCanonicalForm() throws IOException {
        Path p = file("ids.csv", "user,item,rating\n7,1,1\n007,1,2\nx,2,3\n7,2,4\n");
        Ratings r = RatingsReader.detecting().read(p).ratings();
        assertEquals(List.of("7", "007", "x"), r.userIds().externalIds());
        assertArrayEquals(new int[] {0, 1, 2, 0}, r.users());
    }

    @Test
    void manyNumericIdsGrowTheTableAndKeepOrder() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 20_000; j++) sb.append(j * 7 + 3).append('\t').append(j % 13).append("\t1\t0\n");
        Ratings r = RatingsReader.of(RatingsFormat.MOVIELENS_100K).read(file("big.data", sb.toString())).ratings();
        assertEquals(20_000, r.numUsers());
        assertEquals(13, r.numItems());
        assertEquals("139996", r.userIds().externalId(19_999));
        assertEquals(19_999, r.user(19_999));
    }

    @Test
    void malformedLineStopsTheReadWithFileLineAndContent() throws IOException {
        Path p = file("u.data", "1\t2\t3\t4\n1\t2\tfive\t4\n");
        MalformedLineException e = assertThrows(MalformedLineException.class, () -> RatingsReader.detecting().read(p));
        assertEquals(2, e.lineNumber());
        assertEquals("1\t2\tfive\t4", e.line());
        assertTrue(e.getMessage().startsWith(p + ":2: rating 'five' is not a number"), e.getMessage());
        assertTrue(e.getMessage().contains("1\\t2\\tfive\\t4"), e.getMessage());
    }

    @Test
    void wrongFieldCountNonFiniteRatingsAndBadTimestampsAreMalformed() throws IOException {
        assertProblem("u.data", "1\t2\t3\n", "expected 4 fields separated by '\\t' but found 3");
        assertProblem("u.data", "1\t2\t3\t4\t5\n", "expected 4 fields separated by '\\t' but found 5");
        assertProblem("u.data", "1\t2\tNaN\t4\n", "rating 'NaN' is not finite");
        assertProblem("u.data", "1\t2\t3\tyesterday\n", "timestamp 'yesterday' is not an integer");
        assertProblem("u.data", "\t2\t3\t4\n", "empty user id");
        assertProblem("r.csv", "user,item,rating\n\"open,1,2\n", "unterminated or misplaced quote");
    }

    private void assertProblem(String name, String content, String problem) throws IOException {
        Path p = file(name, content);
        MalformedLineException e = assertThrows(MalformedLineException.class, () -> RatingsReader.detecting().read(p));
        assertEquals(problem, e.problem().substring(0, Math.min(problem.length(), e.problem().length())), e.getMessage());
    }

    @Test
    void skippingCountsMalformedLinesAndKeepsExamples() throws IOException {
        Path p = file("u.data", "1\t2\t3\t4\nbad line\n1\t3\t4\t4\n1\t2\tx\t1\n");
        LoadedRatings loaded = RatingsReader.detecting().skipMalformed(true).read(p);
        assertEquals(2, loaded.ratings().size());
        assertEquals(2, loaded.skipped());
        assertEquals(2, loaded.skippedExamples().size());
        assertTrue(loaded.skippedExamples().get(0).contains(":2:"), loaded.skippedExamples().get(0));
    }

    @Test
    void missingColumnsAreReportedWithTheHeader() throws IOException {
        Path p = file("x.csv", "a,b,c\n1,2,3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RatingsReader.detecting().read(p));
        assertTrue(e.getMessage().contains("has no user column") && e.getMessage().contains("its header is: a, b, c"), e.getMessage());
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                () -> RatingsReader.detecting().columns("a", "b", "zzz", null).read(p));
        assertTrue(named.getMessage().contains("no column 'zzz'"), named.getMessage());
    }

    @Test
    void emptyCsvAndUnknownExtensionAndMissingFileAreClearErrors() throws IOException {
        Path empty = file("e.csv", "");
        MalformedLineException e = assertThrows(MalformedLineException.class, () -> RatingsReader.detecting().read(empty));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
        Path odd = file("ratings.bin", "1\t2\t3\t4\n");
        IllegalArgumentException why = assertThrows(IllegalArgumentException.class, () -> RatingsReader.detecting().read(odd));
        assertTrue(why.getMessage().contains("cannot tell the format"), why.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> RatingsReader.detecting().read(dir.resolve("absent.csv")));
    }

    @Test
    void invalidUtf8IsReportedWithItsLine() throws IOException {
        Path p = dir.resolve("latin1.csv");
        Files.write(p, new byte[] {'u', ',', 'i', ',', 'r', '\n', 'a', ',', 'b', ',', '1', '\n', (byte) 0xE9, ',', 'b', ',', '1', '\n'});
        MalformedLineException e = assertThrows(MalformedLineException.class, () -> RatingsReader.detecting()
                .columns("u", "i", "r", null).read(p));
        assertEquals(3, e.lineNumber());
        assertTrue(e.problem().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void gzipFilesAreDecompressedOnTheFly() throws IOException {
        Path p = dir.resolve("ratings.dat.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write("1::2::3::4\n5::6::7::8\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(2, RatingsReader.detecting().read(p).ratings().size());
    }

    @Test
    void writerOutputReadsBackToTheSameRatings() throws IOException {
        IdMap users = IdMap.of(List.of("ann", "b,o\"b"));
        IdMap items = IdMap.of(List.of("x", "y", "z"));
        Ratings r = new Ratings(2, 3, new int[] {0, 1, 1}, new int[] {2, 0, 1}, new float[] {4, 0.1f, 3.5f},
                new long[] {10, 20, 30}, users, items);
        for (RatingsFormat format : RatingsFormat.values()) {
            Ratings plain = format.hasHeader() ? r : new Ratings(2, 3, r.users(), r.items(), r.values(),
                    new long[] {10, 20, 30}, IdMap.of(List.of("ann", "bob")), items);
            Path p = dir.resolve("out-" + format.id());
            RatingsWriter.write(plain, p, format);
            Ratings back = RatingsReader.of(format).read(p).ratings();
            assertEquals(plain.userIds().externalIds(), back.userIds().externalIds(), format.id());
            assertEquals(plain.itemIds().externalIds().subList(0, 3), List.of("x", "y", "z"));
            assertArrayEquals(plain.values(), back.values(), format.id());
            assertEquals(30L, back.timestamp(2));
            for (int j = 0; j < 3; j++) {
                assertEquals(plain.itemIds().externalId(plain.item(j)), back.itemIds().externalId(back.item(j)));
            }
        }
    }

    @Test
    void writerRefusesIdsTheFormatCannotHold() {
        Ratings r = new Ratings(1, 1, new int[] {0}, new int[] {0}, new float[] {1}, null,
                IdMap.of(List.of("a\tb")), IdMap.of(List.of("x")));
        Path p = dir.resolve("u.data");
        assertThrows(IOException.class, () -> RatingsWriter.write(r, p, RatingsFormat.MOVIELENS_100K));
        assertFalse(Files.exists(p));
    }

    @Test
    void remapDropsUnknownUsersAndItemsAndCountsThem() {
        Ratings test = new Ratings(3, 2, new int[] {0, 1, 2, 0}, new int[] {0, 1, 1, 1}, new float[] {1, 2, 3, 4},
                null, IdMap.of(List.of("a", "new-user", "b")), IdMap.of(List.of("x", "new-item")));
        IdRemap.Result result = IdRemap.toModelIds(test, IdMap.of(List.of("b", "a")), IdMap.of(List.of("x")));
        assertEquals(1, result.ratings().size());
        assertEquals(1, result.unknownUsers());
        assertEquals(2, result.unknownItems());
        assertEquals(1, result.ratings().user(0));
        assertEquals(1f, result.ratings().value(0));
    }

    @Test
    void ratingsParseToExactlyWhatFloatParseFloatGives() throws IOException {
        String[] texts = {"4", "3.5", "0.25", "0.1", "3.3333333", "1e3", "007.50", "16777217", "2.", "-1.5", "123456789012.5"};
        StringBuilder sb = new StringBuilder();
        for (String t : texts) sb.append("u\ti\t").append(t).append("\t").append("0012").append('\n');
        Ratings r = RatingsReader.of(RatingsFormat.MOVIELENS_100K).read(file("values.data", sb.toString())).ratings();
        for (int j = 0; j < texts.length; j++) {
            assertEquals(Float.floatToIntBits(Float.parseFloat(texts[j])), Float.floatToIntBits(r.value(j)), texts[j]);
            assertEquals(12L, r.timestamp(j));
        }
    }

    @Test
    void formatNamesAndAliasesParse() {
        assertEquals(RatingsFormat.MOVIELENS_100K, RatingsFormat.parse("ml-100k"));
        assertEquals(RatingsFormat.MOVIELENS_1M, RatingsFormat.parse("ML-10M"));
        assertEquals(RatingsFormat.CSV, RatingsFormat.parse("ml-25m"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RatingsFormat.parse("parquet"));
        assertTrue(e.getMessage().contains("unknown ratings format 'parquet'"));
    }
}
