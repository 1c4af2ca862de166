package org.mfkit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mfkit.core.Check;

/**
 * A mapping between external string ids (as they appear in input files) and the dense
 * indices 0..n-1 that kernels use. Indices are handed out in first-seen order.
 */
public final class IdMap {
    private final Map<String, Integer> toIndex = new HashMap<>();
    private final List<String> toExternal = new ArrayList<>();

    /** An empty map. */
    public IdMap() {}

    /** A map whose index i is {@code externalIds.get(i)}; ids must be distinct. */
    public static IdMap of(List<String> externalIds) {
        IdMap map = new IdMap();
        for (String id : externalIds) {
            if (map.toIndex.containsKey(id)) throw new IllegalArgumentException("duplicate external id '" + id + "'");
            map.indexOf(id);
        }
        return map;
    }

    /** The dense index of {@code externalId}, adding it if new. */
    public int indexOf(String externalId) {
        Check.notNull("externalId", externalId);
        Integer index = toIndex.get(externalId);
        if (index != null) return index;
        int next = toExternal.size();
        toIndex.put(externalId, next);
        toExternal.add(externalId);
        return next;
    }

    /** The dense index of {@code externalId}, or -1 when unknown (never adds). */
    public int find(String externalId) {
        Integer index = toIndex.get(externalId);
        return index == null ? -1 : index;
    }

    /** The external id of dense index {@code index}. */
    public String externalId(int index) {
        if (index < 0 || index >= toExternal.size()) {
            throw new IllegalArgumentException("index = " + index + " is out of range [0, " + toExternal.size() + ")");
        }
        return toExternal.get(index);
    }

    /** Number of ids. */
    public int size() {
        return toExternal.size();
    }

    /** External ids in index order (read-only view). */
    public List<String> externalIds() {
        return Collections.unmodifiableList(toExternal);
    }
}
