package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * One worker's copy of the ALS row being solved, reused from row to row and call to call:
 * the fixed side's rows q_e of the row's entries gathered into a contiguous panel (row-major,
 * each row zero-padded to kp = k rounded up to whole vectors), with each entry's weight w_e
 * in A = G + Σ w_e q_e q_eᵀ + λI and target t_e in b = Σ t_e q_e (implicit: w = α r and
 * t = 1 + α r where r &gt; 0, else 0; explicit: w = 1, t = r). Entries with w = t = 0
 * contribute nothing and are dropped. The solvers' vectors (b, x, r, p, Ap) live here too,
 * kp long with zero padding, so no kernel loop has a scalar tail.
 *
 * <p>A row longer than {@link #PANEL_LIMIT} floats of panel is not copied whole: each pass
 * over its entries gathers them again segment by segment ({@link #gatherSegment}).
 */
final class VectorAlsRow {
    /**
     * Largest panel kept, in floats (64 MiB: 65,536 entries at k = 256); longer rows are
     * re-gathered segment by segment on every pass over their entries.
     */
    static final int PANEL_LIMIT = 1 << 24;

    final int k;
    final int kp;
    /** Entries the panel holds at most. */
    final int capacity;

    // The call's problem.
    float[] gram;
    boolean implicit;
    float alpha;
    float lambda;
    boolean scaleByCount;
    private int[] cols;
    private float[] vals;
    private float[] y;

    // The current row.
    int start;
    int end;
    float shift;
    float[] panel = new float[0];
    float[] weights = new float[0];
    float[] targets = new float[0];
    int count;
    final float[] coefficients = new float[VectorConjugateGradient.GROUP];
    /** The subspace sweep's buffers. */
    final VectorSubspace.Scratch subspace = new VectorSubspace.Scratch();
    final float[] b;
    final float[] x;
    final float[] r;
    final float[] p;
    final float[] ap;

    /**
     * PADDING[r]: the lanes r.. of a vector whose first r lanes hold entries. Made once: a
     * mask computed per row (indexInRange) was allocated on every row.
     */
    @SuppressWarnings("unchecked")
    private static final VectorMask<Float>[] PADDING = new VectorMask[L];

    static {
        for (int r = 0; r < L; r++) PADDING[r] = S.indexInRange(0, r).not();
    }

    /**
     * Size of y, in floats (4 MiB), above which {@link #gatherSegment} touches the rows before
     * copying them. Below it y stays in L2 or L3 across a half-step and the touch pass is pure
     * cost: for y of 3,600 or 6,039 rows of k = 64 (0.9 and 1.5 MB, the MovieLens-1M-shaped
     * set's two sides) the gather took 9–13 ns an entry without it against 15–19 with it (one
     * thread, throwaway driver, load average ~3). Both sides of the 10M set (6.9 and 35 MB) are
     * above it.
     */
    static final int TOUCH_ABOVE = 1 << 20;

    /** Floats per 64-byte cache line. */
    private static final int LINE = 16;
    /** Sum of the values the gather touched ahead of copying; kept only so the loads are not dropped. */
    float touched;

    /** The pᵀAp (CG) or pivot (Cholesky, subspace) of a failed solve. */
    float breakdown;
    /** The pivot column of a failed Cholesky or subspace solve, -1 for CG. */
    int badColumn;

    VectorAlsRow(int k) {
        this(k, PANEL_LIMIT);
    }

    /** A row whose panel holds at most {@code panelLimit} floats (tests use small ones to reach the segmented path). */
    VectorAlsRow(int k, int panelLimit) {
        this.k = k;
        this.kp = VectorGram.padded(k);
        this.capacity = Math.max(1, panelLimit / kp);
        // One vector of slack: the subspace sweep reads whole vectors from a block's start.
        b = new float[kp + L];
        x = new float[kp + L];
        r = new float[kp + L];
        p = new float[kp + L];
        ap = new float[kp + L];
    }

    /** Sets the call's data: CSR columns and values, the fixed side y (n × k) and the problem. */
    void problem(int[] cols, float[] vals, float[] y, float[] paddedGram, boolean implicit, float alpha, float lambda,
                 boolean scaleByCount) {
        this.cols = cols;
        this.vals = vals;
        this.y = y;
        this.gram = paddedGram;
        this.implicit = implicit;
        this.alpha = alpha;
        this.lambda = lambda;
        this.scaleByCount = scaleByCount;
    }

    /** Whether the whole row is in the panel. */
    boolean fits() {
        return end - start <= capacity;
    }

    /**
     * Starts CSR row entries [start, end): sets λ' and, when the row fits, gathers it; b is
     * computed in either case. {@code x0} (k floats at {@code xOff}) is the warm start.
     */
    void load(int start, int end, float[] x0, int xOff) {
        begin(start, end, x0, xOff);
        int n = Math.min(end - start, capacity);
        if (panel.length < n * kp + L) {
            int entries = Math.min(capacity, Math.max(n, 2 * (panel.length / kp)));
            panel = new float[entries * kp + L];
            weights = new float[entries];
            targets = new float[entries];
        }
        java.util.Arrays.fill(b, 0f);
        for (int from = start; from < end; ) {
            from = gatherSegment(from);
            VectorConjugateGradient.addRows(panel, targets, 0, count, kp, b);
        }
    }

    /**
     * Starts CSR row entries [start, end) without gathering anything (for a kernel that
     * gathers its own layout, {@link #gatherColumns}): sets λ' and the warm start x.
     */
    void begin(int start, int end, float[] x0, int xOff) {
        this.start = start;
        this.end = end;
        this.shift = implicit || !scaleByCount ? lambda : lambda * (end - start);
        System.arraycopy(x0, xOff, x, 0, k);
    }

    /**
     * Gathers the whole row dimension-major into {@code s}: for every coordinate c the values
     * q_e[c] of the kept entries contiguous ({@code s.columns[c * s.stride + e]}), the entry
     * count padded to whole vectors with zero values, weights and targets, so that every
     * loop over entries runs whole vectors. Returns the entries kept (w = t = 0 dropped).
     *
     * <p>Entries go L at a time, each coordinate one indexed load across the L rows of y: the
     * L rows (k floats each) stay in L1 while their k coordinates are written, one vector per
     * coordinate. At k = 256 (rows of 72 entries drawn from 27,000 items, one thread, the
     * development machine) that took 230–330 ns per entry, against 450 for a scalar copy with
     * strided stores and 650 for the row-major gather followed by a transpose; the row-major
     * gather alone ({@link #load}) takes 145–190.
     */
    int gatherColumns(VectorSubspace.Scratch s) {
        int most = end - start + L;
        if (s.index.length < most) {
            int size = Math.max(most, 2 * s.index.length);
            s.index = new int[size];
            s.weights = new float[size];
            s.targets = new float[size];
        }
        int[] index = s.index;
        int n = 0;
        for (int e = start; e < end; e++) {
            float value = vals[e];
            float w = implicit ? alpha * value : 1f;
            float t = implicit ? (value > 0f ? 1f + w : 0f) : value;
            if (w == 0f && t == 0f) continue;
            s.weights[n] = w;
            s.targets[n] = t;
            index[n] = cols[e] * k;
            n++;
        }
        int stride = (n + L - 1) / L * L;
        for (int e = n; e < stride; e++) {
            s.weights[e] = 0f;
            s.targets[e] = 0f;
            index[e] = 0;
        }
        if (s.columns.length < k * stride) {
            s.columns = new float[Math.max(k * stride, Math.min(2 * s.columns.length, k * (capacity + L)))];
        }
        if (s.predictions.length < stride) s.predictions = new float[Math.max(stride, 2 * s.predictions.length)];
        s.stride = stride;
        float[] columns = s.columns;
        int whole = n - n % L;
        for (int e = 0; e < whole; e += L) {
            for (int c = 0; c < k; c++) FloatVector.fromArray(S, y, c, index, e).intoArray(columns, c * stride + e);
        }
        if (whole < stride) {
            // The padding lanes read y's first row (index 0) and are then zeroed.
            VectorMask<Float> pad = PADDING[n - whole];
            for (int c = 0; c < k; c++) {
                FloatVector.fromArray(S, y, c, index, whole).blend(0f, pad).intoArray(columns, c * stride + whole);
            }
        }
        return n;
    }

    /**
     * Gathers entries from CSR position {@code from} on into the panel until it is full or
     * the row ends; sets {@link #count} and returns the position after the last one read.
     *
     * <p>When y is larger than {@link #TOUCH_ABOVE}, the rows of y are first touched, one load
     * per cache line, and only then copied: a
     * loop of plain loads keeps more cache misses in flight than a copy loop whose stores wait
     * behind them. On the 10M set (y of 35 MB for the items' half-step, one thread, quiet
     * machine) that half-step took 0.75 s with the touch and 0.90 s without on 2 MiB pages;
     * on 4 KiB pages, where a page walk per row dominates, the two were equal.
     */
    int gatherSegment(int from) {
        int stop = Math.min(end, from + capacity);
        float touched = 0f;
        for (int e = from; e < stop && y.length > TOUCH_ABOVE; e++) {
            int src = cols[e] * k;
            for (int c = 0; c < k; c += LINE) touched += y[src + c];
            touched += y[src + k - 1];
        }
        this.touched = touched;
        int n = 0;
        int e = from;
        int bound = k - k % L;
        for (; e < end && n < capacity; e++) {
            float value = vals[e];
            float w = implicit ? alpha * value : 1f;
            float t = implicit ? (value > 0f ? 1f + w : 0f) : value;
            if (w == 0f && t == 0f) continue;
            weights[n] = w;
            targets[n] = t;
            int src = cols[e] * k;
            int dst = n * kp;
            int c = 0;
            // Four vectors loaded, then stored: at k = 64, y in L2, no touch pass, the gather
            // took 9.3–9.8 ns an entry against 11–17 one vector at a time (one thread, throwaway
            // driver, load average ~3).
            for (; c + 4 * L <= bound; c += 4 * L) {
                FloatVector q0 = FloatVector.fromArray(S, y, src + c);
                FloatVector q1 = FloatVector.fromArray(S, y, src + c + L);
                FloatVector q2 = FloatVector.fromArray(S, y, src + c + 2 * L);
                FloatVector q3 = FloatVector.fromArray(S, y, src + c + 3 * L);
                q0.intoArray(panel, dst + c);
                q1.intoArray(panel, dst + c + L);
                q2.intoArray(panel, dst + c + 2 * L);
                q3.intoArray(panel, dst + c + 3 * L);
            }
            for (; c < bound; c += L) FloatVector.fromArray(S, y, src + c).intoArray(panel, dst + c);
            for (; c < k; c++) panel[dst + c] = y[src + c];
            for (; c < kp; c++) panel[dst + c] = 0f;
            n++;
        }
        count = n;
        return e;
    }
}
