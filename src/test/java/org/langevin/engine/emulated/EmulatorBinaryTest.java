package org.langevin.engine.emulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.model.RunSpec;

/** The emulator library: built by kernels/build.sh, loadable, and compilable at first use from the packaged sources. */
class EmulatorBinaryTest {
    @Test
    void prebuiltLibraryIsOnTheClassPathAndLoads() {
        assertTrue(EmulatorBinary.class.getClassLoader().getResource(EmulatorBinary.prebuiltResource()) != null,
                "kernels/build.sh did not put " + EmulatorBinary.prebuiltResource() + " into target/classes");
        EmulatorBinary.Loaded l = EmulatorBinary.load();
        assertEquals("prebuilt", l.origin());
        assertEquals(RunSpec.MAX_DIM, l.library().lv_emu_max_dim(), "LV_MAX_DIM of the kernels vs RunSpec.MAX_DIM");
    }

    @Test
    void compilesThePackagedSourcesAtFirstUseAndCachesTheResult(@TempDir Path cache) throws Exception {
        Path lib = EmulatorBinary.compileFromSources(cache);
        assertTrue(Files.isRegularFile(lib));
        long modified = Files.getLastModifiedTime(lib).toMillis();
        assertEquals(lib, EmulatorBinary.compileFromSources(cache), "same sources, same cache entry");
        assertEquals(modified, Files.getLastModifiedTime(lib).toMillis(), "the cached library was rebuilt");
        EmulatorLibrary compiled = Native.load(lib.toString(), EmulatorLibrary.class);
        EmulatorLibrary prebuilt = EmulatorBinary.load().library();
        // The two libraries compute the same normals (same sources, same flags).
        int count = 3;
        int perParticle = 11;
        try (Memory a = new Memory(4L * count * perParticle); Memory b = new Memory(4L * count * perParticle)) {
            assertEquals(0, compiled.lv_emu_fill_normals(a, count, 5, 2, perParticle, 0x1234, 0x9876));
            assertEquals(0, prebuilt.lv_emu_fill_normals(b, count, 5, 2, perParticle, 0x1234, 0x9876));
            for (int i = 0; i < count * perParticle; i++) {
                assertEquals(Float.floatToRawIntBits(b.getFloat(4L * i)), Float.floatToRawIntBits(a.getFloat(4L * i)));
                assertTrue(Float.isFinite(a.getFloat(4L * i)));
            }
            assertEquals(1, compiled.lv_emu_fill_normals(a, -1, 0, 0, 1, 0, 0), "negative count accepted");
        }
    }
}
