// The stand-in cuRAND host library (libcurand.so.10) for the GPU engine's tests on machines without a GPU
// (src/test/native/cuda-standin/README.md).
//
// cuRAND's semantics for the calls the project makes (org.langevin.engine.cuda.CurandNoise), not its
// numbers: a PHILOX4_32_10 generator bound to the context current at creation; a seed; an offset that
// counts 32-bit values and advances by what each call generates; curandGenerateNormal that requires an
// even count, writes into device memory of that context (checked by the stand-in driver) and makes its
// normals as Box-Muller pairs of consecutive values. Value p of the sequence of seed s is lane p & 3 of
// the project's Philox4x32-10 block (counter = (p >> 2, 0, 2^31), key = s) (kernels/lv_rng.cuh); a pair
// (p, p + 1) gives lv_box_muller(value p, value p + 1). So the normals are deterministic functions of
// (seed, absolute position), as cuRAND's are, and differ from every particle's fused stream.
// Every other cuRAND symbol that JCurand links returns CURAND_STATUS_INTERNAL_ERROR.
#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

#include "lv_host_shim.h"
#include "lv_rng.cuh"
#include "standin.h"

#define LV_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

enum : int {
    CURAND_STATUS_SUCCESS = 0,
    CURAND_STATUS_NOT_INITIALIZED = 101,
    CURAND_STATUS_ALLOCATION_FAILED = 102,
    CURAND_STATUS_TYPE_ERROR = 103,
    CURAND_STATUS_OUT_OF_RANGE = 104,
    CURAND_STATUS_LENGTH_NOT_MULTIPLE = 105,
    CURAND_STATUS_LAUNCH_FAILURE = 201,
    CURAND_STATUS_INITIALIZATION_FAILED = 203,
    CURAND_STATUS_INTERNAL_ERROR = 999,
};
const int CURAND_RNG_PSEUDO_PHILOX4_32_10 = 161;
const int CURAND_ORDERING_PSEUDO_BEST = 100;
const int CURAND_ORDERING_PSEUDO_DEFAULT = 101;

struct Generator {
    void* ctx;                  // the driver context current at creation
    bool alive = true;
    unsigned long long seed = 0;
    unsigned long long offset = 0;  // in 32-bit values
    int ordering = CURAND_ORDERING_PSEUDO_DEFAULT;
};

std::mutex gLock;
std::vector<Generator*> gGenerators;  // never freed: a destroyed generator is detected, not reused

// Value p of the sequence.
uint32_t word(unsigned long long seed, unsigned long long p) {
    uint32_t w[4];
    const unsigned long long block = p >> 2;
    lv_philox4x32_10((uint32_t)block, (uint32_t)(block >> 32), 0u, 0x80000000u, (uint32_t)seed, (uint32_t)(seed >> 32), w);
    return w[p & 3];
}

// The live generator behind a handle whose context is still alive and current, or a status.
int usable(void* handle, Generator** out) {
    Generator* g = (Generator*)handle;
    bool known = false;
    for (Generator* k : gGenerators) known = known || k == g;
    if (!known || !g->alive) return CURAND_STATUS_NOT_INITIALIZED;
    if (!lv_standin_context_alive(g->ctx)) return CURAND_STATUS_NOT_INITIALIZED;
    *out = g;
    return CURAND_STATUS_SUCCESS;
}

}  // namespace

LV_EXPORT int curandCreateGenerator(void** gen, int type) {
    if (gen == nullptr) return CURAND_STATUS_NOT_INITIALIZED;
    if (type != CURAND_RNG_PSEUDO_PHILOX4_32_10) return CURAND_STATUS_TYPE_ERROR;  // the stand-in has Philox only
    void* ctx = lv_standin_current_context();
    if (ctx == nullptr || !lv_standin_context_alive(ctx)) return CURAND_STATUS_INITIALIZATION_FAILED;
    std::lock_guard<std::mutex> l(gLock);
    Generator* g = new Generator();
    g->ctx = ctx;
    gGenerators.push_back(g);
    *gen = g;
    return CURAND_STATUS_SUCCESS;
}

LV_EXPORT int curandDestroyGenerator(void* gen) {
    std::lock_guard<std::mutex> l(gLock);
    Generator* g = nullptr;
    int rc = usable(gen, &g);
    if (rc != CURAND_STATUS_SUCCESS) return rc;
    g->alive = false;
    return CURAND_STATUS_SUCCESS;
}

LV_EXPORT int curandSetPseudoRandomGeneratorSeed(void* gen, unsigned long long seed) {
    std::lock_guard<std::mutex> l(gLock);
    Generator* g = nullptr;
    int rc = usable(gen, &g);
    if (rc != CURAND_STATUS_SUCCESS) return rc;
    g->seed = seed;
    return CURAND_STATUS_SUCCESS;
}

LV_EXPORT int curandSetGeneratorOffset(void* gen, unsigned long long offset) {
    std::lock_guard<std::mutex> l(gLock);
    Generator* g = nullptr;
    int rc = usable(gen, &g);
    if (rc != CURAND_STATUS_SUCCESS) return rc;
    g->offset = offset;
    return CURAND_STATUS_SUCCESS;
}

LV_EXPORT int curandSetGeneratorOrdering(void* gen, int order) {
    std::lock_guard<std::mutex> l(gLock);
    Generator* g = nullptr;
    int rc = usable(gen, &g);
    if (rc != CURAND_STATUS_SUCCESS) return rc;
    if (order != CURAND_ORDERING_PSEUDO_DEFAULT && order != CURAND_ORDERING_PSEUDO_BEST) return CURAND_STATUS_OUT_OF_RANGE;
    g->ordering = order;
    return CURAND_STATUS_SUCCESS;
}

LV_EXPORT int curandSetStream(void* gen, void* stream) {
    std::lock_guard<std::mutex> l(gLock);
    Generator* g = nullptr;
    int rc = usable(gen, &g);
    if (rc != CURAND_STATUS_SUCCESS) return rc;
    return stream == nullptr ? CURAND_STATUS_SUCCESS : CURAND_STATUS_INTERNAL_ERROR;
}

LV_EXPORT int curandGetVersion(int* v) {
    if (v == nullptr) return CURAND_STATUS_OUT_OF_RANGE;
    *v = 10300;
    return CURAND_STATUS_SUCCESS;
}

LV_EXPORT int curandGenerate(void* gen, unsigned int* out, size_t n) {
    unsigned long long seed;
    unsigned long long first;
    {
        std::lock_guard<std::mutex> l(gLock);
        Generator* g = nullptr;
        int rc = usable(gen, &g);
        if (rc != CURAND_STATUS_SUCCESS) return rc;
        if (g->ctx != lv_standin_current_context()) return CURAND_STATUS_LAUNCH_FAILURE;
        if (lv_standin_device_range((unsigned long long)(uintptr_t)out, 4ull * n) != 0) return CURAND_STATUS_LAUNCH_FAILURE;
        seed = g->seed;
        first = g->offset;
        g->offset += n;
    }
    for (size_t i = 0; i < n; i++) out[i] = word(seed, first + i);
    return CURAND_STATUS_SUCCESS;
}

LV_EXPORT int curandGenerateNormal(void* gen, float* out, size_t n, float mean, float stddev) {
    unsigned long long seed;
    unsigned long long first;
    {
        std::lock_guard<std::mutex> l(gLock);
        Generator* g = nullptr;
        int rc = usable(gen, &g);
        if (rc != CURAND_STATUS_SUCCESS) return rc;
        if (n % 2 != 0) return CURAND_STATUS_LENGTH_NOT_MULTIPLE;
        if (g->ctx != lv_standin_current_context()) return CURAND_STATUS_LAUNCH_FAILURE;
        if (lv_standin_device_range((unsigned long long)(uintptr_t)out, 4ull * n) != 0) return CURAND_STATUS_LAUNCH_FAILURE;
        seed = g->seed;
        first = g->offset;
        g->offset += n;
    }
    for (size_t i = 0; i < n; i += 2) {
        float pair[2];
        lv_box_muller(word(seed, first + i), word(seed, first + i + 1), pair);
        out[i] = mean + stddev * pair[0];
        out[i + 1] = mean + stddev * pair[1];
    }
    return CURAND_STATUS_SUCCESS;
}
