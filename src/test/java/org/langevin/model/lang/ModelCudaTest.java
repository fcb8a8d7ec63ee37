package org.langevin.model.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user model's CUDA kernel (the model printed by {@link CModels} with kernels/lv_model_kernel.cuh)
 * compiles with nvcc under the kernels' floating-point rules to PTX with the {@code lvu_advance} entry
 * point and no flush-to-zero, approximate or fused instruction, and ptxas accepts it for sm_90. Needs
 * nvcc (which CI has; skipped, saying so, on a machine without it).
 */
class ModelCudaTest {
    @TempDir
    Path tmp;

    static Path nvcc() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) {
                    return Path.of(dir, "nvcc");
                }
            }
        }
        String home = System.getenv("CUDA_HOME");
        return home != null && Files.isExecutable(Path.of(home, "bin", "nvcc")) ? Path.of(home, "bin", "nvcc") : null;
    }

    @Test
    void everyModelShapeCompilesToStrictPtx() throws Exception {
        Path nvcc = nvcc();
        assumeTrue(nvcc != null, "skipped: no nvcc on the PATH or in $CUDA_HOME/bin, so model kernels cannot be compiled");
        Path kernels = Path.of("kernels").toAbsolutePath();
        String[] models = {ModelLanguageTest.NETWORK, ModelLanguageTest.ROSENBROCK, ModelLanguageTest.GBM,
            ModelLanguageTest.EVERYTHING, "state x[2]\ndrift x[i] = -x[i]\ndiffusion[i] = 1 + 0.1 * x[i]^2"};
        for (int i = 0; i < models.length; i++) {
            Model m = ModelCompiler.compile(models[i]);
            Path dir = Files.createDirectories(tmp.resolve("m" + i));
            Files.writeString(dir.resolve("lvu_model.h"), CModels.source(m, "lvu"));
            Files.writeString(dir.resolve("lvu_model.cu"), "#include \"lvu_model.h\"\n#include \"lv_model_kernel.cuh\"\n");
            Path ptx = dir.resolve("lvu_model.ptx");
            List<String> cmd = new ArrayList<>(List.of(nvcc.toString(), "-std=c++17", "--ptx", "-arch=compute_75",
                    "-fmad=false", "-ftz=false", "-prec-div=true", "-prec-sqrt=true", "-Werror", "all-warnings",
                    "-I", kernels.toString(), "-I", dir.toString(), "-o", ptx.toString(), dir.resolve("lvu_model.cu").toString()));
            String log = run(cmd);
            String text = Files.readString(ptx);
            assertTrue(text.contains(".entry lvu_advance"), "no lvu_advance entry point:\n" + log);
            for (String bad : new String[] {".ftz", ".approx"}) {
                assertFalse(text.contains(bad), "model " + i + ": the PTX contains '" + bad + "'");
            }
            // Fused float multiply-adds (integer mad.lo for addresses is exact and allowed).
            java.util.regex.Matcher fused = java.util.regex.Pattern.compile("\\b(fma|mad)(\\.[a-z]+)*\\.f(16|32|64)\\b")
                    .matcher(text);
            assertFalse(fused.find(), "model " + i + ": the PTX contains a fused float operation");
            Path ptxas = nvcc.resolveSibling("ptxas");
            if (Files.isExecutable(ptxas)) {
                run(List.of(ptxas.toString(), "-arch=sm_90", ptx.toString(), "-o", dir.resolve("m.cubin").toString()));
            }
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "did not finish: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
