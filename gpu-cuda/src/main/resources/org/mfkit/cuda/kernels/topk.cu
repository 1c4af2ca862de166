// Top-K selection over score tiles computed by cuBLAS. The host walks the items in tiles in
// ascending item order; per query row one thread keeps a bounded min-heap (root = worst kept
// candidate) in global memory, the reference algorithm, so ties resolve the same way (higher
// score first, then lower item id). Throughput comes from many query rows in parallel.

// Whether candidate (s, i) ranks above (t, j).
__device__ __forceinline__ bool mf_better(float s, int i, float t, int j) {
    return s > t || (s == t && i < j);
}

__device__ void mf_sift_up(int* items, float* scores, int at) {
    while (at > 0) {
        int parent = (at - 1) >> 1;
        if (mf_better(scores[parent], items[parent], scores[at], items[at])) {
            int ti = items[parent]; items[parent] = items[at]; items[at] = ti;
            float ts = scores[parent]; scores[parent] = scores[at]; scores[at] = ts;
            at = parent;
        } else {
            return;
        }
    }
}

__device__ void mf_sift_down(int* items, float* scores, int size) {
    int at = 0;
    while (true) {
        int left = 2 * at + 1;
        if (left >= size) return;
        int worst = left;
        int right = left + 1;
        if (right < size && mf_better(scores[worst], items[worst], scores[right], items[right])) worst = right;
        if (mf_better(scores[at], items[at], scores[worst], items[worst])) {
            int ti = items[at]; items[at] = items[worst]; items[worst] = ti;
            float ts = scores[at]; scores[at] = scores[worst]; scores[worst] = ts;
            at = worst;
        } else {
            return;
        }
    }
}

// mask[r][c] = 1 for every excluded item of query row (rowOffset + r) inside the tile
// [itemStart, itemStart + tileItems). exRowPtr/exCols are the exclusion CSR (row = query row).
extern "C" __global__ void topk_mark_excluded(const int* exRowPtr, const int* exCols, int rowOffset, int tileRows,
                                              int itemStart, int tileItems, unsigned char* mask) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= tileRows) return;
    int row = rowOffset + r;
    for (int e = exRowPtr[row]; e < exRowPtr[row + 1]; e++) {
        int c = exCols[e] - itemStart;
        if (c >= 0 && c < tileItems) mask[(long long) r * tileItems + c] = 1;
    }
}

// Offers every item of one tile to the heap of each query row of the chunk.
// scores: tileRows x tileItems row-major; itemBias may be null; mask may be null.
extern "C" __global__ void topk_scan_tile(const float* scores, const unsigned char* mask, const float* itemBias,
                                          int tileRows, int itemStart, int tileItems, int K,
                                          int* heapItems, float* heapScores, int* heapSizes) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= tileRows) return;
    int* items = heapItems + (long long) r * K;
    float* hs = heapScores + (long long) r * K;
    int size = heapSizes[r];
    const float* row = scores + (long long) r * tileItems;
    const unsigned char* excluded = mask == 0 ? 0 : mask + (long long) r * tileItems;
    for (int c = 0; c < tileItems; c++) {
        if (excluded != 0 && excluded[c]) continue;
        int i = itemStart + c;
        float s = row[c];
        if (itemBias != 0) s += itemBias[i];
        if (size < K) {
            items[size] = i;
            hs[size] = s;
            mf_sift_up(items, hs, size);
            size++;
        } else if (mf_better(s, i, hs[0], items[0])) {
            items[0] = i;
            hs[0] = s;
            mf_sift_down(items, hs, size);
        }
    }
    heapSizes[r] = size;
}

// Empties each heap worst-first into the tail of its output row so rows end best-first;
// unused slots get item -1 and score -inf.
extern "C" __global__ void topk_finish(int* heapItems, float* heapScores, const int* heapSizes, int tileRows, int K,
                                       int* outItems, float* outScores) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= tileRows) return;
    int* items = heapItems + (long long) r * K;
    float* hs = heapScores + (long long) r * K;
    int* oi = outItems + (long long) r * K;
    float* os = outScores + (long long) r * K;
    int size = heapSizes[r];
    for (int slot = K - 1; slot >= size; slot--) {
        oi[slot] = -1;
        os[slot] = __int_as_float(0xff800000);
    }
    for (int slot = size - 1; slot >= 0; slot--) {
        oi[slot] = items[0];
        os[slot] = hs[0];
        items[0] = items[slot];
        hs[0] = hs[slot];
        mf_sift_down(items, hs, slot);
    }
}
