// Stand-in NVRTC (libnvrtc.so.13) for the tests: NVRTC's calls as engine/cuda/ModelPtx makes them
// (nvrtcVersion, nvrtcCreateProgram with in-memory headers, nvrtcCompileProgram with NVRTC's option
// spellings, the PTX and the program log, nvrtcDestroyProgram), carried out by nvcc from the PATH: the
// headers and the source are written to a temporary directory and compiled with --ptx under the options
// translated to nvcc's spelling. An option this translation does not know is NVRTC_ERROR_INVALID_OPTION,
// a compile error NVRTC_ERROR_COMPILATION with nvcc's messages as the log. It stands in for an NVIDIA
// library the test machines do not have, so that the JNA binding and the option list are exercised.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#define LV_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

enum { OK = 0, OUT_OF_MEMORY = 1, INVALID_INPUT = 3, INVALID_PROGRAM = 4, INVALID_OPTION = 5, COMPILATION = 6 };

struct Program {
    std::string source;
    std::string name;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string ptx;
    std::string log;
};

bool readFile(const std::string& path, std::string* out) {
    FILE* f = fopen(path.c_str(), "rb");
    if (!f) return false;
    char buf[65536];
    size_t n;
    out->clear();
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
    fclose(f);
    return true;
}

bool writeFile(const std::string& path, const std::string& text) {
    FILE* f = fopen(path.c_str(), "wb");
    if (!f) return false;
    fwrite(text.data(), 1, text.size(), f);
    fclose(f);
    return true;
}

// NVRTC's spelling of an option to nvcc's, or empty when unknown.
std::string translate(const std::string& o) {
    static const char* same[] = {"--fmad=", "--ftz=", "--prec-div=", "--prec-sqrt="};
    if (o.rfind("--std=", 0) == 0) return "-std=" + o.substr(6);
    if (o.rfind("--gpu-architecture=", 0) == 0) return "-arch=" + o.substr(19);
    for (const char* s : same) {
        if (o.rfind(s, 0) == 0) return o.substr(1);
    }
    return "";
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

LV_EXPORT int nvrtcVersion(int* major, int* minor) {
    if (!major || !minor) return INVALID_INPUT;
    *major = 13;
    *minor = 0;
    return OK;
}

LV_EXPORT int nvrtcCreateProgram(void** prog, const char* src, const char* name, int numHeaders,
                                 const char* const* headers, const char* const* includeNames) {
    if (!prog || !src || numHeaders < 0 || (numHeaders > 0 && (!headers || !includeNames))) return INVALID_INPUT;
    Program* p = new Program();
    p->source = src;
    p->name = name ? name : "default_program";
    for (int i = 0; i < numHeaders; i++) {
        if (!headers[i] || !includeNames[i]) {
            delete p;
            return INVALID_INPUT;
        }
        p->headers.emplace_back(includeNames[i], headers[i]);
    }
    *prog = p;
    return OK;
}

LV_EXPORT int nvrtcDestroyProgram(void** prog) {
    if (!prog || !*prog) return INVALID_PROGRAM;
    delete (Program*)*prog;
    *prog = nullptr;
    return OK;
}

LV_EXPORT int nvrtcCompileProgram(void* prog, int numOptions, const char* const* options) {
    Program* p = (Program*)prog;
    if (!p) return INVALID_PROGRAM;
    std::string flags;
    for (int i = 0; i < numOptions; i++) {
        std::string t = translate(options[i] ? options[i] : "");
        if (t.empty()) {
            p->log = std::string("nvrtc: error: unrecognized option ") + (options[i] ? options[i] : "(null)");
            return INVALID_OPTION;
        }
        flags += " " + quote(t);
    }
    char tmpl[] = "/tmp/langevin-nvrtc-XXXXXX";
    if (!mkdtemp(tmpl)) return OUT_OF_MEMORY;
    std::string dir = tmpl;
    for (auto& h : p->headers) {
        if (h.first.find('/') != std::string::npos || !writeFile(dir + "/" + h.first, h.second)) return INVALID_INPUT;
    }
    std::string base = p->name.find('/') == std::string::npos ? p->name : "program.cu";
    writeFile(dir + "/" + base, p->source);
    std::string cmd = "nvcc --ptx" + flags + " -I " + quote(dir) + " -o " + quote(dir + "/out.ptx") + " " +
                      quote(dir + "/" + base) + " > " + quote(dir + "/log") + " 2>&1";
    int rc = system(cmd.c_str());
    readFile(dir + "/log", &p->log);
    bool ok = rc == 0 && readFile(dir + "/out.ptx", &p->ptx);
    std::string rm = "rm -rf " + quote(dir);
    if (system(rm.c_str()) != 0) {
        // a temporary directory left behind is harmless
    }
    return ok ? OK : COMPILATION;
}

LV_EXPORT int nvrtcGetPTXSize(void* prog, size_t* size) {
    Program* p = (Program*)prog;
    if (!p || !size) return INVALID_INPUT;
    *size = p->ptx.size() + 1;
    return OK;
}

LV_EXPORT int nvrtcGetPTX(void* prog, char* ptx) {
    Program* p = (Program*)prog;
    if (!p || !ptx) return INVALID_INPUT;
    memcpy(ptx, p->ptx.c_str(), p->ptx.size() + 1);
    return OK;
}

LV_EXPORT int nvrtcGetProgramLogSize(void* prog, size_t* size) {
    Program* p = (Program*)prog;
    if (!p || !size) return INVALID_INPUT;
    *size = p->log.size() + 1;
    return OK;
}

LV_EXPORT int nvrtcGetProgramLog(void* prog, char* log) {
    Program* p = (Program*)prog;
    if (!p || !log) return INVALID_INPUT;
    memcpy(log, p->log.c_str(), p->log.size() + 1);
    return OK;
}
