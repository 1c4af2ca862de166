package org.mfkit.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small JSON reader and writer the report uses. */
class JsonTest {
    @Test
    void parsesWhatJmhWrites() {
        Object v = Json.parse("[{\"benchmark\":\"a.B.c\",\"threads\":2,\"params\":{\"k\":\"64\"},"
                + "\"primaryMetric\":{\"score\":1.5e-3,\"scoreError\":\"NaN\",\"ok\":true,\"none\":null}}]");
        Map<?, ?> entry = (Map<?, ?>) ((List<?>) v).get(0);
        assertEquals("a.B.c", entry.get("benchmark"));
        assertEquals(2.0, entry.get("threads"));
        assertEquals("64", ((Map<?, ?>) entry.get("params")).get("k"));
        Map<?, ?> metric = (Map<?, ?>) entry.get("primaryMetric");
        assertEquals(1.5e-3, metric.get("score"));
        assertEquals("NaN", metric.get("scoreError"));
        assertEquals(Boolean.TRUE, metric.get("ok"));
        assertTrue(metric.containsKey("none") && metric.get("none") == null);
    }

    @Test
    void writeThenParseIsIdentity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t µ YᵀY");
        m.put("list", List.of(1.0, "two", false));
        m.put("empty", Map.of());
        m.put("nothing", null);
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void reportsWhereInputIsBroken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
        assertTrue(e.getMessage().contains("offset 11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"unterminated"));
    }
}
