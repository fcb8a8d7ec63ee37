package org.langevin.model.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C++ printed from a model, compiled by the host compiler with the emulated device's floating-point
 * rules (-ffp-contract=off), computes the same bits as the generated Java, for every function of the
 * model language and for models using all of them; and lv_model_math.cuh's functions equal
 * {@link ModelMath}'s on ordinary and special arguments (NaN, ±∞, ±0, subnormals, the clamps). A NaN
 * result must be NaN everywhere; its sign and payload are not compared (GPUs write one canonical NaN).
 * Needs g++ (which CI has: it builds the emulated device).
 */
class CModelsTest {
    @TempDir
    Path tmp;

    static final String[] MODELS = {ModelLanguageTest.NETWORK, ModelLanguageTest.ROSENBROCK, ModelLanguageTest.GBM,
        ModelLanguageTest.EVERYTHING};
    static final int TRIALS = 400;

    @Test
    void generatedCppEqualsGeneratedJavaBitForBit() throws Exception {
        Random rnd = new Random(7);
        StringBuilder prog = new StringBuilder("#include <stdio.h>\n#include <stdint.h>\n#include <string.h>\n");
        List<Integer> expected = new ArrayList<>();
        StringBuilder main = new StringBuilder("int main() {\n  float out[256];\n");
        for (int mi = 0; mi < MODELS.length; mi++) {
            Model m = ModelCompiler.compile(MODELS[mi]);
            Files.writeString(tmp.resolve("model" + mi + ".h"), CModels.source(m, "m" + mi));
            prog.append("#include \"model").append(mi).append(".h\"\n");
            GeneratedModel gm = JavaModels.compile(m);
            float[] c = new float[m.constants().size()];
            int ci = 0;
            for (double v : m.constants().values()) {
                c[ci++] = (float) v;
            }
            main.append("  { static const uint32_t c[] = {").append(words(c.length == 0 ? new float[1] : c)).append("};\n");
            for (int trial = 0; trial < TRIALS; trial++) {
                float[] x = new float[m.dim()];
                for (int j = 0; j < x.length; j++) {
                    x[j] = (float) (rnd.nextGaussian() * (trial % 4 == 0 ? 20 : 1));
                }
                float[] e = new float[m.featureCount() + 1];
                for (int j = 0; j < e.length; j++) {
                    e[j] = (float) rnd.nextGaussian();
                }
                float t = (float) rnd.nextDouble();
                main.append("    { static const uint32_t x[] = {").append(words(x)).append("}, e[] = {").append(words(e))
                        .append("}; float t; uint32_t tb = 0x").append(Integer.toHexString(Float.floatToRawIntBits(t)))
                        .append("u; memcpy(&t, &tb, 4);\n");
                if (m.loss() != null) {
                    float[] out = new float[1 + m.dim()];
                    gm.loss(x, c, e, 0, t, out);
                    add(expected, out);
                    main.append("      m").append(mi).append("_loss((const float*)x, (const float*)c, (const float*)e, t, out); ")
                            .append("dump(out, ").append(out.length).append(");\n");
                }
                if (m.drift() != null) {
                    float[] out = new float[m.drift().length + m.diffusion().length];
                    gm.sde(x, c, t, out);
                    add(expected, out);
                    main.append("      m").append(mi).append("_sde((const float*)x, (const float*)c, t, out); ")
                            .append("dump(out, ").append(out.length).append(");\n");
                }
                main.append("    }\n");
            }
            main.append("  }\n");
        }
        prog.append("static void dump(const float* v, int n) { for (int i = 0; i < n; i++) { uint32_t b; "
                + "memcpy(&b, &v[i], 4); printf(\"%08x\\n\", b); } }\n");
        prog.append(main).append("  return 0;\n}\n");
        List<Integer> got = runCpp(prog.toString());
        assertEquals(expected.size(), got.size(), "output count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Integer.toHexString(canonical(expected.get(i))), Integer.toHexString(canonical(got.get(i))),
                    "output " + i);
        }
    }

    @Test
    void modelMathInCEqualsModelMathInJava() throws Exception {
        List<Float> args = new ArrayList<>();
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
            -Float.MIN_VALUE, 0x1p-130f, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88f, 88.5f, 88.72283f,
            88.7229f, -87f, -87.5f, -103.9f, -104f, -110f, 0.25f, -0.25f, 0x1.fffffep-3f, 9f, 9.0001f, 0x1p20f,
            0x1.000002p20f, -0x1p20f, 1e4f, 3.14159265f, 1.5707964f, 0x1p-13f, 1e-30f};
        for (float s : special) {
            args.add(s);
        }
        Random rnd = new Random(13);
        for (int i = 0; i < 20000; i++) {
            double scale = Math.pow(10, rnd.nextInt(9) - 4);
            args.add((float) (rnd.nextGaussian() * scale));
        }
        String[] fns = {"sqrt", "exp", "log", "sin", "cos", "tanh", "sigmoid", "softplus"};
        List<Integer> expected = new ArrayList<>();
        StringBuilder prog = new StringBuilder("#include <stdio.h>\n#include <stdint.h>\n#include <string.h>\n"
                + "#include \"lv_model_math.cuh\"\nstatic const uint32_t in[] = {");
        for (float a : args) {
            prog.append("0x").append(Integer.toHexString(Float.floatToRawIntBits(a))).append("u,");
        }
        prog.append("};\nint main() {\n  for (unsigned i = 0; i < sizeof(in) / 4; i++) {\n    float x; memcpy(&x, &in[i], 4);\n"
                + "    float r[8] = {");
        for (int f = 0; f < fns.length; f++) {
            prog.append(f == 0 ? "" : ", ").append("lvm_").append(fns[f]).append("(x)");
        }
        prog.append("};\n    for (int f = 0; f < 8; f++) { uint32_t b; memcpy(&b, &r[f], 4); printf(\"%08x\\n\", b); }\n  }\n"
                + "  return 0;\n}\n");
        for (float a : args) {
            for (String f : fns) {
                expected.add(Float.floatToRawIntBits(ModelMath.apply(Graph.Op.valueOf(f.toUpperCase()), a)));
            }
        }
        List<Integer> got = runCpp(prog.toString());
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            float a = args.get(i / fns.length);
            assertEquals(Integer.toHexString(canonical(expected.get(i))), Integer.toHexString(canonical(got.get(i))),
                    fns[i % fns.length] + "(" + a + ")");
        }
    }

    private static String words(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) {
            sb.append("0x").append(Integer.toHexString(Float.floatToRawIntBits(f))).append("u,");
        }
        return sb.toString();
    }

    private static void add(List<Integer> list, float[] v) {
        for (float f : v) {
            list.add(Float.floatToRawIntBits(f));
        }
    }

    /** Bits, with every NaN as the canonical one: a NaN's sign and payload are not part of the contract. */
    static int canonical(int bits) {
        return Float.isNaN(Float.intBitsToFloat(bits)) ? 0x7fc00000 : bits;
    }

    /** Compiles with the emulated device's floating-point flags, runs, and reads one hex word per line. */
    private List<Integer> runCpp(String source) throws Exception {
        Path src = tmp.resolve("prog.cpp");
        Files.writeString(src, source);
        Path exe = tmp.resolve("prog");
        Path kernels = Path.of("kernels").toAbsolutePath();
        assertTrue(Files.exists(kernels.resolve("lv_model_math.cuh")), "kernels/ not found from " + Path.of("").toAbsolutePath());
        Process cc = new ProcessBuilder("g++", "-std=c++17", "-O2", "-ffp-contract=off", "-fno-fast-math",
                "-I", kernels.toString(), "-I", tmp.toString(), src.toString(), "-o", exe.toString())
                .redirectErrorStream(true).start();
        String log = new String(cc.getInputStream().readAllBytes());
        assertTrue(cc.waitFor(300, TimeUnit.SECONDS), "g++ did not finish");
        assertEquals(0, cc.exitValue(), "g++ failed:\n" + log);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), out);
        List<Integer> words = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                words.add((int) Long.parseLong(line.trim(), 16));
            }
        }
        return words;
    }
}
