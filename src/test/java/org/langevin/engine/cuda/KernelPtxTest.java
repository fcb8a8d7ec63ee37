package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.langevin.engine.device.Kernel;

/** The PTX built by kernels/build.sh has an entry point for exactly the kernels the Java launcher knows. */
class KernelPtxTest {
    /** @return the directory of the nvcc the build uses (PATH, then $CUDA_HOME/bin), or null */
    private static Path nvccDir() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) {
                    return Path.of(dir);
                }
            }
        }
        String home = System.getenv("CUDA_HOME");
        return home != null && Files.isExecutable(Path.of(home, "bin", "nvcc")) ? Path.of(home, "bin") : null;
    }

    private static boolean nvccAvailable() {
        return nvccDir() != null;
    }

    @Test
    void ptxEntriesAreExactlyTheLauncherKernels() {
        Ptx ptx = Ptx.loadPackaged();
        if (nvccAvailable()) {
            assertNotNull(ptx, "nvcc is available but target/classes/" + Ptx.RESOURCE + " is missing");
        }
        assumeTrue(ptx != null, "skipped: no nvcc, so no PTX was built");
        List<String> known = Arrays.stream(Kernel.values()).map(k -> k.entryName).toList();
        List<String> all = new java.util.ArrayList<>(known);
        all.add(CudaModule.REDUCE_ENTRY);
        assertEquals(new TreeSet<>(all), new TreeSet<>(ptx.entries()));
        assertEquals(all.size(), ptx.entries().size(), "an entry point appears twice");
        // The record reduction: one thread per particle block, blocks of the launcher's REDUCE_THREADS.
        assertEquals(1, occurrences(ptx.text(), ".maxntid " + CudaLauncher.REDUCE_THREADS + ", 1, 1"),
                "the record reduction without the launcher's block size as its bound");
        assertEquals(Boolean.TRUE, ptx.isaVersion().matches("\\d+\\.\\d+"), ptx.isaVersion());
        assertEquals(Boolean.TRUE, ptx.text().contains(".target sm_75"), "not built for compute_75");
        // __launch_bounds__(256, 4) on every entry point: the launcher's block size, and the 4 resident
        // blocks per SM its grid assumes (64 registers, 50 % occupancy on sm_90; benchmarks/gpu_roofline.py).
        assertEquals(known.size(), occurrences(ptx.text(), ".maxntid " + CudaLauncher.BLOCK_THREADS + ", 1, 1"),
                "an entry point without the launcher's block size as its bound");
        assertEquals(known.size(), occurrences(ptx.text(), ".minnctapersm " + CudaLauncher.BLOCKS_PER_SM + "\n"),
                "an entry point whose resident-blocks bound is not the launcher's " + CudaLauncher.BLOCKS_PER_SM);
        // -fmad=false: no float multiply-add was contracted, and division and square root are the
        // IEEE-rounded forms (the emulated device and the CPU engine compute the same bits).
        for (String op : new String[] {"fma.rn.f32", "mad.f32", "div.approx.f32", "div.full.f32", "sqrt.approx.f32"}) {
            assertEquals(Boolean.FALSE, ptx.text().contains(op), "the PTX contains " + op);
        }
    }

    /**
     * kernels/build.sh passes -ftz=false -prec-div=true -prec-sqrt=true -fmad=false and no -lineinfo,
     * but nvcc appends $NVCC_APPEND_FLAGS (e.g. -use_fast_math, -lineinfo) to its command line: the
     * packaged PTX itself must have no flush-to-zero, no approximate operation, no fused float
     * multiply-add and no line info (.loc/.file, which crash ptxas 11.8 for sm_90).
     */
    @Test
    void packagedPtxHasNoFlushToZeroApproximationFusionOrLineInfo() {
        Ptx ptx = Ptx.loadPackaged();
        if (nvccAvailable()) {
            assertNotNull(ptx, "nvcc is available but target/classes/" + Ptx.RESOURCE + " is missing");
        }
        assumeTrue(ptx != null, "skipped: no nvcc, so no PTX was built");
        List<String> bad = forbidden(ptx.text());
        assertEquals(List.of(), bad.subList(0, Math.min(bad.size(), 10)), bad.size() + " forbidden lines in "
                + Ptx.RESOURCE + " (was it built with NVCC_APPEND_FLAGS or -lineinfo?), the first 10 shown");
    }

    @Test
    void forbiddenLinesAreFoundAndIntegerMadIsAllowed() {
        String ptx = ".version 7.0\n.target sm_75\n.file 1 \"lv_kernels.cu\"\n{\n"
                + "\tmad.lo.s32 \t%r1, %r2, %r3, %r4;\n"
                + "\tmad.wide.u32 \t%rd1, %r2, 4, %rd2;\n"
                + "\tmul.rn.f32 \t%f1, %f2, %f3; // no fma.rn.f32 here\n"
                + "\tdiv.rn.f32 \t%f1, %f2, %f3;\n"
                + "\t.local .align 16 .b8 \t__local_depot0[16];\n"
                + "\tld.local.f32 \t%f1, [%rd1];\n"
                + "\t.loc\t1 12 3\n"
                + "\tfma.rn.f32 \t%f1, %f2, %f3, %f4;\n"
                + "\tmad.rn.f64 \t%fd1, %fd2, %fd3, %fd4;\n"
                + "\tmad.f32 \t%f1, %f2, %f3, %f4;\n"
                + "\tadd.ftz.f32 \t%f1, %f2, %f3;\n"
                + "\tdiv.approx.ftz.f32 \t%f1, %f2, %f3;\n"
                + "\tsqrt.approx.f32 \t%f1, %f2;\n"
                + "\tex2.approx.f32 \t%f1, %f2;\n"
                + "\t@%p1 fma.rn.f32 \t%f1, %f2, %f3, %f4;\n"
                + "\t@!%p2 rcp.approx.ftz.f64 \t%fd1, %fd2;\n"
                + "\t@%p3 mad.lo.s32 \t%r1, %r2, %r3, %r4;\n"
                + "}\n";
        List<String> bad = forbidden(ptx);
        assertEquals(List.of(".file 1 \"lv_kernels.cu\"", ".loc\t1 12 3", "fma.rn.f32 \t%f1, %f2, %f3, %f4;",
                "mad.rn.f64 \t%fd1, %fd2, %fd3, %fd4;", "mad.f32 \t%f1, %f2, %f3, %f4;", "add.ftz.f32 \t%f1, %f2, %f3;",
                "div.approx.ftz.f32 \t%f1, %f2, %f3;", "sqrt.approx.f32 \t%f1, %f2;", "ex2.approx.f32 \t%f1, %f2;",
                "@%p1 fma.rn.f32 \t%f1, %f2, %f3, %f4;", "@!%p2 rcp.approx.ftz.f64 \t%fd1, %fd2;"), bad);
    }

    /** An instruction whose modifiers include .ftz or .approx. */
    private static final Pattern FTZ_OR_APPROX = Pattern.compile("^[a-z][a-z0-9]*(\\.[a-z0-9_]+)*\\.(ftz|approx)\\b");
    /** A fused multiply-add: every fma, and mad on a float type (integer mad.lo/hi/wide is exact). */
    private static final Pattern FUSED = Pattern.compile("^(fma\\.|mad(\\.[a-z0-9]+)*\\.f(16|32|64)\\b)");
    /** A predicate guard before an instruction. */
    private static final Pattern GUARD = Pattern.compile("^@!?%[A-Za-z0-9_$]+\\s+");
    /** Line information (-lineinfo, -G). */
    private static final Pattern LINE_INFO = Pattern.compile("^\\.(loc|file)\\s");

    /** @return the trimmed lines of {@code ptx} (comments removed) that the floating-point rules forbid */
    static List<String> forbidden(String ptx) {
        List<String> bad = new ArrayList<>();
        for (String raw : ptx.split("\n")) {
            int comment = raw.indexOf("//");
            String line = (comment < 0 ? raw : raw.substring(0, comment)).trim();
            String insn = GUARD.matcher(line).replaceFirst(""); // "@%p1 div.approx.f32 ..." → "div.approx.f32 ..."
            if (FTZ_OR_APPROX.matcher(insn).find() || FUSED.matcher(insn).find() || LINE_INFO.matcher(line).find()) {
                bad.add(line);
            }
        }
        return bad;
    }

    @Test
    void packagedPtxDeclaresIsa70AndPtxasAcceptsIt() throws Exception {
        Ptx ptx = Ptx.loadPackaged();
        Path dir = nvccDir();
        assumeTrue(ptx != null && dir != null && Files.isExecutable(dir.resolve("ptxas")),
                "skipped: no nvcc/ptxas, so no PTX was built");
        // kernels/build.sh declares the lowest ISA version ptxas accepts the kernels under: drivers
        // for CUDA 11.0 and newer load them, whatever nvcc built them
        assertEquals("7.0", ptx.isaVersion(), "the kernels now need a newer PTX ISA (and driver) than 7.0");
        assertEquals("11.0", ptx.minimumCudaRelease());
        Path file = Files.createTempFile("lv-kernels", ".ptx");
        try {
            Files.writeString(file, ptx.text());
            for (String arch : new String[] {"sm_75", "sm_90"}) {
                Process p = new ProcessBuilder(dir.resolve("ptxas").toString(), "-arch=" + arch, "-o", "/dev/null",
                        file.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                assertEquals(0, p.waitFor(), "ptxas -arch=" + arch + " rejected the packaged PTX:\n" + out);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void parsesVersionReleaseAndEntries() {
        Ptx p = Ptx.parse("//\n// Cuda compilation tools, release 12.4, V12.4.131\n//\n\n.version 8.4\n.target sm_75\n"
                + ".visible .entry lv_a(\n.param .u64 x\n)\n{\n}\n.visible .entry lv_b(\n)\n{\n}\n");
        assertEquals("8.4", p.isaVersion());
        assertEquals("12.4", p.cudaRelease());
        assertEquals("12.4", p.minimumCudaRelease());
        assertEquals("11.0", Ptx.parse(".version 7.0\n").minimumCudaRelease());
        assertEquals("13.0", Ptx.parse(".version 9.0\n").minimumCudaRelease());
        assertEquals("unknown", Ptx.parse(".version 9.9\n").minimumCudaRelease(), "an ISA the table lacks");
        assertEquals(List.of("lv_a", "lv_b"), p.entries());
        assertEquals(0, p.imageBytes()[p.imageBytes().length - 1], "cuModuleLoadData needs a NUL-terminated image");
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }
}
