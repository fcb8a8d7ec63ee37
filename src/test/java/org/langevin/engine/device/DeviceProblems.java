package org.langevin.engine.device;

import java.util.Arrays;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.Engine;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.model.RunSpec;

/**
 * Test helper for the device engines: compiles a RunSpec with the real ProblemCompiler, builds
 * deterministic non-trivial initial
 * states, and runs engines.
 */
public final class DeviceProblems {
    private DeviceProblems() {
    }

    /** The kernel arrays of a spec (ProblemCompiler). */
    public static CompiledProblem compile(RunSpec s) {
        return org.langevin.engine.ProblemCompiler.compile(s);
    }

    /** A state whose particles start at distinct, deterministic points in [−1.5, 1.5]^d. */
    public static ParticleState state(RunSpec s) {
        ParticleState st = new ParticleState(s.dim(), s.particlesInOneJvm(), s.average());
        for (int j = 0; j < s.dim(); j++) {
            for (int i = 0; i < s.particles(); i++) {
                st.x()[j][i] = (float) (((i * 37L + j * 11L) % 97) / 32.0 - 1.5);
            }
        }
        return st;
    }

    /**
     * Runs steps [0, steps) on an engine, advancing in the given segments, and downloads.
     *
     * @param cuts increasing interior step indices where one advance call ends and the next begins
     */
    public static ParticleState run(Engine engine, RunSpec s, long steps, long... cuts) {
        CompiledProblem cp = compile(s);
        ParticleState st = state(s);
        try (EngineSession session = engine.open(cp, st)) {
            long k = 0;
            long[] ends = Arrays.copyOf(cuts, cuts.length + 1);
            ends[cuts.length] = steps;
            for (long end : ends) {
                long e = end;
                while (k < e) {
                    long next = Math.min(e, cp.nextChangeAfter(k));
                    session.advance(k, next);
                    k = next;
                }
            }
            session.download();
        }
        st.setStepsDone(steps);
        return st;
    }

    /** @return a description of the first bitwise difference between two states, or null when identical */
    public static String firstDifference(ParticleState a, ParticleState b) {
        for (int j = 0; j < a.dim(); j++) {
            for (int i = 0; i < a.particles(); i++) {
                if (Float.floatToRawIntBits(a.x()[j][i]) != Float.floatToRawIntBits(b.x()[j][i])) {
                    return "x[" + j + "][" + i + "]: " + a.x()[j][i] + " vs " + b.x()[j][i];
                }
            }
        }
        if (a.hasAverages() != b.hasAverages()) {
            return "one state has window sums, the other not";
        }
        if (a.hasAverages()) {
            for (int r = 0; r < a.avg().length; r++) {
                for (int i = 0; i < a.particles(); i++) {
                    if (Double.doubleToRawLongBits(a.avg()[r][i]) != Double.doubleToRawLongBits(b.avg()[r][i])) {
                        return "avg[" + r + "][" + i + "]: " + a.avg()[r][i] + " vs " + b.avg()[r][i];
                    }
                }
            }
        }
        return null;
    }

    /** @return the number of coordinates that moved away from the initial state and are finite, or −1 if one is not finite */
    public static int movedFinite(RunSpec s, ParticleState after) {
        ParticleState before = state(s);
        int moved = 0;
        for (int j = 0; j < s.dim(); j++) {
            for (int i = 0; i < s.particles(); i++) {
                float v = after.x()[j][i];
                if (!Float.isFinite(v)) {
                    return -1;
                }
                if (v != before.x()[j][i]) {
                    moved++;
                }
            }
        }
        return moved;
    }
}
