package org.langevin.engine.cuda;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.langevin.model.lang.CModels;
import org.langevin.model.lang.Model;

/**
 * A user model's CUDA kernel compiled at run time: the model's functions printed as CUDA C
 * ({@link CModels}) with the packaged kernels/lv_model_kernel.cuh, compiled to PTX under the kernels'
 * floating-point rules ({@code -fmad=false -ftz=false -prec-div=true -prec-sqrt=true}, compute_75) by
 * NVRTC when a libnvrtc of CUDA 11.2 or newer is found by its usual sonames, else by nvcc from the PATH
 * or {@code $CUDA_HOME/bin} (with {@code NVCC_APPEND_FLAGS} and {@code NVCC_PREPEND_FLAGS} removed from
 * its environment, so nothing can turn flush-to-zero or contraction on). The PTX is checked (no
 * {@code .ftz}, {@code .approx} or fused float instruction, an {@code lvu_advance} entry point) and
 * cached in {@code ~/.cache/langevin/ptx-<hash>/} (the emulated device's cache) by a hash of the sources, the options and the
 * compiler, so a model is compiled once per machine. Thread-safe; compiled PTX is also kept per JVM.
 */
public final class ModelPtx {
    /** The entry point of a model's kernel. */
    public static final String ENTRY = "lvu_advance";
    /** The record reduction of a model's kernel (kernels/lv_model_kernel.cuh). */
    public static final String REDUCE_ENTRY = "lvu_reduce";
    /** The kernel sources a model's kernel includes, in the jar (kernels/build.sh puts them there). */
    private static final String SOURCES = "kernels/src/";
    private static final List<String> HEADERS = List.of("lv_common.cuh", "lv_rng.cuh", "lv_loss.cuh", "lv_dynamics.cuh",
            "lv_model_math.cuh", "lv_reduce.cuh", "lv_model_kernel.cuh");
    /** The floating-point contract, spelled as both compilers take it. */
    static final List<String> NVCC_FLAGS = List.of("-std=c++17", "--ptx", "-arch=compute_75", "-fmad=false",
            "-ftz=false", "-prec-div=true", "-prec-sqrt=true");
    static final List<String> NVRTC_OPTIONS = List.of("--std=c++17", "--gpu-architecture=compute_75", "--fmad=false",
            "--ftz=false", "--prec-div=true", "--prec-sqrt=true");
    /** libnvrtc sonames tried, newest first (CUDA 11.2 began the major-version soname). */
    private static final List<String> NVRTC_NAMES = List.of("nvrtc", "libnvrtc.so.13", "libnvrtc.so.12",
            "libnvrtc.so.11.2");
    private static final long COMPILE_TIMEOUT_SECONDS = 300;
    private static final Pattern FUSED = Pattern.compile("\\b(fma|mad)(\\.[a-z]+)*\\.f(16|32|64)\\b");
    private static final Map<String, String> COMPILED = new ConcurrentHashMap<>();

    private ModelPtx() {
    }

    /** The NVRTC calls used (nvrtc.h). */
    interface Nvrtc extends Library {
        int nvrtcVersion(IntByReference major, IntByReference minor);

        int nvrtcCreateProgram(PointerByReference prog, String src, String name, int numHeaders, String[] headers,
                               String[] includeNames);

        int nvrtcCompileProgram(Pointer prog, int numOptions, String[] options);

        int nvrtcGetPTXSize(Pointer prog, LongByReference size);

        int nvrtcGetPTX(Pointer prog, byte[] ptx);

        int nvrtcGetProgramLogSize(Pointer prog, LongByReference size);

        int nvrtcGetProgramLog(Pointer prog, byte[] log);

        int nvrtcDestroyProgram(PointerByReference prog);
    }

    /** A compiler for model kernels found on this machine. */
    sealed interface Compiler permits NvrtcCompiler, NvccCompiler {
        /** @return e.g. "NVRTC 12.4 (libnvrtc.so.12)" or "nvcc /usr/local/cuda/bin/nvcc (release 13.0)" */
        String describe();

        /** @return the PTX of the translation unit {@code main} with the given headers */
        String compile(String main, Map<String, String> headers);
    }

    /** NVRTC loaded through JNA. */
    record NvrtcCompiler(Nvrtc lib, String soname, String version) implements Compiler {
        @Override
        public String describe() {
            return "NVRTC " + version + " (" + soname + ")";
        }

        @Override
        public String compile(String main, Map<String, String> headers) {
            PointerByReference prog = new PointerByReference();
            String[] names = headers.keySet().toArray(new String[0]);
            String[] texts = headers.values().toArray(new String[0]);
            check(lib.nvrtcCreateProgram(prog, main, "lvu_model.cu", names.length, texts, names), "nvrtcCreateProgram", null);
            try {
                int rc = lib.nvrtcCompileProgram(prog.getValue(), NVRTC_OPTIONS.size(), NVRTC_OPTIONS.toArray(new String[0]));
                if (rc != 0) {
                    check(rc, "nvrtcCompileProgram", log(prog.getValue()));
                }
                LongByReference size = new LongByReference();
                check(lib.nvrtcGetPTXSize(prog.getValue(), size), "nvrtcGetPTXSize", null);
                byte[] ptx = new byte[(int) size.getValue()];
                check(lib.nvrtcGetPTX(prog.getValue(), ptx), "nvrtcGetPTX", null);
                int len = ptx.length > 0 && ptx[ptx.length - 1] == 0 ? ptx.length - 1 : ptx.length;
                return new String(ptx, 0, len, StandardCharsets.US_ASCII);
            } finally {
                lib.nvrtcDestroyProgram(prog);
            }
        }

        private String log(Pointer prog) {
            LongByReference size = new LongByReference();
            if (lib.nvrtcGetProgramLogSize(prog, size) != 0 || size.getValue() <= 1) {
                return "";
            }
            byte[] b = new byte[(int) size.getValue()];
            lib.nvrtcGetProgramLog(prog, b);
            return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
        }

        private static void check(int rc, String call, String log) {
            if (rc != 0) {
                throw new IllegalStateException(call + " failed with NVRTC error " + rc
                        + (log == null || log.isBlank() ? "" : ":\n" + log.strip()));
            }
        }
    }

    /** nvcc run as a process. */
    record NvccCompiler(Path nvcc, String release) implements Compiler {
        @Override
        public String describe() {
            return "nvcc " + nvcc + " (release " + release + ")";
        }

        @Override
        public String compile(String main, Map<String, String> headers) {
            Path work = null;
            try {
                work = Files.createTempDirectory("langevin-ptx-");
                for (var h : headers.entrySet()) {
                    Files.writeString(work.resolve(h.getKey()), h.getValue(), StandardCharsets.UTF_8);
                }
                Files.writeString(work.resolve("lvu_model.cu"), main, StandardCharsets.UTF_8);
                List<String> cmd = new ArrayList<>();
                cmd.add(nvcc.toString());
                cmd.addAll(NVCC_FLAGS);
                cmd.addAll(List.of("-I", work.toString(), "-o", work.resolve("lvu_model.ptx").toString(),
                        work.resolve("lvu_model.cu").toString()));
                String out = run(cmd, work);
                Path ptx = work.resolve("lvu_model.ptx");
                if (!Files.isRegularFile(ptx)) {
                    throw new IllegalStateException(String.join(" ", cmd) + " wrote no PTX:\n" + out);
                }
                return Files.readString(ptx, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compile a model kernel with " + nvcc + ": " + e.getMessage(), e);
            } finally {
                deleteTree(work);
            }
        }
    }

    /**
     * @param m the model; its SHA-256 keys the per-JVM map and the on-disk cache
     * @return the PTX of the model's kernel, compiled on first use (or read from the cache)
     * @throws IllegalStateException naming the missing compiler and the fix, or the compiler's error
     */
    public static String compile(Model m) {
        return COMPILED.computeIfAbsent(m.sha256(), h -> compileUncached(m, cacheRoot()));
    }

    /** Compiles (or reads from {@code cacheRoot}) without the per-JVM map. */
    static String compileUncached(Model m, Path cacheRoot) {
        Compiler c = findCompiler();
        Map<String, String> headers = headers(m);
        String main = translationUnit();
        String key = key(c, headers, main);
        Path file = cacheRoot.resolve("ptx-" + key).resolve("lvu_model.ptx");
        try {
            if (Files.isRegularFile(file)) {
                String cached = Files.readString(file, StandardCharsets.US_ASCII);
                verify(cached, c);
                return cached;
            }
            String ptx = lowerIsa(c.compile(main, headers));
            verify(ptx, c);
            ptx = ptx + trailer(m, headers.get("lvu_model.h"));
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("lvu_model.ptx." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, ptx, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return ptx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the model kernel cache " + file.getParent() + ": " + e.getMessage(), e);
        }
    }

    /** ISA versions a model kernel may declare, oldest first (the kernels use nothing newer than 7.0). */
    private static final List<String> ISA_CANDIDATES = List.of("7.0", "7.8", "8.0");
    private static final Pattern ISA = Pattern.compile("(?m)^\\.version (\\d+\\.\\d+)$");

    /**
     * Declares the lowest PTX ISA version under which ptxas accepts the kernel, as kernels/build.sh does
     * for the packaged PTX: a compiler writes its own release's version (9.0 for CUDA 13), which a driver
     * of an older CUDA refuses although the instructions are those of ISA 7.0. Without ptxas (next to nvcc,
     * on the PATH or in $CUDA_HOME/bin) the version is left as written.
     */
    static String lowerIsa(String ptx) {
        var m = ISA.matcher(ptx);
        Path ptxas = findTool("ptxas");
        if (!m.find() || ptxas == null) {
            return ptx;
        }
        String have = m.group(1);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("langevin-isa-");
            for (String v : ISA_CANDIDATES) {
                if (compareVersions(v, have) >= 0) {
                    break;
                }
                String lowered = ptx.substring(0, m.start(1)) + v + ptx.substring(m.end(1));
                Path f = dir.resolve("k" + v + ".ptx");
                Files.writeString(f, lowered, StandardCharsets.US_ASCII);
                try {
                    run(List.of(ptxas.toString(), "-arch=sm_75", "-o", dir.resolve("k.cubin").toString(), f.toString()), dir);
                    return lowered;
                } catch (IllegalStateException rejected) {
                    // ptxas refused this version: try the next
                }
            }
            return ptx;
        } catch (IOException e) {
            return ptx;
        } finally {
            deleteTree(dir);
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    /** @return the cache directory of compiled model kernels, the emulated device's ($XDG_CACHE_HOME/langevin) */
    static Path cacheRoot() {
        return org.langevin.engine.emulated.EmulatorBinary.cacheRoot();
    }

    /**
     * Rejects PTX that breaks the floating-point contract or lacks the entry point.
     *
     * @throws IllegalStateException naming the instruction found
     */
    static void verify(String ptx, Compiler c) {
        if (!ptx.contains(".entry " + ENTRY)) {
            throw new IllegalStateException(c.describe() + " produced PTX without the " + ENTRY + " entry point");
        }
        for (String bad : new String[] {".ftz", ".approx"}) {
            if (ptx.contains(bad)) {
                throw new IllegalStateException(c.describe() + " produced PTX with '" + bad + "' instructions, which break"
                        + " the bit-identity of the backends (is fast math forced by the environment?)");
            }
        }
        var fused = FUSED.matcher(ptx);
        if (fused.find()) {
            throw new IllegalStateException(c.describe() + " produced PTX with a fused float instruction ('"
                    + fused.group() + "'), which breaks the bit-identity of the backends");
        }
    }

    /**
     * The model the kernel was compiled from, as comment lines after the PTX (drivers ignore comments): the
     * model's hash and its functions as C++ ({@code lvu_model.h}), so that a PTX file in the cache says what
     * it holds, and a host build of the same kernel can be made from it (the stand-in CUDA driver of the
     * tests does that: docs/architecture.md).
     */
    static String trailer(Model m, String header) {
        StringBuilder b = new StringBuilder("\n// langevin: the user model of this kernel, sha256 ").append(m.sha256())
                .append(", as the C++ of lvu_model.h\n//@lvu_model.h\n");
        for (String line : header.split("\n", -1)) {
            b.append("//|").append(line).append('\n');
        }
        return b.append("//@end\n").toString();
    }

    /** @return the model header and the packaged kernel headers, by include name */
    static Map<String, String> headers(Model m) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String name : HEADERS) {
            h.put(name, resource(name));
        }
        h.put("lvu_model.h", CModels.source(m, "lvu"));
        return h;
    }

    static String translationUnit() {
        return "// Generated by langevin: a user model's CUDA kernel.\n#include \"lvu_model.h\"\n#include \"lv_model_kernel.cuh\"\n";
    }

    private static String key(Compiler c, Map<String, String> headers, String main) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (var e : headers.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            sha.update(main.getBytes(StandardCharsets.UTF_8));
            sha.update(String.join(" ", c instanceof NvrtcCompiler ? NVRTC_OPTIONS : NVCC_FLAGS).getBytes(StandardCharsets.UTF_8));
            sha.update(c.describe().getBytes(StandardCharsets.UTF_8));
            Path ptxas = findTool("ptxas");
            sha.update(("isa " + String.join(",", ISA_CANDIDATES) + " ptxas " + ptxas).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ModelPtx.class.getClassLoader().getResourceAsStream(SOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the kernel source " + SOURCES + name + " is not in this jar (build it with"
                        + " kernels/build.sh, which mvn package runs)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SOURCES + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the compiler to use: NVRTC when a libnvrtc loads, else nvcc
     * @throws IllegalStateException naming both and the fix when neither is found
     */
    static Compiler findCompiler() {
        // Found once per JVM for each -Dlangevin.nvrtc value (the search loads libraries and runs nvcc --version).
        String chosen = System.getProperty("langevin.nvrtc");
        Object found = FOUND.computeIfAbsent(String.valueOf(chosen), k -> {
            try {
                return searchCompiler(chosen);
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        if (found instanceof Compiler c) {
            return c;
        }
        throw new IllegalStateException((String) found);
    }

    /** Compilers (or why there is none) by -Dlangevin.nvrtc value. */
    private static final Map<String, Object> FOUND = new ConcurrentHashMap<>();

    private static Compiler searchCompiler(String chosen) {
        String nvrtcProblem = null;
        if (chosen != null && !chosen.equals("false") && !chosen.isBlank()) {
            // -Dlangevin.nvrtc=/path/to/libnvrtc.so: that library, and nothing else
            NvrtcCompiler c = nvrtcAt(chosen);
            if (c == null) {
                throw new IllegalStateException("-Dlangevin.nvrtc=" + chosen + ": not an NVRTC of CUDA 11.2 or newer that "
                        + "loads (give the path of a libnvrtc.so, or false to use nvcc)");
            }
            return c;
        }
        if (!"false".equals(chosen)) {
            for (String name : NVRTC_NAMES) {
                try {
                    Nvrtc lib = Native.load(name, Nvrtc.class);
                    IntByReference major = new IntByReference();
                    IntByReference minor = new IntByReference();
                    if (lib.nvrtcVersion(major, minor) == 0) {
                        int v = major.getValue() * 100 + minor.getValue();
                        if (v >= 1102) {
                            return new NvrtcCompiler(lib, name, major.getValue() + "." + minor.getValue());
                        }
                        nvrtcProblem = name + " is NVRTC " + major.getValue() + "." + minor.getValue() + ", older than 11.2";
                    }
                } catch (UnsatisfiedLinkError e) {
                    // try the next soname
                }
            }
        }
        Path nvcc = findNvcc();
        if (nvcc != null) {
            return new NvccCompiler(nvcc, nvccRelease(nvcc));
        }
        throw new IllegalStateException("no CUDA compiler for the model's GPU kernel: "
                + (nvrtcProblem != null ? nvrtcProblem : "no libnvrtc (libnvrtc.so.13, .12 or .11.2) on the loader path")
                + " and no nvcc on the PATH or in $CUDA_HOME/bin; install the CUDA toolkit's NVRTC or nvcc (CUDA 11.2 or"
                + " newer), or run the model with --backend cpu");
    }

    /** @return NVRTC from a library name or path, or null when it does not load or is older than 11.2 */
    static NvrtcCompiler nvrtcAt(String nameOrPath) {
        try {
            Nvrtc lib = Native.load(nameOrPath, Nvrtc.class);
            IntByReference major = new IntByReference();
            IntByReference minor = new IntByReference();
            if (lib.nvrtcVersion(major, minor) == 0 && major.getValue() * 100 + minor.getValue() >= 1102) {
                return new NvrtcCompiler(lib, nameOrPath, major.getValue() + "." + minor.getValue());
            }
        } catch (UnsatisfiedLinkError e) {
            // not loadable
        }
        return null;
    }

    /** @return whether this machine has a compiler for model kernels (NVRTC or nvcc) */
    public static boolean canCompile() {
        try {
            findCompiler();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** @return one line for {@code info}: what compiles model kernels for the GPU here */
    public static String describeCompiler() {
        try {
            return findCompiler().describe() + " (kernels are compiled at first use and cached in " + cacheRoot() + ")";
        } catch (IllegalStateException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    static Path findNvcc() {
        return findTool("nvcc");
    }

    /** @return a CUDA tool on the PATH or in $CUDA_HOME/bin, or null */
    static Path findTool(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name);
                }
            }
        }
        String home = System.getenv("CUDA_HOME");
        return home != null && Files.isExecutable(Path.of(home, "bin", name)) ? Path.of(home, "bin", name) : null;
    }

    private static String nvccRelease(Path nvcc) {
        try {
            String out = run(List.of(nvcc.toString(), "--version"), null);
            var m = Pattern.compile("release (\\d+\\.\\d+)").matcher(out);
            return m.find() ? m.group(1) : "unknown";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** Runs a command without the nvcc flag-injecting variables; returns its output, throws on failure. */
    private static String run(List<String> cmd, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().remove("NVCC_APPEND_FLAGS");
            pb.environment().remove("NVCC_PREPEND_FLAGS");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd.get(0) + " did not finish within " + COMPILE_TIMEOUT_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + p.exitValue() + ":\n"
                        + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling a model kernel", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
