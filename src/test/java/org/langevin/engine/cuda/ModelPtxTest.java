package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.model.UserModel;
import org.langevin.model.lang.Model;
import org.langevin.model.lang.ModelCompiler;

/**
 * A user model's GPU kernel compiled at run time ({@link ModelPtx}): with the compiler this machine has
 * (NVRTC when a libnvrtc loads, else nvcc; CI has nvcc), every library model compiles to PTX with the
 * {@code lvu_advance} entry point under the floating-point contract, the PTX is cached by hash and read
 * back without compiling again, and PTX that breaks the contract is refused.
 */
class ModelPtxTest {
    @TempDir
    Path cache;

    @Test
    void libraryModelsCompileToStrictPtxAndAreCachedByHash() throws Exception {
        ModelPtx.Compiler c;
        try {
            c = ModelPtx.findCompiler();
        } catch (IllegalStateException e) {
            assumeTrue(false, "skipped: no NVRTC and no nvcc on this machine (" + e.getMessage() + ")");
            return;
        }
        for (String name : List.of("double-well", "teacher-student", "correlated-gbm")) {
            Model m = UserModel.load(Path.of(name), null).model();
            long t0 = System.nanoTime();
            String ptx = ModelPtx.compileUncached(m, cache);
            double cold = (System.nanoTime() - t0) * 1e-9;
            assertTrue(ptx.contains(".entry " + ModelPtx.ENTRY), name + ": no entry point");
            Path file = null;
            try (Stream<Path> walk = Files.walk(cache)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (p.getFileName().toString().equals("lvu_model.ptx") && Files.readString(p).equals(ptx)) {
                        file = p;
                    }
                }
            }
            assertTrue(file != null, name + ": the PTX is not in the cache");
            FileTime written = Files.getLastModifiedTime(file);
            long t1 = System.nanoTime();
            assertEquals(ptx, ModelPtx.compileUncached(m, cache), name + ": the cached PTX differs");
            double warm = (System.nanoTime() - t1) * 1e-9;
            assertEquals(written, Files.getLastModifiedTime(file), name + ": the cache was written again");
            System.out.printf("%s: %s compiled in %.2f s, read from the cache in %.4f s%n", name, c.describe(), cold, warm);
        }
    }

    @Test
    void twoModelsGetTwoCacheEntries() throws Exception {
        try {
            ModelPtx.findCompiler();
        } catch (IllegalStateException e) {
            assumeTrue(false, "skipped: no NVRTC and no nvcc on this machine (" + e.getMessage() + ")");
        }
        ModelPtx.compileUncached(ModelCompiler.compile("state x\npotential 0.5 * x^2"), cache);
        ModelPtx.compileUncached(ModelCompiler.compile("state x\npotential 0.25 * x^4"), cache);
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(2, s.filter(p -> p.getFileName().toString().startsWith("ptx-")).count());
        }
    }

    /**
     * The NVRTC path through JNA (create with in-memory headers, compile with NVRTC's option spellings, PTX
     * and log), against the tests' stand-in libnvrtc, which carries the calls out with nvcc: the PTX equals
     * the nvcc path's instruction for instruction, and a compile error comes back with the compiler's log.
     */
    @Test
    void theNvrtcBindingGivesTheNvccPathsPtxAndReportsTheLog() throws Exception {
        Path lib = Path.of(System.getProperty("gpu.standin.dir", "target/cuda-standin"), "libnvrtc.so.13");
        assertTrue(Files.isRegularFile(lib), "the stand-in libnvrtc was not built: " + lib);
        assumeTrue(ModelPtx.findNvcc() != null, "skipped: no nvcc, which the stand-in NVRTC runs");
        ModelPtx.NvrtcCompiler nvrtc = ModelPtx.nvrtcAt(lib.toAbsolutePath().toString());
        assertTrue(nvrtc != null, "the stand-in libnvrtc does not load");
        assertEquals("13.0", nvrtc.version());
        Model m = UserModel.load(Path.of("teacher-student"), null).model();
        String viaNvrtc = nvrtc.compile(ModelPtx.translationUnit(), ModelPtx.headers(m));
        ModelPtx.NvccCompiler nvcc = new ModelPtx.NvccCompiler(ModelPtx.findNvcc(), "test");
        String viaNvcc = nvcc.compile(ModelPtx.translationUnit(), ModelPtx.headers(m));
        ModelPtx.verify(viaNvrtc, nvrtc);
        assertEquals(instructions(viaNvcc), instructions(viaNvrtc));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> nvrtc.compile("#include \"lvu_model.h\"\nint broken = ;\n", ModelPtx.headers(m)));
        assertTrue(e.getMessage().contains("nvrtcCompileProgram failed with NVRTC error 6"), e.getMessage());
        assertTrue(e.getMessage().contains("error"), "the compiler's log is in the message: " + e.getMessage());
        System.setProperty("langevin.nvrtc", lib.toAbsolutePath().toString());
        try {
            assertTrue(ModelPtx.findCompiler().describe().startsWith("NVRTC 13.0"), ModelPtx.findCompiler().describe());
        } finally {
            System.clearProperty("langevin.nvrtc");
        }
    }

    /** @return the PTX without its comment lines (the compiler's header names the build) */
    private static String instructions(String ptx) {
        StringBuilder b = new StringBuilder();
        for (String line : ptx.split("\n")) {
            if (!line.startsWith("//")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void ptxBreakingTheFloatingPointContractIsRefused() {
        ModelPtx.Compiler c = new ModelPtx.NvccCompiler(Path.of("nvcc"), "test");
        String ok = ".version 7.0\n.entry lvu_advance(\n)\n{\n add.rn.f32 %f1, %f2, %f3;\n mad.lo.s32 %r1, %r2, %r3, %r4;\n}\n";
        ModelPtx.verify(ok, c);
        for (String bad : List.of(ok.replace("add.rn.f32", "add.ftz.f32"), ok.replace("add.rn.f32", "sin.approx.f32"),
                ok.replace("add.rn.f32 %f1, %f2, %f3", "fma.rn.f32 %f1, %f2, %f3, %f4"), ok.replace("lvu_advance", "other"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelPtx.verify(bad, c));
            assertTrue(e.getMessage().startsWith("nvcc nvcc (release test) produced PTX"), e.getMessage());
        }
    }
}
