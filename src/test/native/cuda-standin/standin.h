// What the stand-in libcuda.so.1 exports to the stand-in libcurand.so.10 (src/test/native/cuda-standin/README.md).
// Not part of CUDA's API: cuRAND's host API runs on the driver's current context and device memory, and
// these calls let the stand-in cuRAND check both the way the driver would.
#ifndef LV_STANDIN_H
#define LV_STANDIN_H

#ifdef __cplusplus
extern "C" {
#endif

// The calling thread's current context (an opaque handle), or null when there is none or cuInit has not run.
void* lv_standin_current_context(void);

// 1 when `ctx` is a context that has not been destroyed, else 0.
int lv_standin_context_alive(void* ctx);

// CUDA_SUCCESS (0) when [ptr, ptr + bytes) lies inside one live allocation of the calling thread's current
// context and that context has no sticky error; otherwise the CUresult the driver would report.
int lv_standin_device_range(unsigned long long ptr, unsigned long long bytes);

#ifdef __cplusplus
}
#endif

#endif  // LV_STANDIN_H
