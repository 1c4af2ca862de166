// BPR updates (Rendle et al. 2009) on the same segment schedule as SGD: in a parallel segment
// no user and no item (positive or negative) occurs twice, so one thread per triple equals the
// sequential order; sequential segments are walked in order by one thread.

#define REDUCE_THREADS 256

__device__ void mf_bpr_one(long long n, float* p, float* q, int k, float* itemBias,
                           const int* users, const int* positives, const int* negatives,
                           float lr, float reg, float regB, float* margin) {
    float* pu = p + (long long) users[n] * k;
    int i = positives[n];
    int j = negatives[n];
    float* qi = q + (long long) i * k;
    float* qj = q + (long long) j * k;
    float x = 0.0f;
    for (int t = 0; t < k; t++) x += pu[t] * (qi[t] - qj[t]);
    if (itemBias != 0) x += itemBias[i] - itemBias[j];
    *margin = x;
    float g = (float) (1.0 / (1.0 + exp((double) x)));
    if (itemBias != 0) {
        itemBias[i] += lr * (g - regB * itemBias[i]);
        itemBias[j] += lr * (-g - regB * itemBias[j]);
    }
    for (int t = 0; t < k; t++) {
        float a = pu[t];
        float b = qi[t];
        float c = qj[t];
        pu[t] = a + lr * (g * (b - c) - reg * a);
        qi[t] = b + lr * (g * a - reg * b);
        qj[t] = c + lr * (-g * a - reg * c);
    }
}

// Triples [start, start + count); margins[n - marginBase] receives each pre-update x_uij.
extern "C" __global__ void bpr_segment(float* p, float* q, int k, float* itemBias,
                                       const int* users, const int* positives, const int* negatives,
                                       float lr, float reg, float regB,
                                       int start, int count, int parallel, int marginBase, float* margins) {
    long long tid = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (parallel != 0) {
        if (tid >= count) return;
        long long n = start + tid;
        mf_bpr_one(n, p, q, k, itemBias, users, positives, negatives, lr, reg, regB, margins + (n - marginBase));
    } else if (tid == 0) {
        for (long long n = start; n < (long long) start + count; n++) {
            mf_bpr_one(n, p, q, k, itemBias, users, positives, negatives, lr, reg, regB, margins + (n - marginBase));
        }
    }
}

// partials[block] = sum of -ln sigma(x) = softplus(-x) over this block's share, in float64.
extern "C" __global__ void sum_bpr_loss(const float* margins, int n, double* partials) {
    double acc = 0.0;
    long long stride = (long long) gridDim.x * blockDim.x;
    for (long long at = (long long) blockIdx.x * blockDim.x + threadIdx.x; at < n; at += stride) {
        double z = -(double) margins[at];
        acc += z > 0.0 ? z + log1p(exp(-z)) : log1p(exp(z));
    }
    __shared__ double s[REDUCE_THREADS];
    s[threadIdx.x] = acc;
    __syncthreads();
    for (int w = REDUCE_THREADS / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) s[threadIdx.x] += s[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) partials[blockIdx.x] = s[0];
}
