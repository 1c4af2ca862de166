package org.mfkit.data.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mfkit.data.IdMap;

/**
 * Maps the external ids of one column to dense indices in first-seen order while a file is
 * read. Most files use decimal integer ids, so those go through a primitive open-addressing
 * table and never become Strings per line; the first id that is not a canonical non-negative
 * decimal (say {@code "u17"} or {@code "007"}) switches the column to a String map, keeping
 * the indices handed out so far. Either way {@link #toIdMap()} gives the same ids a String
 * map of the raw tokens would.
 */
final class ExternalIds {
    /** An empty table entry; real entries are {@code id << 32 | index} with id &ge; 0, so never negative. */
    private static final long EMPTY = -1L;

    /** Open addressing, linear probing; id and index packed in one long so a probe touches one cache line. */
    private long[] table = new long[1 << 12];
    private int[] numericInOrder = new int[1 << 10];
    private int count;
    private Map<String, Integer> strings;
    private List<String> stringsInOrder;

    ExternalIds() {
        Arrays.fill(table, EMPTY);
    }

    /** Number of distinct ids seen. */
    int size() {
        return count;
    }

    /**
     * The index of the id in {@code line[start, end)}, adding it if new. Returns -1 when the
     * span is empty.
     */
    int indexOf(String line, int start, int end) {
        if (start >= end) return -1;
        if (strings == null) {
            long value = canonicalDecimal(line, start, end);
            if (value >= 0) return indexOfNumber(value);
            switchToStrings();
        }
        return indexOfString(line.substring(start, end));
    }

    /** The index of an id that is already a String (a quoted field), adding it if new. */
    int indexOf(String id) {
        if (id.isEmpty()) return -1;
        return indexOf(id, 0, id.length());
    }

    /** The ids seen, in index order. */
    IdMap toIdMap() {
        if (strings != null) return IdMap.of(stringsInOrder);
        List<String> ids = new ArrayList<>(count);
        for (int j = 0; j < count; j++) ids.add(Integer.toString(numericInOrder[j]));
        return IdMap.of(ids);
    }

    private int indexOfNumber(long value) {
        int mask = table.length - 1;
        int at = mix(value) & mask;
        long entry;
        while ((entry = table[at]) != EMPTY) {
            if (entry >>> 32 == value) return (int) entry;
            at = (at + 1) & mask;
        }
        int index = count++;
        table[at] = value << 32 | index;
        if (index == numericInOrder.length) numericInOrder = Arrays.copyOf(numericInOrder, index * 2);
        numericInOrder[index] = (int) value;
        if (count * 2 > table.length) grow();
        return index;
    }

    private int indexOfString(String id) {
        Integer known = strings.get(id);
        if (known != null) return known;
        int index = count++;
        strings.put(id, index);
        stringsInOrder.add(id);
        return index;
    }

    private void switchToStrings() {
        strings = new HashMap<>(Math.max(16, count * 2));
        stringsInOrder = new ArrayList<>(Math.max(16, count));
        for (int j = 0; j < count; j++) {
            String id = Integer.toString(numericInOrder[j]);
            strings.put(id, j);
            stringsInOrder.add(id);
        }
        table = null;
        numericInOrder = null;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        Arrays.fill(table, EMPTY);
        int mask = table.length - 1;
        for (long entry : old) {
            if (entry == EMPTY) continue;
            int at = mix(entry >>> 32) & mask;
            while (table[at] != EMPTY) at = (at + 1) & mask;
            table[at] = entry;
        }
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * The value of a decimal without sign or leading zeros that fits an int, else -1 (such
     * tokens are kept as Strings so that "007" and "7" stay different ids).
     */
    static long canonicalDecimal(String s, int start, int end) {
        int length = end - start;
        if (length > 10) return -1;
        if (length > 1 && s.charAt(start) == '0') return -1;
        long value = 0;
        for (int j = start; j < end; j++) {
            int digit = s.charAt(j) - '0';
            if (digit < 0 || digit > 9) return -1;
            value = value * 10 + digit;
        }
        return value <= Integer.MAX_VALUE ? value : -1;
    }
}
