package org.mfkit.data.io;

import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;

/**
 * Moves ratings read on their own (with their own id maps) into the id space of a trained
 * model, by external id. Interactions whose user or item the model does not know are
 * dropped and counted: a model has no factors for them.
 */
public final class IdRemap {
    private IdRemap() {}

    /**
     * The result.
     *
     * @param ratings      the interactions the model knows, in its id space and with its maps
     * @param unknownUsers interactions dropped because of an unknown user
     * @param unknownItems interactions dropped because of an unknown item (user known)
     */
    public record Result(Ratings ratings, long unknownUsers, long unknownItems) {
        /** Interactions dropped in all. */
        public long dropped() {
            return unknownUsers + unknownItems;
        }
    }

    /** Maps {@code ratings} (which must carry id maps) onto {@code users} and {@code items}. */
    public static Result toModelIds(Ratings ratings, IdMap users, IdMap items) {
        if (ratings == null || users == null || items == null) {
            throw new IllegalArgumentException("ratings, users and items must not be null");
        }
        if (ratings.userIds() == null || ratings.itemIds() == null) {
            throw new IllegalArgumentException("ratings carry no external ids to map by");
        }
        int[] userTo = lookup(ratings.userIds(), users);
        int[] itemTo = lookup(ratings.itemIds(), items);
        int n = ratings.size();
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        long[] t = ratings.hasTimestamps() ? new long[n] : null;
        int kept = 0;
        long unknownUsers = 0;
        long unknownItems = 0;
        for (int j = 0; j < n; j++) {
            int user = userTo[ratings.user(j)];
            if (user < 0) {
                unknownUsers++;
                continue;
            }
            int item = itemTo[ratings.item(j)];
            if (item < 0) {
                unknownItems++;
                continue;
            }
            u[kept] = user;
            i[kept] = item;
            v[kept] = ratings.value(j);
            if (t != null) t[kept] = ratings.timestamp(j);
            kept++;
        }
        Ratings mapped = new Ratings(users.size(), items.size(), java.util.Arrays.copyOf(u, kept),
                java.util.Arrays.copyOf(i, kept), java.util.Arrays.copyOf(v, kept),
                t == null ? null : java.util.Arrays.copyOf(t, kept), users, items);
        return new Result(mapped, unknownUsers, unknownItems);
    }

    private static int[] lookup(IdMap from, IdMap to) {
        int[] map = new int[from.size()];
        for (int j = 0; j < map.length; j++) map[j] = to.find(from.externalId(j));
        return map;
    }
}
