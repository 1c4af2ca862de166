// Batched Cholesky factor-and-solve, one thread block per k x k system (row-major, only the
// lower triangle read). Column-by-column Cholesky-Crout as in the reference: thread 0 forms the
// pivot, the block fills the column below it in parallel, each element summed in the reference
// order. Thread 0 then substitutes forward and back. Solutions go to a staging buffer; the
// host copies them out only when every system succeeded.
//
// status[s] = -1 on success, else the column of the first pivot that was not positive and
// finite, with that pivot in pivots[s]. When rows/rowPtr are given (ALS), a system whose
// ratings row is empty is skipped and its solution is zero.

__device__ __forceinline__ bool mf_is_finite(float x) {
    return (__float_as_uint(x) & 0x7f800000u) != 0x7f800000u;
}

extern "C" __global__ void cholesky_solve(const float* a, const float* b, int k, float* factors,
                                          float* x, int* status, float* pivots,
                                          const int* rows, const int* rowPtr) {
    __shared__ int failed;
    int s = blockIdx.x;
    long long kk = (long long) k * k;
    const float* A = a + s * kk;
    const float* B = b + (long long) s * k;
    float* L = factors + s * kk;
    float* X = x + (long long) s * k;
    if (rows != 0) {
        int row = rows[s];
        if (rowPtr[row] == rowPtr[row + 1]) {
            for (int i = threadIdx.x; i < k; i += blockDim.x) X[i] = 0.0f;
            if (threadIdx.x == 0) status[s] = -1;
            return;
        }
    }
    for (int j = 0; j < k; j++) {
        if (threadIdx.x == 0) {
            float d = A[(long long) j * k + j];
            for (int t = 0; t < j; t++) d -= L[(long long) j * k + t] * L[(long long) j * k + t];
            if (!(d > 0.0f) || !mf_is_finite(d)) {
                status[s] = j;
                pivots[s] = d;
                failed = 1;
            } else {
                L[(long long) j * k + j] = sqrtf(d);
                failed = 0;
            }
        }
        __syncthreads();
        if (failed) return;
        float ljj = L[(long long) j * k + j];
        for (int i = j + 1 + threadIdx.x; i < k; i += blockDim.x) {
            float sum = A[(long long) i * k + j];
            for (int t = 0; t < j; t++) sum -= L[(long long) i * k + t] * L[(long long) j * k + t];
            L[(long long) i * k + j] = sum / ljj;
        }
        __syncthreads();
    }
    if (threadIdx.x != 0) return;
    for (int i = 0; i < k; i++) {
        float sum = B[i];
        for (int t = 0; t < i; t++) sum -= L[(long long) i * k + t] * X[t];
        X[i] = sum / L[(long long) i * k + i];
    }
    for (int i = k - 1; i >= 0; i--) {
        float sum = X[i];
        for (int t = i + 1; t < k; t++) sum -= L[(long long) t * k + i] * X[t];
        X[i] = sum / L[(long long) i * k + i];
    }
    status[s] = -1;
}
