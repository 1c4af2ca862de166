// Normal-equation assembly, one thread block per requested row. Each thread owns elements
// (s, t) with s >= t of the k x k system and sums over the row's ratings in entry order, the
// reference order; it writes both (s, t) and (t, s), so A is exactly symmetric.
// System n of the batch goes to a + n*k*k and b + n*k.

// Explicit: A = sum q q^T + lambda' I (lambda' = lambda * count when scaleByCount), b = sum r q.
extern "C" __global__ void normal_equations_explicit(const int* rows, const int* rowPtr, const int* cols,
                                                     const float* vals, const float* y, int k,
                                                     float lambda, int scaleByCount, float* a, float* b) {
    int n = blockIdx.x;
    int row = rows[n];
    int start = rowPtr[row];
    int end = rowPtr[row + 1];
    long long kk = (long long) k * k;
    float* an = a + n * kk;
    float reg = scaleByCount != 0 ? lambda * (float) (end - start) : lambda;
    for (long long e = threadIdx.x; e < kk; e += blockDim.x) {
        int s = (int) (e / k);
        int t = (int) (e - (long long) s * k);
        if (t > s) continue;
        float sum = 0.0f;
        for (int at = start; at < end; at++) {
            const float* qv = y + (long long) cols[at] * k;
            sum += qv[s] * qv[t];
        }
        if (s == t) sum += reg;
        an[(long long) s * k + t] = sum;
        an[(long long) t * k + s] = sum;
    }
    for (int s = threadIdx.x; s < k; s += blockDim.x) {
        float sum = 0.0f;
        for (int at = start; at < end; at++) sum += vals[at] * y[(long long) cols[at] * k + s];
        b[(long long) n * k + s] = sum;
    }
}

// Implicit (Hu-Koren-Volinsky): A = G + sum (alpha r) q q^T + lambda I, b = sum_{r>0} (1 + alpha r) q.
extern "C" __global__ void normal_equations_implicit(const int* rows, const int* rowPtr, const int* cols,
                                                     const float* vals, const float* y, int k, const float* gram,
                                                     float alpha, float lambda, float* a, float* b) {
    int n = blockIdx.x;
    int row = rows[n];
    int start = rowPtr[row];
    int end = rowPtr[row + 1];
    long long kk = (long long) k * k;
    float* an = a + n * kk;
    for (long long e = threadIdx.x; e < kk; e += blockDim.x) {
        int s = (int) (e / k);
        int t = (int) (e - (long long) s * k);
        if (t > s) continue;
        float sum = gram[e];
        for (int at = start; at < end; at++) {
            const float* qv = y + (long long) cols[at] * k;
            float weight = alpha * vals[at];
            sum += (weight * qv[s]) * qv[t];
        }
        if (s == t) sum += lambda;
        an[(long long) s * k + t] = sum;
        an[(long long) t * k + s] = sum;
    }
    for (int s = threadIdx.x; s < k; s += blockDim.x) {
        float sum = 0.0f;
        for (int at = start; at < end; at++) {
            float r = vals[at];
            if (r > 0.0f) sum += (1.0f + alpha * r) * y[(long long) cols[at] * k + s];
        }
        b[(long long) n * k + s] = sum;
    }
}
