// Batched conjugate gradient, one thread block per k x k system, a fixed number of steps
// warm-started from x (which the host has filled with the current rows). Element-wise work
// is spread over the block; every dot product is one float32 accumulator in index order
// (thread 0 for the scalar dots), the reference order. Stops early when r^T r <= 1e-20.
//
// status[s] = -1 on success, else -2 with pivots[s] = the p^T A p that was not positive and
// finite. scratch holds r, p and Ap (3k floats per system). When rows/rowPtr are given, a
// system whose ratings row is empty gets x = 0.

#define RESIDUAL_FLOOR 1e-20f

__device__ __forceinline__ bool mf_is_finite(float x) {
    return (__float_as_uint(x) & 0x7f800000u) != 0x7f800000u;
}

__device__ __forceinline__ float mf_dot(const float* a, const float* b, int k) {
    float s = 0.0f;
    for (int t = 0; t < k; t++) s += a[t] * b[t];
    return s;
}

extern "C" __global__ void cg_solve(const float* a, const float* b, int k, int steps, float* scratch,
                                    float* x, int* status, float* pivots,
                                    const int* rows, const int* rowPtr) {
    __shared__ float rsOld;
    __shared__ float rsNew;
    __shared__ float pAp;
    __shared__ int failed;
    int s = blockIdx.x;
    long long kk = (long long) k * k;
    const float* A = a + s * kk;
    const float* B = b + (long long) s * k;
    float* X = x + (long long) s * k;
    float* r = scratch + (long long) s * 3 * k;
    float* p = r + k;
    float* ap = p + k;
    if (rows != 0) {
        int row = rows[s];
        if (rowPtr[row] == rowPtr[row + 1]) {
            for (int i = threadIdx.x; i < k; i += blockDim.x) X[i] = 0.0f;
            if (threadIdx.x == 0) status[s] = -1;
            return;
        }
    }
    for (int i = threadIdx.x; i < k; i += blockDim.x) {
        r[i] = B[i] - mf_dot(A + (long long) i * k, X, k);
        p[i] = r[i];
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        rsOld = mf_dot(r, r, k);
        failed = 0;
    }
    __syncthreads();
    for (int step = 0; step < steps; step++) {
        if (rsOld <= RESIDUAL_FLOOR) break;
        for (int i = threadIdx.x; i < k; i += blockDim.x) ap[i] = mf_dot(A + (long long) i * k, p, k);
        __syncthreads();
        if (threadIdx.x == 0) {
            pAp = mf_dot(p, ap, k);
            if (!(pAp > 0.0f) || !mf_is_finite(pAp)) {
                status[s] = -2;
                pivots[s] = pAp;
                failed = 1;
            }
        }
        __syncthreads();
        if (failed) return;
        float alpha = rsOld / pAp;
        for (int i = threadIdx.x; i < k; i += blockDim.x) {
            X[i] += alpha * p[i];
            r[i] -= alpha * ap[i];
        }
        __syncthreads();
        if (threadIdx.x == 0) rsNew = mf_dot(r, r, k);
        __syncthreads();
        float beta = rsNew / rsOld;
        for (int i = threadIdx.x; i < k; i += blockDim.x) p[i] = r[i] + beta * p[i];
        __syncthreads();
        if (threadIdx.x == 0) rsOld = rsNew;
        __syncthreads();
    }
    if (threadIdx.x == 0) status[s] = -1;
}
