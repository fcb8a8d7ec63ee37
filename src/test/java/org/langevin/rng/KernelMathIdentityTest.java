package org.langevin.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernels/lv_rng.cuh compiled by the host C++ compiler (as the emulated device compiles it) and this
 * package produce the same bits for Philox, log, exp, sincos and Box–Muller on 2·10⁵ words,
 * including the edges of the quadrant reduction. g++ is part of the build (CI has it): a missing
 * compiler fails this test rather than skipping it.
 */
class KernelMathIdentityTest {
    static final int N = 200_000;
    static final int[] EDGES = {0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x1fffffff, 0x20000000, 0x3fffffff,
        0x40000000, 0x5fffffff, 0x60000000, 0xdfffffff, 0xe0000000, 0xa0000000, 0x9fffffff, 3, 0xfffffffe,
        0x20000001, 0x1ffffffe};

    static final String DRIVER = """
            #include "lv_rng.cuh"
            #include <stdio.h>
            int main() {
                static const uint32_t edges[] = {%s};
                uint32_t st = 12345u;
                for (int i = 0; i < %d; i++) {
                    st = st * 1664525u + 1013904223u;
                    uint32_t w = i < %d ? edges[i] : st;
                    float l = lv_logf(lv_uniform(w));
                    float s, c;
                    lv_sincos_word(w, &s, &c);
                    float e = lv_expf(((float)(int32_t)w) * 0x1p-24f);
                    float bm[2];
                    lv_box_muller(w, w * 2654435761u, bm);
                    uint32_t o[4];
                    lv_philox4x32_10(w, (uint32_t)i, w ^ 7u, 3u, w * 3u, 11u, o);
                    printf("%%08x %%08x %%08x %%08x %%08x %%08x %%08x %%08x %%08x %%08x\\n", lv_float_as_uint(l),
                           lv_float_as_uint(s), lv_float_as_uint(c), lv_float_as_uint(e), lv_float_as_uint(bm[0]),
                           lv_float_as_uint(bm[1]), o[0], o[1], o[2], o[3]);
                }
                return 0;
            }
            """;

    @TempDir
    Path tmp;

    static String cxx() {
        String env = System.getenv("CXX");
        return env != null && !env.isBlank() ? env : "g++";
    }

    static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), cmd + " failed: " + err);
        return new String(out, StandardCharsets.US_ASCII);
    }

    @Test
    void hostCompiledKernelMathEqualsJava() throws Exception {
        StringBuilder edges = new StringBuilder();
        for (int e : EDGES) {
            edges.append(edges.length() == 0 ? "" : ", ").append("0x").append(Integer.toHexString(e)).append('u');
        }
        Files.writeString(tmp.resolve("drv.cpp"), String.format(DRIVER, edges, N, EDGES.length));
        Path kernels = Path.of("kernels").toAbsolutePath();
        run(tmp, List.of(cxx(), "-std=c++17", "-O2", "-ffp-contract=off", "-fno-fast-math", "-Wall", "-Wextra", "-Werror",
                "-I" + kernels, "drv.cpp", "-o", "drv"));
        String c = run(tmp, List.of(tmp.resolve("drv").toString()));
        StringBuilder j = new StringBuilder();
        int st = 12345;
        float[] sc = new float[2];
        float[] bm = new float[2];
        int[] o = new int[4];
        for (int i = 0; i < N; i++) {
            st = st * 1664525 + 1013904223;
            int w = i < EDGES.length ? EDGES[i] : st;
            float l = FloatMath.log(NormalTransform.uniform(w));
            FloatMath.sincosWord(w, sc, 0);
            float e = FloatMath.exp(((float) w) * 0x1p-24f);
            NormalTransform.boxMuller(w, w * (int) 2654435761L, bm, 0);
            Philox4x32.block(w, i, w ^ 7, 3, w * 3, 11, o, 0);
            j.append(String.format("%08x %08x %08x %08x %08x %08x %08x %08x %08x %08x%n",
                    Float.floatToRawIntBits(l), Float.floatToRawIntBits(sc[0]), Float.floatToRawIntBits(sc[1]),
                    Float.floatToRawIntBits(e), Float.floatToRawIntBits(bm[0]), Float.floatToRawIntBits(bm[1]),
                    o[0], o[1], o[2], o[3]));
        }
        String[] cl = c.split("\n");
        String[] jl = j.toString().split("\n");
        assertEquals(N, cl.length);
        for (int i = 0; i < N; i++) {
            assertEquals(jl[i], cl[i], "line " + i + " (word index " + i + ")");
        }
    }
}
