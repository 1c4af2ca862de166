package org.mfkit.model;

import java.util.Arrays;

/**
 * Filters of a recommendation request: whether the user's training items are excluded
 * (default yes), an optional allow list (only these items may be recommended) and an
 * optional deny list (these never are). Immutable.
 */
public final class RecommendOptions {
    private static final RecommendOptions DEFAULTS = new RecommendOptions(true, null, null);

    private final boolean excludeSeen;
    private final int[] allow;
    private final int[] deny;

    private RecommendOptions(boolean excludeSeen, int[] allow, int[] deny) {
        this.excludeSeen = excludeSeen;
        this.allow = allow;
        this.deny = deny;
    }

    /** Exclude training items, no allow or deny list. */
    public static RecommendOptions defaults() {
        return DEFAULTS;
    }

    /** Whether the user's training items are excluded. */
    public boolean excludeSeen() { return excludeSeen; }

    /** A copy of the allow list, or null when every item is allowed. */
    public int[] allow() { return allow == null ? null : allow.clone(); }

    /** A copy of the deny list, or null. */
    public int[] deny() { return deny == null ? null : deny.clone(); }

    /** With training items excluded or not. */
    public RecommendOptions withExcludeSeen(boolean excludeSeen) {
        return new RecommendOptions(excludeSeen, allow, deny);
    }

    /** With only {@code items} allowed (null: all); ids are checked against the model when used. */
    public RecommendOptions withAllow(int[] items) {
        return new RecommendOptions(excludeSeen, items == null ? null : items.clone(), deny);
    }

    /** With {@code items} never recommended (null: none); ids are checked against the model when used. */
    public RecommendOptions withDeny(int[] items) {
        return new RecommendOptions(excludeSeen, allow, items == null ? null : items.clone());
    }

    @Override
    public String toString() {
        return "RecommendOptions[excludeSeen=" + excludeSeen + ", allow=" + (allow == null ? "all" : Arrays.toString(allow))
                + ", deny=" + (deny == null ? "none" : Arrays.toString(deny)) + "]";
    }
}
