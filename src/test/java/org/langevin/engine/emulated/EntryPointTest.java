package org.langevin.engine.emulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.ParticleState;
import org.langevin.engine.device.DeviceBuffer;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.Kernel;
import org.langevin.engine.device.KernelArgs;
import org.langevin.model.Dynamics;
import org.langevin.model.RunSpec;

/**
 * The two entry points of each dynamics (kernels/lv_kernels.cu): the d = 1 one, which every d = 1 run
 * launches, and the general one give the same bytes on every d = 1 case of {@link DeviceCases},
 * including a launch that starts in the middle of a Philox block and one that straddles the burn-in;
 * the d = 1 entry rejects any other d (NaN state), and launches pick it exactly for d = 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntryPointTest {
    private static final int STEPS = 37;
    private static final long FIRST_STEP = 5;

    private EmulatedLauncher launcher;

    @BeforeAll
    void open() {
        launcher = new EmulatedLauncher();
    }

    @AfterAll
    void close() {
        launcher.close();
    }

    static List<DeviceCases.Case> oneDimensional() {
        return DeviceCases.all().stream().filter(c -> c.spec().dim() == 1).toList();
    }

    static List<DeviceCases.Case> multiDimensional() {
        return DeviceCases.all().stream().filter(c -> c.spec().dim() > 1).toList();
    }

    @Test
    void everyDynamicsHasBothEntryPointsAndRunsPickByDimension() {
        for (Dynamics dyn : Dynamics.values()) {
            if (dyn.modelOnly()) {
                continue; // user models compile their own kernel (ModelRunTest)
            }
            Kernel general = Kernel.of(dyn);
            Kernel d1 = Kernel.forProblem(dyn.code, 1);
            assertEquals(0, general.fixedDim, dyn + ": general entry");
            assertEquals(1, d1.fixedDim, dyn + ": d = 1 entry");
            assertEquals(dyn, d1.dynamics);
            assertEquals(general.entryName + "_d1", d1.entryName);
            assertEquals(general, Kernel.forProblem(dyn.code, 2));
            assertEquals(general, Kernel.forProblem(dyn.code, 64));
        }
        for (Dynamics dyn : Dynamics.values()) {
            if (dyn.modelOnly()) {
                continue;
            }
            // so that the byte comparison below launches all ten entry points
            assertTrue(oneDimensional().stream().anyMatch(c -> c.spec().dynamics() == dyn),
                    "DeviceCases has no d = 1 case of " + dyn);
        }
        assertFalse(multiDimensional().isEmpty(), "DeviceCases lacks d > 1 cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneDimensional")
    void generalAndOneDimensionalEntriesGiveTheSameBytes(DeviceCases.Case c) {
        Kernel general = Kernel.of(c.spec().dynamics());
        Kernel d1 = Kernel.forProblem(c.spec().dynamics().code, 1);
        Result a = launch(c.spec(), general);
        Result b = launch(c.spec(), d1);
        assertEquals(a.x.length, b.x.length);
        int moved = 0;
        for (int i = 0; i < a.x.length; i++) {
            assertEquals(Float.floatToRawIntBits(a.x[i]), Float.floatToRawIntBits(b.x[i]),
                    c.name() + ": particle " + i + " " + a.x[i] + " vs " + b.x[i]);
            if (a.x[i] != a.start[i] && Float.isFinite(a.x[i])) {
                moved++;
            }
        }
        assertTrue(moved > 0, c.name() + ": no particle moved");
        for (int i = 0; i < a.avg.length; i++) {
            assertEquals(Double.doubleToRawLongBits(a.avg[i]), Double.doubleToRawLongBits(b.avg[i]),
                    c.name() + ": window sum " + i);
        }
        if (c.spec().average()) {
            double s = 0;
            for (double v : a.avg) {
                s += Math.abs(v);
            }
            assertNotEquals(0.0, s, c.name() + ": window sums stayed zero");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiDimensional")
    void oneDimensionalEntryRejectsOtherDimensions(DeviceCases.Case c) {
        Result r = launch(c.spec(), Kernel.forProblem(c.spec().dynamics().code, 1));
        for (float v : r.x) {
            assertTrue(Float.isNaN(v), c.name() + ": the d = 1 entry ran a d = " + c.spec().dim() + " problem");
        }
    }

    @Test
    void anUnknownEntryNameRunsNothing() {
        EmulatorLibrary l = launcher.emulator().library();
        assertEquals(2, l.lv_emu_launch("lv_no_such_entry", 1, 1, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0f, 0f, null,
                null, null, null));
        assertEquals(1, l.lv_emu_launch(Kernel.LANGEVIN.entryName, 0, 1, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0f, 0f,
                null, null, null, null), "an empty grid was accepted");
    }

    private record Result(float[] start, float[] x, double[] avg) {
    }

    /** One launch of STEPS steps from step FIRST_STEP on the case's deterministic initial state. */
    private Result launch(RunSpec spec, Kernel kernel) {
        CompiledProblem cp = DeviceProblems.compile(spec);
        ParticleState st = DeviceProblems.state(spec);
        int d = spec.dim();
        int count = spec.particlesInOneJvm();
        float[] x = new float[d * count];
        for (int j = 0; j < d; j++) {
            System.arraycopy(st.x()[j], 0, x, j * count, count);
        }
        int avgRows = spec.average() ? 2 * d + 1 : 0;
        double[] avg = new double[avgRows * count];
        try (DeviceBuffer sb = launcher.allocate(4L * x.length);
             DeviceBuffer ab = avgRows == 0 ? null : launcher.allocate(8L * avg.length);
             DeviceBuffer ib = launcher.allocate(4L * cp.ip().length);
             DeviceBuffer fb = launcher.allocate(4L * cp.fp().length);
             DeviceBuffer db = cp.data().length == 0 ? null : launcher.allocate(4L * cp.data().length)) {
            launcher.copyToDevice(x, 0, x.length, sb, 0);
            if (ab != null) {
                launcher.copyToDevice(avg, 0, avg.length, ab, 0);
            }
            launcher.copyToDevice(cp.ip(), 0, cp.ip().length, ib, 0);
            launcher.copyToDevice(cp.fp(), 0, cp.fp().length, fb, 0);
            if (db != null) {
                launcher.copyToDevice(cp.data(), 0, cp.data().length, db, 0);
            }
            // Burn-in inside the launch: the window starts at its step 12.
            long burnIn = spec.average() ? FIRST_STEP + 12 : 0;
            launcher.launch(kernel, new KernelArgs(sb, ab, count, count, 3, FIRST_STEP, STEPS, burnIn, spec.seed(),
                    cp.lrAt(FIRST_STEP), cp.noiseScaleAt(FIRST_STEP), ib, fb, db, null));
            float[] out = new float[x.length];
            launcher.copyToHost(sb, 0, out, 0, out.length);
            if (ab != null) {
                launcher.copyToHost(ab, 0, avg, 0, avg.length);
            }
            return new Result(x, out, avg);
        }
    }
}
