// One subspace sweep (iALS++ block coordinate descent), one thread block per assembled k x k
// system (row-major, full), warm-started from x (which the host has filled with the current
// rows). For each block [t0, t0 + size) of coordinates in order: the residual of the block's
// rows, r_i = b_i - A_i . x (one thread per row, the dot summed in index order as the
// reference does), then the block's principal submatrix is factored in place by
// Cholesky-Crout (thread 0 forms each pivot, the block fills the column below it), and thread
// 0 substitutes and adds the step to x. Later blocks read only their own rows of A, so the
// factor may overwrite this block's lower triangle.
//
// status[s] = -1 on success, else the column (0..k) of the first block pivot that was not
// positive and finite, with that pivot in pivots[s]. scratch holds the block residual
// (blockSize floats per system). When rows/rowPtr are given, a system whose ratings row is
// empty gets x = 0.

__device__ __forceinline__ bool mf_is_finite(float x) {
    return (__float_as_uint(x) & 0x7f800000u) != 0x7f800000u;
}

extern "C" __global__ void subspace_sweep(float* a, const float* b, int k, int blockSize, float* scratch,
                                          float* x, int* status, float* pivots,
                                          const int* rows, const int* rowPtr) {
    __shared__ int failed;
    int s = blockIdx.x;
    long long kk = (long long) k * k;
    float* A = a + s * kk;
    const float* B = b + (long long) s * k;
    float* X = x + (long long) s * k;
    float* r = scratch + (long long) s * blockSize;
    if (rows != 0) {
        int row = rows[s];
        if (rowPtr[row] == rowPtr[row + 1]) {
            for (int i = threadIdx.x; i < k; i += blockDim.x) X[i] = 0.0f;
            if (threadIdx.x == 0) status[s] = -1;
            return;
        }
    }
    for (int t0 = 0; t0 < k; t0 += blockSize) {
        int size = min(blockSize, k - t0);
        for (int i = threadIdx.x; i < size; i += blockDim.x) {
            const float* Ai = A + (long long) (t0 + i) * k;
            float dot = 0.0f;
            for (int t = 0; t < k; t++) dot += Ai[t] * X[t];
            r[i] = B[t0 + i] - dot;
        }
        __syncthreads();
        for (int j = 0; j < size; j++) {
            float* Aj = A + (long long) (t0 + j) * k + t0;
            if (threadIdx.x == 0) {
                float d = Aj[j];
                for (int t = 0; t < j; t++) d -= Aj[t] * Aj[t];
                if (!(d > 0.0f) || !mf_is_finite(d)) {
                    status[s] = t0 + j;
                    pivots[s] = d;
                    failed = 1;
                } else {
                    Aj[j] = sqrtf(d);
                    failed = 0;
                }
            }
            __syncthreads();
            if (failed) return;
            float ljj = Aj[j];
            for (int i = j + 1 + threadIdx.x; i < size; i += blockDim.x) {
                float* Ai = A + (long long) (t0 + i) * k + t0;
                float sum = Ai[j];
                for (int t = 0; t < j; t++) sum -= Ai[t] * Aj[t];
                Ai[j] = sum / ljj;
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            for (int i = 0; i < size; i++) {
                const float* Li = A + (long long) (t0 + i) * k + t0;
                float sum = r[i];
                for (int t = 0; t < i; t++) sum -= Li[t] * r[t];
                r[i] = sum / Li[i];
            }
            for (int i = size - 1; i >= 0; i--) {
                float sum = r[i];
                for (int t = i + 1; t < size; t++) sum -= A[(long long) (t0 + t) * k + t0 + i] * r[t];
                r[i] = sum / A[(long long) (t0 + i) * k + t0 + i];
            }
            for (int i = 0; i < size; i++) X[t0 + i] += r[i];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) status[s] = -1;
}
