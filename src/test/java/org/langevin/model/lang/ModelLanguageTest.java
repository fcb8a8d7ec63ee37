package org.langevin.model.lang;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The model language: parsing, name resolution and unrolling, the derived gradients, and the
 * generated Java against the IR's reference semantics, bit for bit.
 */
class ModelLanguageTest {
    static final String NETWORK = """
            # a 2-4-1 tanh network, d = 12
            state w[4], b[4], a[4]
            data x[2] -> y
            let h[j] = tanh(w[j] * x[0] + b[j] * x[1])
            loss 0.5 * (sum(j, a[j] * h[j]) - y)^2
            """;
    static final String ROSENBROCK = """
            state x[2]
            const a = 1, b = 100
            potential (a - x[0])^2 + b * (x[1] - x[0]^2)^2
            """;
    static final String GBM = """
            state s[2]
            const mu = 0.05, sigma = 0.2, rho = 0.5
            drift s[i] = mu * s[i]
            diffusion[i][j] = if(j > i, 0, sigma * s[i] * if(i == j, if(i == 0, 1, sqrt(1 - rho^2)), rho))
            """;
    static final String EVERYTHING = """
            state x[3]
            const k = 0.5
            potential sum(i, softplus(x[i]) + sigmoid(x[i] * k) + exp(-x[i]^2) + log(1 + x[i]^2) + sin(x[i]) * cos(2 * x[i])) + abs(x[0] - x[1]) + min(x[0], x[2]) * max(x[1], x[2]) + x[0]^-2 + sqrt(x[1]^2 + 1) + t * sum(i, x[i + 1] - x[i])
            """;

    @Test
    void declarationsAndSizes() {
        Model m = ModelCompiler.compile(NETWORK);
        assertEquals(12, m.dim());
        assertEquals(2, m.featureCount());
        assertEquals("y", m.target());
        assertTrue(m.loss().perExample());
        assertEquals(8, m.state().get(2).offset());
        Model r = ModelCompiler.compile(ROSENBROCK);
        assertEquals(2, r.constants().size());
        assertEquals(100.0, r.constants().get("b"));
        Model s = ModelCompiler.compile(GBM);
        assertEquals(Model.DiffusionShape.FULL, s.diffusionShape());
        assertEquals(4, s.diffusion().length);
    }

    @Test
    void gradientsMatchTheirFormulas() {
        Model r = ModelCompiler.compile(ROSENBROCK);
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            float x0 = (float) (4 * rnd.nextDouble() - 2);
            float x1 = (float) (4 * rnd.nextDouble() - 2);
            float[] out = eval(r, new float[] {x0, x1}, new float[] {1, 100}, new float[1], 0f, true);
            double gx = -2 * (1 - (double) x0) - 400 * (double) x0 * ((double) x1 - (double) x0 * x0);
            double gy = 200 * ((double) x1 - (double) x0 * x0);
            assertEquals(gx, out[1], 1e-4 * (1 + Math.abs(gx)) + 2e-3, "d/dx0 at " + x0 + ", " + x1);
            assertEquals(gy, out[2], 1e-4 * (1 + Math.abs(gy)) + 2e-3, "d/dx1");
        }
        // The network: the derived gradient against central differences of the loss in double.
        Model n = ModelCompiler.compile(NETWORK);
        for (int trial = 0; trial < 50; trial++) {
            float[] x = new float[12];
            for (int j = 0; j < 12; j++) {
                x[j] = (float) rnd.nextGaussian();
            }
            float[] e = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian()};
            float[] out = eval(n, x, new float[0], e, 0f, true);
            for (int j = 0; j < 12; j++) {
                double h = 1e-4;
                double fd = (netLoss(x, e, j, h) - netLoss(x, e, j, -h)) / (2 * h);
                assertEquals(fd, out[1 + j], 2e-4 * (1 + Math.abs(fd)), "∂L/∂x" + j);
            }
        }
    }

    /** The network's loss in double with x_j shifted by h. */
    static double netLoss(float[] xf, float[] e, int j, double h) {
        double[] x = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = xf[i] + (i == j ? h : 0);
        }
        double s = 0;
        for (int k = 0; k < 4; k++) {
            s += x[8 + k] * Math.tanh(x[k] * e[0] + x[4 + k] * e[1]);
        }
        return 0.5 * (s - e[2]) * (s - e[2]);
    }

    @Test
    void doubleWellGradientHasTheBuiltInBits() {
        // (x² − 1)²: the derived gradient (2b)x + (2b)x equals the built-in (4x)(x² − 1) exactly.
        Model m = ModelCompiler.compile("state x\npotential (x^2 - 1)^2");
        Random rnd = new Random(11);
        for (int trial = 0; trial < 100_000; trial++) {
            float x = (float) (6 * rnd.nextDouble() - 3);
            float[] out = eval(m, new float[] {x}, new float[0], new float[0], 0f, true);
            float builtIn = (4.0f * x) * ((x * x) - 1.0f);
            assertEquals(Float.floatToRawIntBits(builtIn), Float.floatToRawIntBits(out[1]), "x = " + x);
        }
    }

    @Test
    void generatedJavaHasTheBitsOfTheReferenceSemantics() {
        Random rnd = new Random(5);
        for (String text : new String[] {NETWORK, ROSENBROCK, GBM, EVERYTHING}) {
            Model m = ModelCompiler.compile(text);
            GeneratedModel gm = JavaModels.compile(m);
            float[] c = new float[m.constants().size()];
            int ci = 0;
            for (double v : m.constants().values()) {
                c[ci++] = (float) v;
            }
            for (int trial = 0; trial < 2000; trial++) {
                float[] x = new float[m.dim()];
                for (int j = 0; j < x.length; j++) {
                    x[j] = (float) (rnd.nextGaussian() * (trial % 3 == 0 ? 10 : 1));
                }
                float[] e = new float[m.featureCount() + 1];
                for (int j = 0; j < e.length; j++) {
                    e[j] = (float) rnd.nextGaussian();
                }
                float t = (float) rnd.nextDouble();
                if (m.loss() != null) {
                    float[] ref = eval(m, x, c, e, t, true);
                    float[] out = new float[1 + m.dim()];
                    float[] padded = new float[3 + e.length];
                    System.arraycopy(e, 0, padded, 3, e.length);
                    gm.loss(x, c, padded, 3, t, out);
                    assertArrayEquals(bits(ref), bits(out), text);
                }
                if (m.drift() != null) {
                    float[] ref = eval(m, x, c, e, t, false);
                    float[] out = new float[m.drift().length + m.diffusion().length];
                    gm.sde(x, c, t, out);
                    assertArrayEquals(bits(ref), bits(out), text);
                }
            }
        }
    }

    /** The IR's reference evaluation of the loss (value, gradient) or of the SDE (drift, diffusion). */
    static float[] eval(Model m, float[] x, float[] c, float[] e, float t, boolean loss) {
        int[] outs;
        if (loss) {
            outs = new int[1 + m.dim()];
            outs[0] = m.loss().value();
            System.arraycopy(m.loss().gradient(), 0, outs, 1, m.dim());
        } else {
            outs = new int[m.drift().length + m.diffusion().length];
            System.arraycopy(m.drift(), 0, outs, 0, m.drift().length);
            System.arraycopy(m.diffusion(), 0, outs, m.drift().length, m.diffusion().length);
        }
        float[] v = m.graph().evaluate(new float[][] {x, c, e, {t}}, outs);
        float[] r = new float[outs.length];
        for (int k = 0; k < outs.length; k++) {
            r[k] = v[outs[k]];
        }
        return r;
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Test
    void badModelsAreRejectedWithLineAndColumn() {
        String[][] cases = {
            {"state x\npotential x +* 2", "line 2, column 14", "expected a number"},
            {"state x\npotential y^2", "line 2, column 11", "unknown name 'y'"},
            {"state x[2]\npotential x^2", "line 2, column 11", "has 2 elements"},
            {"state x[2]\npotential x[2]^2", "line 2, column 13", "out of range for x (0..1)"},
            {"state x\nconst k = 1e400\npotential k*x", "line 2, column 7", "not a finite float"},
            {"state x\npotential x^1.5", "line 2, column 13", "powers must be integers"},
            {"state x\npotential foo(x)", "line 2, column 11", "unknown function 'foo'"},
            {"state x[2]\ndrift x[i] = -x[i]", "model:", "no diffusion"},
            {"state x[2], y\ndrift x[i] = -x[i]\ndiffusion = 1", "line 3", "the state y has no drift"},
            {"state x[65]\npotential x[0]", "line 1, column 7", "more than 64"},
            {"state x\ndata z[2] -> y\npotential x^2", "line 3", "does not read data"},
            {"state x\ndata z -> y\nlet q = z * x\nloss q^2 + z", "", ""},
            {"state x\nstate x\npotential x", "line 2, column 7", "declared twice"},
            {"state x[3]\npotential sum(j, 1)", "line 2, column 11", "cannot tell the range of j"},
            {"state a[3], b[2]\npotential sum(j, a[j] * b[j])", "line 2", "must have the same size"},
            {"state x\ndrift x = t\ndiffusion = z", "line 3, column 13", "unknown name 'z'"},
            {"state x\ndata f -> y\nloss f\ndrift x = f\ndiffusion = 1", "line 4, column 11", "is data"},
            {"potential 1", "model:", "declares no state"},
            {"state x\nlosss x", "line 2, column 1", "unknown statement 'losss'"},
            {"state x\npotential x $ 2", "line 2, column 13", "unexpected character '$'"},
        };
        for (String[] c : cases) {
            if (c[1].isEmpty()) {
                ModelCompiler.compile(c[0]); // valid
                continue;
            }
            ModelSyntaxException e = assertThrows(ModelSyntaxException.class, () -> ModelCompiler.compile(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]) && e.getMessage().contains(c[2]),
                    "model '" + c[0].replace("\n", "\\n") + "': got '" + e.getMessage() + "', want '" + c[1] + "' … '"
                            + c[2] + "'");
        }
    }

    @Test
    void sumsUnrollInIndexOrderAndSharedSubexpressionsAreOneNode() {
        Model a = ModelCompiler.compile("state x[3]\npotential sum(i, x[i]) + sum(i, x[i])");
        Model b = ModelCompiler.compile("state x[3]\npotential 2 * sum(i, x[i])");
        // ((x0 + x1) + x2) is one node, used twice; the result is exact in both forms.
        float[] x = {0.1f, 0.2f, 0.3f};
        float s = (0.1f + 0.2f) + 0.3f;
        assertEquals(s + s, eval(a, x, new float[0], new float[0], 0f, true)[0]);
        assertEquals(2 * s, eval(b, x, new float[0], new float[0], 0f, true)[0]);
        assertTrue(a.graph().size() < 12, "common subexpressions are shared: " + a.graph().size() + " nodes");
    }
}
