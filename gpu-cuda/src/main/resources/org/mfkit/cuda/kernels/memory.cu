// Memory-level kernels: deterministic reductions, row gather/scatter, symmetrization.
// Compiled at run time by NVRTC (no #include available): keep this file self-contained.
//
// Reductions are deterministic: a fixed block size (REDUCE_THREADS), a grid size chosen by the
// host from n only, a fixed tree order inside each block, and the host adds the per-block
// partial sums in block order. Same n, same data -> same bits.

#define REDUCE_THREADS 256

__device__ __forceinline__ bool mf_is_finite(float x) {
    return (__float_as_uint(x) & 0x7f800000u) != 0x7f800000u;
}

__device__ void mf_block_sum_store(double v, double* partials) {
    __shared__ double s[REDUCE_THREADS];
    s[threadIdx.x] = v;
    __syncthreads();
    for (int w = REDUCE_THREADS / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) s[threadIdx.x] += s[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) partials[blockIdx.x] = s[0];
}

// partials[block] = sum over this block's grid-stride share of (double) v[i]^2.
extern "C" __global__ void sum_squares(const float* v, int n, double* partials) {
    double acc = 0.0;
    long long stride = (long long) gridDim.x * blockDim.x;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        double x = (double) v[i];
        acc += x * x;
    }
    mf_block_sum_store(acc, partials);
}

// partials[block] = number of non-finite elements in this block's share (stored as double).
extern "C" __global__ void count_nonfinite(const float* v, int n, double* partials) {
    double acc = 0.0;
    long long stride = (long long) gridDim.x * blockDim.x;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        if (!mf_is_finite(v[i])) acc += 1.0;
    }
    mf_block_sum_store(acc, partials);
}

// dst[r][t] = src[ids[r]][t] for r < n, t < k.
extern "C" __global__ void gather_rows(const float* src, int k, const int* ids, int n, float* dst) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= (long long) n * k) return;
    long long r = e / k;
    int t = (int) (e - r * k);
    dst[e] = src[(long long) ids[r] * k + t];
}

// dst[ids[r]][t] = src[r][t] for r < n, t < k. Duplicate ids carry identical rows (callers
// stage one solution per requested row), so concurrent writes store the same value.
extern "C" __global__ void scatter_rows(const float* src, int k, const int* ids, int n, float* dst) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= (long long) n * k) return;
    long long r = e / k;
    int t = (int) (e - r * k);
    dst[(long long) ids[r] * k + t] = src[e];
}

// For a k x k row-major matrix whose upper triangle holds the result (cuBLAS syrk's column-major
// lower triangle), copies the upper triangle onto the lower one: exactly symmetric.
extern "C" __global__ void symmetrize_from_upper(float* m, int k) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= (long long) k * k) return;
    int r = (int) (e / k);
    int c = (int) (e - (long long) r * k);
    if (r > c) m[e] = m[(long long) c * k + r];
}
