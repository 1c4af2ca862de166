// SGD over biased MF. The host splits the rating list into segments (ConflictFreeSchedule):
// in a parallel segment no user and no item occurs twice, so one thread per rating gives
// exactly the sequential result; a sequential segment is run in list order by one thread.
// Segments run in list order, so every schedule reproduces sequential semantics.

__device__ void mf_sgd_one(long long j, float* p, float* q, int k, float* userBias, float* itemBias,
                           const int* users, const int* items, const float* ratings,
                           float mu, float lr, float regF, float regB, float* error) {
    int u = users[j];
    int i = items[j];
    float* pu = p + (long long) u * k;
    float* qi = q + (long long) i * k;
    float dot = 0.0f;
    for (int t = 0; t < k; t++) dot += pu[t] * qi[t];
    float prediction = mu + dot;
    if (userBias != 0) prediction += userBias[u] + itemBias[i];
    float e = ratings[j] - prediction;
    *error = e;
    if (userBias != 0) {
        userBias[u] += lr * (e - regB * userBias[u]);
        itemBias[i] += lr * (e - regB * itemBias[i]);
    }
    for (int t = 0; t < k; t++) {
        float a = pu[t];
        float b = qi[t];
        pu[t] = a + lr * (e * b - regF * a);
        qi[t] = b + lr * (e * a - regF * b);
    }
}

// Ratings [start, start + count): one thread each when parallel != 0, else thread 0 walks them
// in order. errors[j - errorBase] receives each pre-update error.
extern "C" __global__ void sgd_segment(float* p, float* q, int k, float* userBias, float* itemBias,
                                       const int* users, const int* items, const float* ratings,
                                       float mu, float lr, float regF, float regB,
                                       int start, int count, int parallel, int errorBase, float* errors) {
    long long tid = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (parallel != 0) {
        if (tid >= count) return;
        long long j = start + tid;
        mf_sgd_one(j, p, q, k, userBias, itemBias, users, items, ratings, mu, lr, regF, regB, errors + (j - errorBase));
    } else if (tid == 0) {
        for (long long j = start; j < (long long) start + count; j++) {
            mf_sgd_one(j, p, q, k, userBias, itemBias, users, items, ratings, mu, lr, regF, regB,
                       errors + (j - errorBase));
        }
    }
}

// Mini-batch step 1: errors[j] from the parameters at entry.
extern "C" __global__ void minibatch_errors(const float* p, const float* q, int k, const float* userBias,
                                            const float* itemBias, const int* users, const int* items,
                                            const float* ratings, float mu, int n, float* errors) {
    long long j = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n) return;
    int u = users[j];
    int i = items[j];
    const float* pu = p + (long long) u * k;
    const float* qi = q + (long long) i * k;
    float dot = 0.0f;
    for (int t = 0; t < k; t++) dot += pu[t] * qi[t];
    float prediction = mu + dot;
    if (userBias != 0) prediction += userBias[u] + itemBias[i];
    errors[j] = ratings[j] - prediction;
}

// Mini-batch gradient of one group of rows (users or items). Groups come from RowGroups:
// group g is row groupRows[g], its ratings are order[groupPtr[g] .. groupPtr[g+1]) in list
// order, so each sum runs in the reference order. One thread per (group, t):
// grad[g][t] = sum_j errors[j] * other[otherIds[j]][t].
extern "C" __global__ void minibatch_gradient(const int* groupPtr, const int* order, int groups,
                                              const float* errors, const int* otherIds, const float* other, int k,
                                              float* grad) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= (long long) groups * k) return;
    long long g = e / k;
    int t = (int) (e - g * k);
    float sum = 0.0f;
    for (int at = groupPtr[g]; at < groupPtr[g + 1]; at++) {
        int j = order[at];
        sum += errors[j] * other[(long long) otherIds[j] * k + t];
    }
    grad[e] = sum;
}

// x[row] += lr * (grad[g] - count_g * reg * x[row]) for each group g.
extern "C" __global__ void minibatch_apply(float* x, int k, const int* groupRows, const int* groupPtr, int groups,
                                           const float* grad, float lr, float reg) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= (long long) groups * k) return;
    long long g = e / k;
    int t = (int) (e - g * k);
    float rowReg = (float) (groupPtr[g + 1] - groupPtr[g]) * reg;
    long long at = (long long) groupRows[g] * k + t;
    x[at] += lr * (grad[e] - rowReg * x[at]);
}

// Bias step for each group: b[row] += lr * (sum of its errors - count * reg * b[row]).
extern "C" __global__ void minibatch_bias(float* bias, const int* groupRows, const int* groupPtr, const int* order,
                                          int groups, const float* errors, float lr, float reg) {
    int g = blockIdx.x * blockDim.x + threadIdx.x;
    if (g >= groups) return;
    float sum = 0.0f;
    for (int at = groupPtr[g]; at < groupPtr[g + 1]; at++) sum += errors[order[at]];
    float rowReg = (float) (groupPtr[g + 1] - groupPtr[g]) * reg;
    int row = groupRows[g];
    bias[row] += lr * (sum - rowReg * bias[row]);
}
