// Gathered dot products. One thread per pair; each dot is one float32 accumulator summed in
// index order, the reference order (NVRTC compiles with --fmad=false, so results match the
// scalar backend bit for bit).

__device__ __forceinline__ float mf_dot(const float* a, const float* b, int k) {
    float s = 0.0f;
    for (int t = 0; t < k; t++) s += a[t] * b[t];
    return s;
}

// out[j] = p[users[j]] . q[items[j]]
extern "C" __global__ void gathered_dot(const float* p, const float* q, int k,
                                        const int* users, const int* items, int n, float* out) {
    long long j = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n) return;
    out[j] = mf_dot(p + (long long) users[j] * k, q + (long long) items[j] * k, k);
}

// out[j] = mu + userBias[u] + itemBias[i] + p[u] . q[i], summed left to right like the reference.
extern "C" __global__ void biased_predict(float mu, const float* userBias, const float* itemBias,
                                          const float* p, const float* q, int k,
                                          const int* users, const int* items, int n, float* out) {
    long long j = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n) return;
    int u = users[j];
    int i = items[j];
    out[j] = mu + userBias[u] + itemBias[i] + mf_dot(p + (long long) u * k, q + (long long) i * k, k);
}
