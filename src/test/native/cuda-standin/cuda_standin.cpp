// The stand-in CUDA driver (libcuda.so.1) for the GPU engine's tests on machines without a GPU
// (src/test/native/cuda-standin/README.md, docs/architecture.md "The stand-in CUDA driver").
//
// It implements the driver-API calls that org.langevin.engine.cuda makes through JCuda, with the rules a
// driver enforces, and runs launches with the host build of the project's kernels (lv_emulator.cpp, the
// emulated device's build of kernels/lv_kernels.cu) over the grid. Every other symbol that JCuda's
// driver library links is a generated stub returning CUDA_ERROR_NOT_SUPPORTED (build.sh).
//
// Device memory is host memory: a device pointer is the host address of the allocation, which ends at an
// inaccessible guard page and is filled with 0xFF bytes (NaN as float and as double) when allocated.
//
// Configuration (environment, read by cuInit): LV_STANDIN_DEVICES, LV_STANDIN_NAMES, LV_STANDIN_CC,
// LV_STANDIN_MEMORY, LV_STANDIN_SMS, LV_STANDIN_DRIVER_VERSION, LV_STANDIN_INIT_ERROR,
// LV_STANDIN_REFUSE_CONTEXT, LV_STANDIN_FAIL_ALLOC, LV_STANDIN_FAULT_LAUNCH, LV_STANDIN_LEAK_REPORT,
// LV_STANDIN_THREADS, LV_STANDIN_THREADS_PER_SM.
//
// Streams defer their work: an asynchronous copy or a launch on a stream created by cuStreamCreate is
// queued and runs only when the stream is synchronised (cuStreamSynchronize, cuCtxSynchronize, a
// synchronous copy or launch on the legacy default stream, which waits for the other streams,
// cuMemFree/cuMemFreeHost, cuStreamDestroy), so host code that reads a result before it waits for it
// reads stale bytes. Pinned host memory (cuMemHostAlloc, cuMemAllocHost) is tracked and filled with 0xFF
// bytes when allocated.
#include <dlfcn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "standin.h"

// The emulated device's entry (lv_emulator.cpp, linked into this library).
extern "C" int lv_emu_launch_blocks(const char* entry, int grid, int block, int firstBlock, int endBlock, float* state,
                                    double* avg, int count, int stride, long long firstParticle, long long firstStep,
                                    int nSteps, long long burnIn, unsigned int seedLo, unsigned int seedHi, float lr,
                                    float noiseScale, const int* ip, const float* fp, const float* data,
                                    const float* noise);

extern "C" int lv_emu_reduce_blocks(int grid, int block, int firstBlock, int endBlock, const float* state, double* out,
                                    int count, int stride, int d, int withLoss, const double* rp);

#define LV_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

// CUresult values (cuda.h).
enum : int {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_DEINITIALIZED = 4,
    CUDA_ERROR_NO_DEVICE = 100,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_PTX = 218,
    CUDA_ERROR_UNSUPPORTED_PTX_VERSION = 222,
    CUDA_ERROR_NO_BINARY_FOR_GPU = 209,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_ILLEGAL_ADDRESS = 700,
    CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
    CUDA_ERROR_CONTEXT_IS_DESTROYED = 709,
    CUDA_ERROR_LAUNCH_FAILED = 719,
    CUDA_ERROR_NOT_PERMITTED = 800,
    CUDA_ERROR_NOT_SUPPORTED = 801,
    CUDA_ERROR_DEVICE_UNAVAILABLE = 46,
    CUDA_ERROR_INVALID_SOURCE = 300,
    CUDA_ERROR_UNKNOWN = 999,
};

struct NamedError {
    int code;
    const char* name;
    const char* text;
};
const NamedError kErrors[] = {
    {CUDA_SUCCESS, "CUDA_SUCCESS", "no error"},
    {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {CUDA_ERROR_DEINITIALIZED, "CUDA_ERROR_DEINITIALIZED", "driver shutting down"},
    {CUDA_ERROR_DEVICE_UNAVAILABLE, "CUDA_ERROR_DEVICE_UNAVAILABLE", "CUDA-capable device(s) is/are busy or unavailable"},
    {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {CUDA_ERROR_INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {CUDA_ERROR_NO_BINARY_FOR_GPU, "CUDA_ERROR_NO_BINARY_FOR_GPU", "no kernel image is available for execution on the device"},
    {CUDA_ERROR_INVALID_PTX, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {CUDA_ERROR_UNSUPPORTED_PTX_VERSION, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain."},
    {CUDA_ERROR_INVALID_SOURCE, "CUDA_ERROR_INVALID_SOURCE", "device kernel image is invalid"},
    {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {CUDA_ERROR_ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {CUDA_ERROR_CONTEXT_IS_DESTROYED, "CUDA_ERROR_CONTEXT_IS_DESTROYED", "context is destroyed"},
    {CUDA_ERROR_LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {CUDA_ERROR_NOT_PERMITTED, "CUDA_ERROR_NOT_PERMITTED", "operation not permitted"},
    {CUDA_ERROR_NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {CUDA_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

int errorByName(const char* s, int dflt) {
    if (s == nullptr || *s == '\0') {
        return dflt;
    }
    for (const NamedError& e : kErrors) {
        if (strcmp(s, e.name) == 0 || (strncmp(e.name, "CUDA_ERROR_", 11) == 0 && strcmp(s, e.name + 11) == 0)) {
            return e.code;
        }
    }
    char* end = nullptr;
    long v = strtol(s, &end, 10);
    return (end != s && *end == '\0' && v > 0) ? (int)v : dflt;
}

// The kernel ABI (kernels/README.md): the parameter sizes every entry point of the host build takes.
const int kAbiSizes[16] = {8, 8, 4, 4, 8, 8, 4, 8, 4, 4, 4, 4, 8, 8, 8, 8};
// Which of them are device pointers (state, avg, ip, fp, data, noise).
const bool kAbiPointer[16] = {true, true, false, false, false, false, false, false,
                              false, false, false, false, true, true, true, true};

// The record reduction's entry point lv_reduce_blocks (kernels/lv_reduce.cuh): its parameter sizes and
// which are device pointers (state, out, rp).
const char* const kReduceEntry = "lv_reduce_blocks";
const int kReduceSizes[7] = {8, 8, 4, 4, 4, 4, 8};
const bool kReducePointer[7] = {true, true, false, false, false, false, true};

struct Device {
    std::string name;
    int major = 9;
    int minor = 0;
    unsigned long long totalMem = 1ull << 30;
    unsigned long long used = 0;
    unsigned long long peak = 0;  // the most `used` has been
    int sms = 4;
    int threadsPerSm = 2048;  // MAX_THREADS_PER_MULTIPROCESSOR
};

struct Context;

struct Allocation {
    unsigned long long ptr;    // device (= host) address of the first byte
    unsigned long long bytes;  // requested size
    void* map;                 // the mapping: accounted pages + guard page
    size_t mapBytes;
    unsigned long long accounted;  // bytes charged to the device
};

struct Entry {
    std::string name;
    std::vector<int> paramSizes;  // from the PTX's .param list
    int maxThreads = 1024;        // .maxntid product, else the hardware's 1024
    int localBytes = 0;           // bytes of .local memory per thread (the entry's __local_depot)
};

// A user model's kernel rebuilt for the host: lvu_standin_launch(grid, block, kernelParams) runs
// lvu_advance over the grid with the parameters as cuLaunchKernel received them.
typedef int (*ModelLaunch)(int grid, int block, void** params);

struct Module {
    Context* ctx;
    bool alive = true;
    std::vector<Entry> entries;
    ModelLaunch model = nullptr;  // set for a user model's PTX (its source trailer, below)
    ModelLaunch modelReduce = nullptr;  // its record reduction lvu_reduce
};

struct Function {
    Module* module;
    const Entry* entry;
};

struct Context {
    int device;
    bool alive = true;
    int sticky = CUDA_SUCCESS;            // the error that made this context unusable
    std::map<unsigned long long, Allocation> allocations;  // by start address
    std::vector<Module*> modules;
    int localPerThread = 0;                // the most local memory per thread of a launch so far
    unsigned long long localReserved = 0;  // device memory reserved for it (per thread x SMs x threads per SM)
};

// A stream (cuStreamCreate): its work is queued and runs when the stream is synchronised.
struct Stream {
    Context* ctx;
    bool alive = true;
    std::vector<std::function<int()>> pending;
};

// Pinned host memory from cuMemHostAlloc / cuMemAllocHost.
struct Pinned {
    void* ptr;
    size_t bytes;
};

// Everything below is guarded by gLock. Context, Module and Function objects are never freed (a
// destroyed one is marked dead), so a stale handle is detected instead of being reused.
std::mutex gLock;
bool gInit = false;
int gInitError = CUDA_SUCCESS;
int gDriverVersion = 12080;
std::vector<Device> gDevices;
std::vector<Context*> gContexts;
std::vector<Function*> gFunctions;
std::vector<Stream*> gStreams;  // never freed (a destroyed one is marked dead)
std::map<uintptr_t, Pinned> gPinned;  // by start address
long long gAsyncOps = 0;  // operations queued on streams
long long gAllocCalls = 0;
long long gFailAlloc = -1;  // the 1-based cuMemAlloc call that fails, or -1
long long gLaunches = 0;
long long gFaultLaunch = -1;  // the 1-based launch that faults, or -1
int gRefuseContext = CUDA_SUCCESS;
std::string gLeakReport;
int gThreads = 1;  // host threads a launch's blocks are spread over
thread_local Context* tCurrent = nullptr;
thread_local std::vector<Context*> tStack;  // cuCtxPush/Pop below the current one
const size_t kPage = (size_t)sysconf(_SC_PAGESIZE);

unsigned long long parseBytes(const char* s, unsigned long long dflt) {
    if (s == nullptr || *s == '\0') {
        return dflt;
    }
    char* end = nullptr;
    double v = strtod(s, &end);
    unsigned long long mult = 1;
    if (end != nullptr && *end != '\0') {
        switch (*end) {
            case 'k': case 'K': mult = 1ull << 10; break;
            case 'm': case 'M': mult = 1ull << 20; break;
            case 'g': case 'G': mult = 1ull << 30; break;
            default: mult = 1; break;
        }
    }
    return v > 0 ? (unsigned long long)(v * (double)mult) : dflt;
}

long long parseLong(const char* s, long long dflt) {
    if (s == nullptr || *s == '\0') {
        return dflt;
    }
    return strtoll(s, nullptr, 10);
}

// "12.8" or "12080" -> 12080.
int parseDriverVersion(const char* s, int dflt) {
    if (s == nullptr || *s == '\0') {
        return dflt;
    }
    const char* dot = strchr(s, '.');
    if (dot != nullptr) {
        return atoi(s) * 1000 + atoi(dot + 1) * 10;
    }
    return atoi(s);
}

std::string listItem(const char* list, size_t i, const char* dflt) {
    if (list == nullptr || *list == '\0') {
        return dflt;
    }
    std::vector<std::string> items;
    std::string cur;
    for (const char* p = list;; p++) {
        if (*p == ',' || *p == '\0') {
            items.push_back(cur);
            cur.clear();
            if (*p == '\0') {
                break;
            }
        } else {
            cur += *p;
        }
    }
    return items[i < items.size() ? i : items.size() - 1];
}

void configure() {
    long long n = parseLong(getenv("LV_STANDIN_DEVICES"), 1);
    gDevices.clear();
    for (long long i = 0; i < n; i++) {
        Device d;
        d.name = listItem(getenv("LV_STANDIN_NAMES"), (size_t)i, "langevin stand-in GPU (host-compiled kernels)");
        std::string cc = listItem(getenv("LV_STANDIN_CC"), (size_t)i, "9.0");
        d.major = atoi(cc.c_str());
        const char* dot = strchr(cc.c_str(), '.');
        d.minor = dot == nullptr ? 0 : atoi(dot + 1);
        d.totalMem = parseBytes(listItem(getenv("LV_STANDIN_MEMORY"), (size_t)i, "1G").c_str(), 1ull << 30);
        d.sms = (int)parseLong(listItem(getenv("LV_STANDIN_SMS"), (size_t)i, "4").c_str(), 4);
        d.threadsPerSm = (int)parseLong(listItem(getenv("LV_STANDIN_THREADS_PER_SM"), (size_t)i, "2048").c_str(), 2048);
        gDevices.push_back(d);
    }
    gDriverVersion = parseDriverVersion(getenv("LV_STANDIN_DRIVER_VERSION"), 12080);
    gInitError = errorByName(getenv("LV_STANDIN_INIT_ERROR"), CUDA_SUCCESS);
    gRefuseContext = errorByName(getenv("LV_STANDIN_REFUSE_CONTEXT"), CUDA_SUCCESS);
    gFailAlloc = parseLong(getenv("LV_STANDIN_FAIL_ALLOC"), -1);
    gFaultLaunch = parseLong(getenv("LV_STANDIN_FAULT_LAUNCH"), -1);
    unsigned int hw = std::thread::hardware_concurrency();
    gThreads = (int)parseLong(getenv("LV_STANDIN_THREADS"), hw == 0 ? 1 : (hw > 4 ? 4 : (long long)hw));
    if (gThreads < 1) gThreads = 1;
    const char* leak = getenv("LV_STANDIN_LEAK_REPORT");
    gLeakReport = leak == nullptr ? "" : leak;
}

// The current context, or the error a driver call without a usable one returns.
int current(Context** out) {
    if (!gInit) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    Context* c = tCurrent;
    if (c == nullptr) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    if (!c->alive) {
        return CUDA_ERROR_CONTEXT_IS_DESTROYED;
    }
    if (c->sticky != CUDA_SUCCESS) {
        return c->sticky;
    }
    *out = c;
    return CUDA_SUCCESS;
}

// The live allocation of `c` that holds [p, p + bytes), or null.
const Allocation* find(Context* c, unsigned long long p, unsigned long long bytes) {
    auto it = c->allocations.upper_bound(p);
    if (it == c->allocations.begin()) {
        return nullptr;
    }
    --it;
    const Allocation& a = it->second;
    if (p < a.ptr || p - a.ptr > a.bytes || bytes > a.bytes - (p - a.ptr)) {
        return nullptr;
    }
    return &a;
}

// Runs a stream's queued work in order (gLock held; the work does not take it). The first failure becomes
// the context's sticky error, as an asynchronous fault does, and is returned.
int drain(Stream* st) {
    std::vector<std::function<int()>> work;
    work.swap(st->pending);
    int rc = CUDA_SUCCESS;
    for (auto& w : work) {
        if (rc != CUDA_SUCCESS || st->ctx->sticky != CUDA_SUCCESS) break;
        rc = w();
        if (rc != CUDA_SUCCESS) st->ctx->sticky = rc;
    }
    return rc != CUDA_SUCCESS ? rc : st->ctx->sticky;
}

// Runs the queued work of every stream of a context (what the legacy default stream waits for).
int drainAll(Context* c) {
    int rc = CUDA_SUCCESS;
    for (Stream* st : gStreams) {
        if (st->alive && st->ctx == c && !st->pending.empty()) {
            int r = drain(st);
            if (rc == CUDA_SUCCESS) rc = r;
        }
    }
    return rc;
}

// The live stream of context c, or null for the legacy default stream (0); sets *rc when the handle is bad.
Stream* streamOf(Context* c, void* handle, int* rc) {
    *rc = CUDA_SUCCESS;
    if (handle == nullptr) return nullptr;
    for (Stream* st : gStreams) {
        if (st == handle) {
            if (!st->alive || st->ctx != c) *rc = CUDA_ERROR_INVALID_HANDLE;
            return st;
        }
    }
    *rc = CUDA_ERROR_INVALID_HANDLE;
    return nullptr;
}

// Whether [p, p + bytes) lies in one pinned block.
bool pinned(const void* p, size_t bytes) {
    uintptr_t a = (uintptr_t)p;
    auto it = gPinned.upper_bound(a);
    if (it == gPinned.begin()) return false;
    --it;
    return a >= it->first && a - it->first <= it->second.bytes && bytes <= it->second.bytes - (a - it->first);
}

void freeAllocation(Context* c, const Allocation& a) {
    munmap(a.map, a.mapBytes);
    gDevices[(size_t)c->device].used -= a.accounted;
}

void destroyContext(Context* c) {
    for (Stream* st : gStreams) {
        if (st->ctx == c && st->alive) {
            st->pending.clear();  // work of a destroyed context is lost, as on a device
            st->alive = false;
        }
    }
    gDevices[(size_t)c->device].used -= c->localReserved;
    c->localReserved = 0;
    for (auto& kv : c->allocations) {
        freeAllocation(c, kv.second);
    }
    c->allocations.clear();
    for (Module* m : c->modules) {
        m->alive = false;
    }
    c->modules.clear();
    c->alive = false;
}

int checkDevice(int dev) {
    if (!gInit) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    return dev >= 0 && (size_t)dev < gDevices.size() ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

void leakReport() {
    if (gLeakReport.empty()) {
        return;
    }
    std::lock_guard<std::mutex> g(gLock);
    size_t contexts = 0;
    size_t allocations = 0;
    size_t modules = 0;
    size_t streams = 0;
    unsigned long long bytes = 0;
    unsigned long long pinnedBytes = 0;
    for (Stream* st : gStreams) streams += st->alive ? 1 : 0;
    for (auto& kv : gPinned) pinnedBytes += kv.second.bytes;
    for (Context* c : gContexts) {
        if (c->alive) {
            contexts++;
            allocations += c->allocations.size();
            modules += c->modules.size();
            for (auto& kv : c->allocations) {
                bytes += kv.second.bytes;
            }
        }
    }
    FILE* f = gLeakReport == "-" ? stderr : fopen(gLeakReport.c_str(), "a");
    if (f == nullptr) {
        return;
    }
    unsigned long long peak = 0;
    for (const Device& d : gDevices) peak = d.peak > peak ? d.peak : peak;
    fprintf(f, "cuda stand-in leak report: contexts=%zu modules=%zu allocations=%zu bytes=%llu launches=%lld peak=%llu "
            "streams=%zu pinned=%zu pinnedBytes=%llu asyncOps=%lld\n",
            contexts, modules, allocations, bytes, gLaunches, peak, streams, gPinned.size(), pinnedBytes, gAsyncOps);
    if (f != stderr) {
        fclose(f);
    }
}

struct AtExit {
    ~AtExit() { leakReport(); }
} gAtExit;

// ---- PTX reading --------------------------------------------------------------------------------------

int ptxTypeSize(const std::string& t) {
    if (t == ".u64" || t == ".s64" || t == ".b64" || t == ".f64") return 8;
    if (t == ".u32" || t == ".s32" || t == ".b32" || t == ".f32") return 4;
    if (t == ".u16" || t == ".s16" || t == ".b16" || t == ".f16") return 2;
    if (t == ".u8" || t == ".s8" || t == ".b8") return 1;
    return 0;
}

// Whitespace/punctuation tokens of a PTX fragment, comments removed.
std::vector<std::string> tokens(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (size_t i = 0; i < s.size(); i++) {
        char ch = s[i];
        if (ch == '/' && i + 1 < s.size() && s[i + 1] == '/') {
            while (i < s.size() && s[i] != '\n') i++;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ',' || ch == '[' || ch == ']') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
            if (ch == '[' || ch == ']') out.push_back(std::string(1, ch));
        } else {
            cur += ch;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// A user model's PTX ends with its functions as C++ (engine/cuda/ModelPtx's trailer, comment lines that a
// driver ignores): "//@lvu_model.h", then "//|"-prefixed lines, then "//@end". As a driver JIT-compiles
// PTX for its GPU, the stand-in compiles that source with kernels/lv_model_kernel.cuh for the host (the
// emulated device's compiler and flags), caches the library by the source's hash and loads it.
// Returns an error message, empty on success; *launch stays null for PTX without the trailer.
std::string buildHostModel(const std::string& text, ModelLaunch* launch, ModelLaunch* reduce) {
    size_t b = text.find("\n//@lvu_model.h");
    if (b == std::string::npos) {
        return "";
    }
    size_t e = text.find("\n//@end", b);
    if (e == std::string::npos) {
        return "the model source trailer has no //@end";
    }
    std::string header;
    size_t pos = text.find('\n', b + 1);
    while (pos != std::string::npos && pos < e) {
        size_t next = text.find('\n', pos + 1);
        std::string line = text.substr(pos + 1, (next == std::string::npos ? text.size() : next) - pos - 1);
        if (line.rfind("//|", 0) == 0) {
            header += line.substr(3) + "\n";
        }
        pos = next;
    }
    unsigned long long h = 1469598103934665603ull;  // FNV-1a of the source and the build
    // the key covers the kernel sources too (LV_STANDIN_FP: build.sh's fingerprint of them, the compiler, the flags)
    std::string key = header + LV_STANDIN_CXX + LV_STANDIN_KSRC + LV_STANDIN_FP;
    for (unsigned char ch : key) {
        h = (h ^ ch) * 1099511628211ull;
    }
    const char* tmp = getenv("TMPDIR");
    std::string root = std::string(tmp && *tmp ? tmp : "/tmp") + "/langevin-standin-models";
    char name[32];
    snprintf(name, sizeof name, "%016llx", h);
    std::string dir = root + "/" + name;
    std::string lib = dir + "/lvu_host.so";
    struct stat st;
    if (stat(lib.c_str(), &st) != 0) {
        mkdir(root.c_str(), 0700);
        std::string work = dir + ".build-" + std::to_string((long)getpid());
        mkdir(work.c_str(), 0700);
        FILE* f = fopen((work + "/lvu_model.h").c_str(), "w");
        if (!f) return "cannot write " + work;
        fputs(header.c_str(), f);
        fclose(f);
        f = fopen((work + "/lvu_host.cpp").c_str(), "w");
        if (!f) return "cannot write " + work;
        fputs("#include \"lv_host_shim.h\"\n#include \"lvu_model.h\"\n#include \"lv_model_kernel.cuh\"\n"
              "#include <cstddef>\n#include <type_traits>\n#include <utility>\n"
              "template <typename... A, std::size_t... I>\n"
              "static void lvu_call(void (*k)(A...), void** p, std::index_sequence<I...>) {\n"
              "    k(*static_cast<std::remove_reference_t<A>*>(p[I])...);\n}\n"
              "template <typename... A>\n"
              "static void lvu_run(void (*k)(A...), void** p) { lvu_call(k, p, std::index_sequence_for<A...>{}); }\n"
              "extern \"C\" __attribute__((visibility(\"default\"))) int lvu_standin_launch(int grid, int block, void** p) {\n"
              "    lv_emu_grid(grid, block, [&]() { lvu_run(&lvu_advance, p); });\n"
              "    return 0;\n}\n"
              "extern \"C\" __attribute__((visibility(\"default\"))) int lvu_standin_reduce(int grid, int block, void** p) {\n"
              "    lv_emu_grid(grid, block, [&]() { lvu_run(&lvu_reduce, p); });\n"
              "    return 0;\n}\n", f);
        fclose(f);
        std::string flags;
        FILE* ff = fopen(LV_STANDIN_KSRC "/emulator.flags", "r");
        if (!ff) return "cannot read " LV_STANDIN_KSRC "/emulator.flags";
        char buf[256];
        while (fgets(buf, sizeof buf, ff)) {
            std::string fl(buf);
            while (!fl.empty() && (fl.back() == '\n' || fl.back() == '\r')) fl.pop_back();
            if (!fl.empty()) flags += " '" + fl + "'";
        }
        fclose(ff);
        std::string cmd = std::string("'") + LV_STANDIN_CXX + "'" + flags +
                          " -fvisibility=hidden -Wl,-Bsymbolic -I '" + work + "' -I '" LV_STANDIN_KSRC "' -o '" + work +
                          "/lvu_host.so' '" + work + "/lvu_host.cpp' > '" + work + "/build.log' 2>&1";
        if (system(cmd.c_str()) != 0) {
            return "the host build of the model kernel failed: see " + work + "/build.log";
        }
        mkdir(dir.c_str(), 0700);
        if (rename((work + "/lvu_host.so").c_str(), lib.c_str()) != 0 && stat(lib.c_str(), &st) != 0) {
            return "cannot move the model library into " + dir;
        }
    }
    void* handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        return std::string("cannot load ") + lib + ": " + dlerror();
    }
    *launch = (ModelLaunch)dlsym(handle, "lvu_standin_launch");
    *reduce = (ModelLaunch)dlsym(handle, "lvu_standin_reduce");
    return *launch && *reduce ? "" : "the model library has no lvu_standin_launch or lvu_standin_reduce";
}

// Reads every .entry's parameter sizes and .maxntid. Returns an error message, empty when the text is fine.
std::string readPtx(const std::string& text, std::vector<Entry>* entries, std::string* version, std::string* target) {
    size_t v = text.find(".version");
    if (v == std::string::npos) {
        return "no .version directive (not PTX text)";
    }
    std::vector<std::string> vt = tokens(text.substr(v, 40));
    *version = vt.size() > 1 ? vt[1] : "";
    size_t t = text.find(".target");
    if (t != std::string::npos) {
        std::vector<std::string> tt = tokens(text.substr(t, 60));
        *target = tt.size() > 1 ? tt[1] : "";
    }
    size_t pos = 0;
    while ((pos = text.find(".entry", pos)) != std::string::npos) {
        size_t open = text.find('(', pos);
        size_t brace = text.find('{', pos);
        if (open == std::string::npos || brace == std::string::npos) {
            return "malformed .entry";
        }
        Entry e;
        std::vector<std::string> head = tokens(text.substr(pos + 6, open - pos - 6));
        if (head.empty()) {
            return "malformed .entry";
        }
        e.name = head[0];
        size_t close = text.find(')', open);
        if (open > brace || close == std::string::npos || close > brace) {
            // an entry without a parameter list
            close = open > brace ? brace : close;
        } else {
            std::string list = text.substr(open + 1, close - open - 1);
            std::vector<std::string> tk = tokens(list);
            for (size_t i = 0; i < tk.size(); i++) {
                if (tk[i] != ".param") continue;
                int size = 0;
                size_t j = i + 1;
                for (; j < tk.size() && tk[j] != ".param"; j++) {
                    if (tk[j] == ".align" && j + 1 < tk.size()) {
                        j++;  // an array parameter's alignment: its size is what is copied
                    } else if (ptxTypeSize(tk[j]) > 0 && size == 0) {
                        size = ptxTypeSize(tk[j]);
                    } else if (tk[j] == "[" && j + 1 < tk.size()) {
                        size *= atoi(tk[j + 1].c_str());
                        j++;
                    }
                }
                if (size == 0) {
                    return "parameter " + std::to_string(e.paramSizes.size()) + " of " + e.name + " has no size";
                }
                e.paramSizes.push_back(size);
                i = j - 1;
            }
        }
        std::vector<std::string> dir = tokens(text.substr(close + 1, brace - close - 1));
        for (size_t i = 0; i < dir.size(); i++) {
            if (dir[i] == ".maxntid") {
                int prod = 1;
                for (size_t j = i + 1; j < dir.size() && j <= i + 3 && dir[j][0] != '.'; j++) {
                    prod *= atoi(dir[j].c_str());
                }
                e.maxThreads = prod;
            }
        }
        // Local memory per thread: the sizes of the .local arrays declared in the body (nvcc's __local_depot).
        size_t bodyEnd = text.find(".entry", brace);
        if (bodyEnd == std::string::npos) bodyEnd = text.size();
        for (size_t l = text.find(".local", brace); l != std::string::npos && l < bodyEnd; l = text.find(".local", l + 6)) {
            size_t eol = text.find_first_of(";\n", l);
            if (eol == std::string::npos || eol > bodyEnd) break;
            char before = text[l - 1];
            if (before != ' ' && before != '\t' && before != '\n') continue;  // ld.local, st.local: accesses
            std::vector<std::string> lt = tokens(text.substr(l, eol - l));
            int elem = 0;
            long long n = 1;
            for (size_t j = 0; j < lt.size(); j++) {
                if (elem == 0 && ptxTypeSize(lt[j]) > 0) elem = ptxTypeSize(lt[j]);
                if (lt[j] == "[" && j + 1 < lt.size()) n *= atoll(lt[j + 1].c_str());
            }
            e.localBytes += (int)(elem * n);
        }
        entries->push_back(e);
        pos = brace;
    }
    return "";
}

// The newest PTX ISA a driver of this CUDA version compiles (the PTX ISA manual's release table).
double maxIsa(int driver) {
    int major = driver / 1000;
    int minor = (driver % 1000) / 10;
    if (major <= 10) return 6.5;
    if (major == 11) return 7.0 + 0.1 * minor;
    if (major == 12) {
        static const double k12[] = {8.0, 8.1, 8.2, 8.3, 8.4, 8.5, 8.5, 8.6, 8.7, 8.8};
        return k12[minor < 10 ? minor : 9];
    }
    return 9.0;
}

void writeLog(char* buf, size_t* size, const std::string& s) {
    if (buf == nullptr || size == nullptr || *size == 0) {
        return;
    }
    size_t n = s.size() < *size - 1 ? s.size() : *size - 1;
    memcpy(buf, s.data(), n);
    buf[n] = '\0';
    *size = n + 1;
}

int loadModule(void** out, const void* image, unsigned int numOptions, const int* options, void** values) {
    // JIT log options (CUjit_option): info log 3/4, error log 5/6.
    char* infoLog = nullptr;
    char* errorLog = nullptr;
    size_t infoSize = 0;
    size_t errorSize = 0;
    int infoSizeAt = -1;
    int errorSizeAt = -1;
    for (unsigned int i = 0; options != nullptr && values != nullptr && i < numOptions; i++) {
        switch (options[i]) {
            case 3: infoLog = (char*)values[i]; break;
            case 4: infoSize = (size_t)(uintptr_t)values[i]; infoSizeAt = (int)i; break;
            case 5: errorLog = (char*)values[i]; break;
            case 6: errorSize = (size_t)(uintptr_t)values[i]; errorSizeAt = (int)i; break;
            default: break;
        }
    }
    auto finish = [&](int rc, const std::string& err, const std::string& info) {
        writeLog(errorLog, &errorSize, err);
        writeLog(infoLog, &infoSize, info);
        if (errorSizeAt >= 0) values[errorSizeAt] = (void*)(uintptr_t)(errorLog == nullptr ? 0 : errorSize);
        if (infoSizeAt >= 0) values[infoSizeAt] = (void*)(uintptr_t)(infoLog == nullptr ? 0 : infoSize);
        return rc;
    };
    if (out == nullptr || image == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) {
        return rc;
    }
    const unsigned char* b = (const unsigned char*)image;
    if (b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
        return finish(CUDA_ERROR_NO_BINARY_FOR_GPU, "stand-in driver: cubin images are not supported, only PTX", "");
    }
    std::string text((const char*)image);
    std::vector<Entry> entries;
    std::string version;
    std::string target;
    std::string err = readPtx(text, &entries, &version, &target);
    if (!err.empty()) {
        return finish(CUDA_ERROR_INVALID_PTX, "ptxas fatal   : " + err, "");
    }
    double isa = atof(version.c_str());
    if (isa > maxIsa(gDriverVersion) + 1e-9) {
        char msg[200];
        snprintf(msg, sizeof msg, "ptxas application ptx input, line 1; fatal   : Unsupported .version %s; current version is '%.1f'",
                 version.c_str(), maxIsa(gDriverVersion));
        return finish(CUDA_ERROR_UNSUPPORTED_PTX_VERSION, msg, "");
    }
    const Device& d = gDevices[(size_t)c->device];
    size_t u = target.find('_');
    int sm = u == std::string::npos ? 0 : atoi(target.c_str() + u + 1);
    if (sm > d.major * 10 + d.minor) {
        char msg[200];
        snprintf(msg, sizeof msg, "ptxas fatal   : SM version specified by .target (%s) is higher than the device's sm_%d%d",
                 target.c_str(), d.major, d.minor);
        return finish(CUDA_ERROR_INVALID_PTX, msg, "");
    }
    ModelLaunch model = nullptr;
    ModelLaunch modelReduce = nullptr;
    std::string merr = buildHostModel(text, &model, &modelReduce);
    if (!merr.empty()) {
        return finish(CUDA_ERROR_INVALID_PTX, "stand-in driver: " + merr, "");
    }
    Module* m = new Module();
    m->ctx = c;
    m->entries = entries;
    m->model = model;
    m->modelReduce = modelReduce;
    c->modules.push_back(m);
    *out = m;
    return finish(CUDA_SUCCESS, "",
                  "stand-in driver: " + std::to_string(entries.size()) + " entry points of PTX .version " + version + " " +
                      target + " (run by the host build of the kernels)");
}

int deviceAttribute(int attr, const Device& d) {
    switch (attr) {
        case 1: return 1024;          // MAX_THREADS_PER_BLOCK
        case 2: return 1024;          // MAX_BLOCK_DIM_X
        case 3: return 1024;          // MAX_BLOCK_DIM_Y
        case 4: return 64;            // MAX_BLOCK_DIM_Z
        case 5: return 2147483647;    // MAX_GRID_DIM_X
        case 6: return 65535;         // MAX_GRID_DIM_Y
        case 7: return 65535;         // MAX_GRID_DIM_Z
        case 8: return 49152;         // MAX_SHARED_MEMORY_PER_BLOCK
        case 10: return 32;           // WARP_SIZE
        case 12: return 65536;        // MAX_REGISTERS_PER_BLOCK
        case 13: return 1500000;      // CLOCK_RATE (kHz)
        case 16: return d.sms;        // MULTIPROCESSOR_COUNT
        case 39: return d.threadsPerSm;  // MAX_THREADS_PER_MULTIPROCESSOR
        case 75: return d.major;      // COMPUTE_CAPABILITY_MAJOR
        case 76: return d.minor;      // COMPUTE_CAPABILITY_MINOR
        default: return 0;
    }
}

}  // namespace

// ---- exported to the stand-in cuRAND ------------------------------------------------------------------

LV_EXPORT void* lv_standin_current_context(void) {
    std::lock_guard<std::mutex> g(gLock);
    return gInit ? tCurrent : nullptr;
}

LV_EXPORT int lv_standin_context_alive(void* ctx) {
    std::lock_guard<std::mutex> g(gLock);
    return ctx != nullptr && ((Context*)ctx)->alive ? 1 : 0;
}

LV_EXPORT int lv_standin_device_range(unsigned long long ptr, unsigned long long bytes) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) {
        return rc;
    }
    return find(c, ptr, bytes) == nullptr ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

// ---- the driver API -----------------------------------------------------------------------------------

LV_EXPORT int cuInit(unsigned int flags) {
    std::lock_guard<std::mutex> g(gLock);
    if (flags != 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (!gInit) {
        configure();
        if (gInitError != CUDA_SUCCESS) {
            return gInitError;
        }
        gInit = true;
    }
    return CUDA_SUCCESS;
}

LV_EXPORT int cuDriverGetVersion(int* v) {
    if (v == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::lock_guard<std::mutex> g(gLock);
    *v = gInit ? gDriverVersion : parseDriverVersion(getenv("LV_STANDIN_DRIVER_VERSION"), 12080);
    return CUDA_SUCCESS;
}

LV_EXPORT int cuGetErrorName(int error, const char** s) {
    if (s == nullptr) return CUDA_ERROR_INVALID_VALUE;
    for (const NamedError& e : kErrors) {
        if (e.code == error) {
            *s = e.name;
            return CUDA_SUCCESS;
        }
    }
    *s = nullptr;
    return CUDA_ERROR_INVALID_VALUE;
}

LV_EXPORT int cuGetErrorString(int error, const char** s) {
    if (s == nullptr) return CUDA_ERROR_INVALID_VALUE;
    for (const NamedError& e : kErrors) {
        if (e.code == error) {
            *s = e.text;
            return CUDA_SUCCESS;
        }
    }
    *s = nullptr;
    return CUDA_ERROR_INVALID_VALUE;
}

LV_EXPORT int cuDeviceGetCount(int* n) {
    if (n == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    if (!gInit) return CUDA_ERROR_NOT_INITIALIZED;
    *n = (int)gDevices.size();
    return CUDA_SUCCESS;
}

LV_EXPORT int cuDeviceGet(int* dev, int ordinal) {
    if (dev == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    int rc = checkDevice(ordinal);
    if (rc == CUDA_SUCCESS) *dev = ordinal;
    return rc;
}

LV_EXPORT int cuDeviceGetName(char* name, int len, int dev) {
    std::lock_guard<std::mutex> g(gLock);
    int rc = checkDevice(dev);
    if (rc != CUDA_SUCCESS) return rc;
    if (name == nullptr || len < 1) return CUDA_ERROR_INVALID_VALUE;
    snprintf(name, (size_t)len, "%s", gDevices[(size_t)dev].name.c_str());
    return CUDA_SUCCESS;
}

LV_EXPORT int cuDeviceTotalMem_v2(size_t* bytes, int dev) {
    std::lock_guard<std::mutex> g(gLock);
    int rc = checkDevice(dev);
    if (rc != CUDA_SUCCESS) return rc;
    if (bytes == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *bytes = gDevices[(size_t)dev].totalMem;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuDeviceGetAttribute(int* v, int attr, int dev) {
    std::lock_guard<std::mutex> g(gLock);
    int rc = checkDevice(dev);
    if (rc != CUDA_SUCCESS) return rc;
    if (v == nullptr || attr < 1 || attr > 140) return CUDA_ERROR_INVALID_VALUE;
    *v = deviceAttribute(attr, gDevices[(size_t)dev]);
    return CUDA_SUCCESS;
}

LV_EXPORT int cuDeviceComputeCapability(int* major, int* minor, int dev) {
    std::lock_guard<std::mutex> g(gLock);
    int rc = checkDevice(dev);
    if (rc != CUDA_SUCCESS) return rc;
    if (major == nullptr || minor == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *major = gDevices[(size_t)dev].major;
    *minor = gDevices[(size_t)dev].minor;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuCtxCreate_v2(void** ctx, unsigned int flags, int dev) {
    (void)flags;
    if (ctx == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    int rc = checkDevice(dev);
    if (rc != CUDA_SUCCESS) return rc;
    if (gRefuseContext != CUDA_SUCCESS) return gRefuseContext;
    Context* c = new Context();
    c->device = dev;
    gContexts.push_back(c);
    if (tCurrent != nullptr) tStack.push_back(tCurrent);
    tCurrent = c;
    *ctx = c;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuCtxDestroy_v2(void* ctx) {
    std::lock_guard<std::mutex> g(gLock);
    if (!gInit) return CUDA_ERROR_NOT_INITIALIZED;
    Context* c = (Context*)ctx;
    bool known = false;
    for (Context* k : gContexts) known = known || k == c;
    if (!known) return CUDA_ERROR_INVALID_VALUE;
    if (!c->alive) return CUDA_ERROR_INVALID_CONTEXT;
    destroyContext(c);
    if (tCurrent == c) {
        tCurrent = nullptr;
        if (!tStack.empty()) {
            tCurrent = tStack.back();
            tStack.pop_back();
        }
    }
    return CUDA_SUCCESS;
}

LV_EXPORT int cuCtxSetCurrent(void* ctx) {
    std::lock_guard<std::mutex> g(gLock);
    if (!gInit) return CUDA_ERROR_NOT_INITIALIZED;
    Context* c = (Context*)ctx;
    if (c != nullptr) {
        bool known = false;
        for (Context* k : gContexts) known = known || k == c;
        if (!known) return CUDA_ERROR_INVALID_CONTEXT;
        if (!c->alive) return CUDA_ERROR_CONTEXT_IS_DESTROYED;
    }
    tCurrent = c;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuCtxGetCurrent(void** ctx) {
    if (ctx == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    if (!gInit) return CUDA_ERROR_NOT_INITIALIZED;
    *ctx = tCurrent;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuCtxPushCurrent_v2(void* ctx) {
    std::lock_guard<std::mutex> g(gLock);
    if (!gInit) return CUDA_ERROR_NOT_INITIALIZED;
    Context* c = (Context*)ctx;
    if (c == nullptr || !c->alive) return CUDA_ERROR_INVALID_CONTEXT;
    if (tCurrent != nullptr) tStack.push_back(tCurrent);
    tCurrent = c;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuCtxPopCurrent_v2(void** ctx) {
    std::lock_guard<std::mutex> g(gLock);
    if (!gInit) return CUDA_ERROR_NOT_INITIALIZED;
    if (tCurrent == nullptr) return CUDA_ERROR_INVALID_CONTEXT;
    if (ctx != nullptr) *ctx = tCurrent;
    tCurrent = nullptr;
    if (!tStack.empty()) {
        tCurrent = tStack.back();
        tStack.pop_back();
    }
    return CUDA_SUCCESS;
}

LV_EXPORT int cuCtxGetDevice(int* dev) {
    if (dev == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    *dev = c->device;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuCtxSynchronize(void) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);  // launches on the default stream run inside cuLaunchKernel; a sticky error shows here
    if (rc != CUDA_SUCCESS) return rc;
    return drainAll(c);
}

LV_EXPORT int cuMemGetInfo_v2(size_t* free, size_t* total) {
    if (free == nullptr || total == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    const Device& d = gDevices[(size_t)c->device];
    *total = d.totalMem;
    *free = d.totalMem - d.used;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemAlloc_v2(unsigned long long* dptr, size_t bytes) {
    if (dptr == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    if (bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    gAllocCalls++;
    if (gAllocCalls == gFailAlloc) return CUDA_ERROR_OUT_OF_MEMORY;
    // Charged in 2 MiB pages above 1 MiB, else in 512-byte units (the driver's granularity is of this kind).
    unsigned long long unit = bytes > (1u << 20) ? (2ull << 20) : 512ull;
    unsigned long long accounted = (bytes + unit - 1) / unit * unit;
    Device& d = gDevices[(size_t)c->device];
    if (accounted > d.totalMem - d.used) return CUDA_ERROR_OUT_OF_MEMORY;
    // 16-byte aligned start, the end at (or within 15 bytes of) a PROT_NONE guard page.
    size_t span = (bytes + 15) / 16 * 16;
    size_t pages = (span + kPage - 1) / kPage;
    size_t mapBytes = (pages + 1) * kPage;
    void* map = mmap(nullptr, mapBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) return CUDA_ERROR_OUT_OF_MEMORY;
    unsigned char* guard = (unsigned char*)map + pages * kPage;
    mprotect(guard, kPage, PROT_NONE);
    unsigned char* start = guard - span;
    memset(start, 0xFF, bytes);
    Allocation a{(unsigned long long)(uintptr_t)start, bytes, map, mapBytes, accounted};
    c->allocations[a.ptr] = a;
    d.used += accounted;
    if (d.used > d.peak) d.peak = d.used;
    *dptr = a.ptr;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemFree_v2(unsigned long long dptr) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    rc = drainAll(c);  // synchronous: waits for the streams' work first
    if (rc != CUDA_SUCCESS) return rc;
    auto it = c->allocations.find(dptr);
    if (it == c->allocations.end()) return CUDA_ERROR_INVALID_VALUE;
    freeAllocation(c, it->second);
    c->allocations.erase(it);
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemcpyHtoD_v2(unsigned long long dst, const void* src, size_t bytes) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    rc = drainAll(c);  // synchronous: waits for the streams' work first
    if (rc != CUDA_SUCCESS) return rc;
    if (bytes == 0) return CUDA_SUCCESS;
    if (src == nullptr || find(c, dst, bytes) == nullptr) return CUDA_ERROR_INVALID_VALUE;
    memcpy((void*)(uintptr_t)dst, src, bytes);
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemcpyDtoH_v2(void* dst, unsigned long long src, size_t bytes) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    rc = drainAll(c);  // synchronous: waits for the streams' work first
    if (rc != CUDA_SUCCESS) return rc;
    if (bytes == 0) return CUDA_SUCCESS;
    if (dst == nullptr || find(c, src, bytes) == nullptr) return CUDA_ERROR_INVALID_VALUE;
    memcpy(dst, (const void*)(uintptr_t)src, bytes);
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemcpyDtoD_v2(unsigned long long dst, unsigned long long src, size_t bytes) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    rc = drainAll(c);  // synchronous: waits for the streams' work first
    if (rc != CUDA_SUCCESS) return rc;
    if (bytes == 0) return CUDA_SUCCESS;
    if (find(c, src, bytes) == nullptr || find(c, dst, bytes) == nullptr) return CUDA_ERROR_INVALID_VALUE;
    memmove((void*)(uintptr_t)dst, (const void*)(uintptr_t)src, bytes);
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemsetD8_v2(unsigned long long dst, unsigned char value, size_t n) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    rc = drainAll(c);  // synchronous: waits for the streams' work first
    if (rc != CUDA_SUCCESS) return rc;
    if (n == 0) return CUDA_SUCCESS;
    if (find(c, dst, n) == nullptr) return CUDA_ERROR_INVALID_VALUE;
    memset((void*)(uintptr_t)dst, value, n);
    return CUDA_SUCCESS;
}

LV_EXPORT int cuModuleLoadDataEx(void** module, const void* image, unsigned int numOptions, int* options,
                                 void** optionValues) {
    return loadModule(module, image, numOptions, options, optionValues);
}

LV_EXPORT int cuModuleLoadData(void** module, const void* image) {
    return loadModule(module, image, 0, nullptr, nullptr);
}

LV_EXPORT int cuModuleUnload(void* module) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    Module* m = (Module*)module;
    for (size_t i = 0; i < c->modules.size(); i++) {
        if (c->modules[i] == m) {
            m->alive = false;
            c->modules.erase(c->modules.begin() + (long)i);
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_HANDLE;
}

LV_EXPORT int cuModuleGetFunction(void** fn, void* module, const char* name) {
    if (fn == nullptr || name == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    Module* m = (Module*)module;
    bool mine = false;
    for (Module* k : c->modules) mine = mine || k == m;
    if (!mine || !m->alive) return CUDA_ERROR_INVALID_HANDLE;
    for (const Entry& e : m->entries) {
        if (e.name == name) {
            Function* f = new Function{m, &e};
            gFunctions.push_back(f);
            *fn = f;
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_NOT_FOUND;
}

namespace {

// Runs a grid of a built-in entry point (the kernel ABI, args unpacked at its offsets) or of the record
// reduction: contiguous block ranges on up to gThreads host threads (each particle, and each particle
// block, belongs to one (block, thread), so the ranges are independent). Takes no lock.
int runGrid(const std::string& name, bool reduce, const std::vector<unsigned char>& a, int gx, int bx) {
    const unsigned char* args = a.data();
    auto u64 = [&](size_t o) { unsigned long long v; memcpy(&v, args + o, 8); return v; };
    auto i32 = [&](size_t o) { int v; memcpy(&v, args + o, 4); return v; };
    auto f32 = [&](size_t o) { float v; memcpy(&v, args + o, 4); return v; };
    std::function<int(int, int)> run;
    if (reduce) {
        // Offsets: state 0, out 8, count 16, stride 20, d 24, withLoss 28, rp 32.
        run = [&](int first, int end) {
            return lv_emu_reduce_blocks(gx, bx, first, end, (const float*)(uintptr_t)u64(0), (double*)(uintptr_t)u64(8),
                                        i32(16), i32(20), i32(24), i32(28), (const double*)(uintptr_t)u64(32));
        };
    } else {
        run = [&](int first, int end) {
            return lv_emu_launch_blocks(name.c_str(), gx, bx, first, end, (float*)(uintptr_t)u64(0),
                                        (double*)(uintptr_t)u64(8), i32(16), i32(20), (long long)u64(24),
                                        (long long)u64(32), i32(40), (long long)u64(48), (unsigned int)i32(56),
                                        (unsigned int)i32(60), f32(64), f32(68), (const int*)(uintptr_t)u64(72),
                                        (const float*)(uintptr_t)u64(80), (const float*)(uintptr_t)u64(88),
                                        (const float*)(uintptr_t)u64(96));
        };
    }
    int t = gThreads < gx ? gThreads : gx;
    std::vector<int> rcs((size_t)t, 0);
    std::vector<std::thread> workers;
    for (int i = 1; i < t; i++) {
        workers.emplace_back([&, i]() { rcs[(size_t)i] = run((int)((long long)gx * i / t), (int)((long long)gx * (i + 1) / t)); });
    }
    rcs[0] = run(0, (int)((long long)gx / t));
    for (std::thread& w : workers) w.join();
    int r = 0;
    for (int v : rcs) r = v != 0 ? v : r;
    if (r == 2 && !reduce) return CUDA_ERROR_NOT_SUPPORTED;  // an entry the host build does not have
    return r == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

// The parameters of a launch copied out of kernelParams at their PTX sizes and aligned offsets (as a
// driver copies them when the launch is enqueued).
std::vector<unsigned char> packParams(const int* sizes, size_t n, void** kernelParams) {
    std::vector<unsigned char> args(16 * 8, 0);
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        off = (off + (size_t)sizes[i] - 1) / (size_t)sizes[i] * (size_t)sizes[i];
        memcpy(args.data() + off, kernelParams[i], (size_t)sizes[i]);
        off += (size_t)sizes[i];
    }
    return args;
}

// Whether a pointer parameter lies outside every live allocation (null allowed when nullOk).
bool badPointers(Context* c, const std::vector<unsigned char>& args, const int* sizes, const bool* isPtr, size_t n,
                 bool nullOk) {
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        off = (off + (size_t)sizes[i] - 1) / (size_t)sizes[i] * (size_t)sizes[i];
        if (isPtr[i]) {
            unsigned long long p;
            memcpy(&p, args.data() + off, 8);
            if (p == 0 ? !nullOk : find(c, p, 1) == nullptr) return true;
        }
        off += (size_t)sizes[i];
    }
    return false;
}

// The first launch of an entry that needs more local memory per thread than any before reserves it for
// every thread the device can hold resident (bytes x SMs x threads per SM), as a driver does; it fails
// with CUDA_ERROR_OUT_OF_MEMORY when that does not fit in the free memory.
int reserveLocal(Context* c, const Entry& e) {
    if (e.localBytes <= c->localPerThread) return CUDA_SUCCESS;
    Device& d = gDevices[(size_t)c->device];
    unsigned long long need = (unsigned long long)e.localBytes * (unsigned long long)d.sms * (unsigned long long)d.threadsPerSm;
    unsigned long long extra = need - c->localReserved;
    if (extra > d.totalMem - d.used) return CUDA_ERROR_OUT_OF_MEMORY;
    d.used += extra;
    if (d.used > d.peak) d.peak = d.used;
    c->localReserved = need;
    c->localPerThread = e.localBytes;
    return CUDA_SUCCESS;
}

}  // namespace

LV_EXPORT int cuLaunchKernel(void* fn, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                             unsigned int by, unsigned int bz, unsigned int sharedMem, void* stream,
                             void** kernelParams, void** extra) {
    std::vector<unsigned char> args;
    std::string name;
    ModelLaunch model = nullptr;
    bool reduce = false;
    {
        std::lock_guard<std::mutex> g(gLock);
        Context* c = nullptr;
        int rc = current(&c);
        if (rc != CUDA_SUCCESS) return rc;
        Function* f = (Function*)fn;
        bool known = false;
        for (Function* k : gFunctions) known = known || k == f;
        if (!known || !f->module->alive) return CUDA_ERROR_INVALID_HANDLE;
        if (f->module->ctx != c) return CUDA_ERROR_INVALID_HANDLE;  // a function of another context
        if (extra != nullptr) return CUDA_ERROR_NOT_SUPPORTED;
        Stream* st = streamOf(c, stream, &rc);
        if (rc != CUDA_SUCCESS) return rc;
        const Entry& e = *f->entry;
        if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || gx > 2147483647u || gy > 65535u ||
            gz > 65535u || bx > 1024u || by > 1024u || bz > 64u || sharedMem > 49152u) {
            return CUDA_ERROR_INVALID_VALUE;
        }
        if ((unsigned long long)bx * by * bz > (unsigned long long)e.maxThreads) {
            return CUDA_ERROR_INVALID_VALUE;
        }
        if (gy != 1 || gz != 1 || by != 1 || bz != 1) {
            return CUDA_ERROR_NOT_SUPPORTED;  // the kernels use x only; the host build runs 1-D grids
        }
        if (!e.paramSizes.empty() && kernelParams == nullptr) return CUDA_ERROR_INVALID_VALUE;
        bool isModel = f->module->model != nullptr && (e.name == "lvu_advance" || e.name == "lvu_reduce");
        if (isModel && st != nullptr) {
            return CUDA_ERROR_NOT_SUPPORTED;  // a user model's host build takes kernelParams as given: default stream only
        }
        if (!isModel) {
            if (e.name == kReduceEntry) {
                if (e.paramSizes.size() != 7) return CUDA_ERROR_NOT_SUPPORTED;
                for (size_t i = 0; i < 7; i++) {
                    if (e.paramSizes[i] != kReduceSizes[i]) return CUDA_ERROR_NOT_SUPPORTED;
                }
                args = packParams(kReduceSizes, 7, kernelParams);
                reduce = true;
            } else {
                if (e.paramSizes.size() != 16) return CUDA_ERROR_NOT_SUPPORTED;
                for (size_t i = 0; i < 16; i++) {
                    if (e.paramSizes[i] != kAbiSizes[i]) return CUDA_ERROR_NOT_SUPPORTED;  // not the host build's ABI
                }
                args = packParams(kAbiSizes, 16, kernelParams);
            }
        }
        rc = reserveLocal(c, e);
        if (rc != CUDA_SUCCESS) return rc;
        gLaunches++;
        // A pointer argument outside every live allocation of the context faults, as it would on the device;
        // the fault is asynchronous: the error shows at the next call.
        bool fault = gLaunches == gFaultLaunch ||
                     (!isModel && (reduce ? badPointers(c, args, kReduceSizes, kReducePointer, 7, false)
                                          : badPointers(c, args, kAbiSizes, kAbiPointer, 16, true)));
        if (fault) {
            c->sticky = CUDA_ERROR_ILLEGAL_ADDRESS;
            return CUDA_SUCCESS;
        }
        name = e.name;
        if (st != nullptr) {
            // Queued: runs when the stream is synchronised (the parameters were copied above).
            int grid = (int)gx;
            int block = (int)bx;
            st->pending.push_back([name, reduce, args, grid, block]() { return runGrid(name, reduce, args, grid, block); });
            gAsyncOps++;
            return CUDA_SUCCESS;
        }
        // The legacy default stream waits for the work of every other stream first.
        rc = drainAll(c);
        if (rc != CUDA_SUCCESS) return rc;
        if (isModel) {
            model = e.name == "lvu_reduce" ? f->module->modelReduce : f->module->model;
        }
    }
    if (model != nullptr) {
        return model((int)gx, (int)bx, kernelParams) == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
    }
    return runGrid(name, reduce, args, (int)gx, (int)bx);
}

// ---- streams, pinned host memory, asynchronous copies, function attributes ----------------------------

LV_EXPORT int cuStreamCreate(void** stream, unsigned int flags) {
    if (stream == nullptr || flags > 1) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    Stream* st = new Stream();
    st->ctx = c;
    gStreams.push_back(st);
    *stream = st;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuStreamSynchronize(void* stream) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    Stream* st = streamOf(c, stream, &rc);
    if (rc != CUDA_SUCCESS) return rc;
    return st == nullptr ? drainAll(c) : drain(st);
}

LV_EXPORT int cuStreamDestroy_v2(void* stream) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    Stream* st = streamOf(c, stream, &rc);
    if (rc != CUDA_SUCCESS || st == nullptr) return rc != CUDA_SUCCESS ? rc : CUDA_ERROR_INVALID_HANDLE;
    rc = drain(st);  // the queued work still completes
    st->alive = false;
    return rc;
}

LV_EXPORT int cuMemHostAlloc(void** pp, size_t bytes, unsigned int flags) {
    if (pp == nullptr || bytes == 0 || flags > 0xF) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return CUDA_ERROR_OUT_OF_MEMORY;
    memset(p, 0xFF, bytes);  // NaN as float and double: a result read before its copy ran shows
    gPinned[(uintptr_t)p] = Pinned{p, bytes};
    *pp = p;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemAllocHost_v2(void** pp, size_t bytes) {
    return cuMemHostAlloc(pp, bytes, 0);
}

LV_EXPORT int cuMemFreeHost(void* p) {
    std::lock_guard<std::mutex> g(gLock);
    if (!gInit) return CUDA_ERROR_NOT_INITIALIZED;
    auto it = gPinned.find((uintptr_t)p);
    if (it == gPinned.end()) return CUDA_ERROR_INVALID_VALUE;
    Context* c = nullptr;
    if (current(&c) == CUDA_SUCCESS) {
        drainAll(c);  // as the driver, freeing pinned memory waits for the work that may use it
    }
    munmap(it->second.ptr, it->second.bytes);
    gPinned.erase(it);
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemcpyHtoDAsync_v2(unsigned long long dst, const void* src, size_t bytes, void* stream) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    Stream* st = streamOf(c, stream, &rc);
    if (rc != CUDA_SUCCESS) return rc;
    if (bytes == 0) return CUDA_SUCCESS;
    if (src == nullptr || find(c, dst, bytes) == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (st == nullptr) {
        rc = drainAll(c);
        if (rc != CUDA_SUCCESS) return rc;
        memcpy((void*)(uintptr_t)dst, src, bytes);
        return CUDA_SUCCESS;
    }
    Context* ctx = c;
    if (pinned(src, bytes)) {
        // From pinned memory: the bytes are read when the copy runs, in stream order.
        st->pending.push_back([ctx, dst, src, bytes]() {
            if (find(ctx, dst, bytes) == nullptr) return (int)CUDA_ERROR_ILLEGAL_ADDRESS;
            memcpy((void*)(uintptr_t)dst, src, bytes);
            return (int)CUDA_SUCCESS;
        });
    } else {
        // From pageable memory: staged now (the caller may reuse its memory on return), written in stream order.
        std::vector<unsigned char> staged((const unsigned char*)src, (const unsigned char*)src + bytes);
        st->pending.push_back([ctx, dst, staged, bytes]() {
            if (find(ctx, dst, bytes) == nullptr) return (int)CUDA_ERROR_ILLEGAL_ADDRESS;
            memcpy((void*)(uintptr_t)dst, staged.data(), bytes);
            return (int)CUDA_SUCCESS;
        });
    }
    gAsyncOps++;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuMemcpyDtoHAsync_v2(void* dst, unsigned long long src, size_t bytes, void* stream) {
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    Stream* st = streamOf(c, stream, &rc);
    if (rc != CUDA_SUCCESS) return rc;
    if (bytes == 0) return CUDA_SUCCESS;
    if (dst == nullptr || find(c, src, bytes) == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (st == nullptr || !pinned(dst, bytes)) {
        // The legacy stream, or pageable memory: the copy is synchronous (after the stream's earlier work).
        rc = st == nullptr ? drainAll(c) : drain(st);
        if (rc != CUDA_SUCCESS) return rc;
        memcpy(dst, (const void*)(uintptr_t)src, bytes);
        return CUDA_SUCCESS;
    }
    Context* ctx = c;
    st->pending.push_back([ctx, dst, src, bytes]() {
        if (find(ctx, src, bytes) == nullptr) return (int)CUDA_ERROR_ILLEGAL_ADDRESS;
        memcpy(dst, (const void*)(uintptr_t)src, bytes);
        return (int)CUDA_SUCCESS;
    });
    gAsyncOps++;
    return CUDA_SUCCESS;
}

LV_EXPORT int cuFuncGetAttribute(int* v, int attr, void* fn) {
    if (v == nullptr) return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard<std::mutex> g(gLock);
    Context* c = nullptr;
    int rc = current(&c);
    if (rc != CUDA_SUCCESS) return rc;
    Function* f = (Function*)fn;
    bool known = false;
    for (Function* k : gFunctions) known = known || k == f;
    if (!known || !f->module->alive) return CUDA_ERROR_INVALID_HANDLE;
    switch (attr) {
        case 0: *v = f->entry->maxThreads; return CUDA_SUCCESS;   // MAX_THREADS_PER_BLOCK
        case 1: *v = 0; return CUDA_SUCCESS;                      // SHARED_SIZE_BYTES
        case 2: *v = 0; return CUDA_SUCCESS;                      // CONST_SIZE_BYTES
        case 3: *v = f->entry->localBytes; return CUDA_SUCCESS;   // LOCAL_SIZE_BYTES: the entry's .local depot
        case 4: *v = 64; return CUDA_SUCCESS;                     // NUM_REGS (the kernels' cap)
        default: return CUDA_ERROR_INVALID_VALUE;
    }
}
