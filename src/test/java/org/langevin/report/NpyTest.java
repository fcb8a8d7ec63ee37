package org.langevin.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    private static float[][] sample(int p, int d) {
        float[][] x = new float[d][p];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < p; i++) {
                x[j][i] = i * 0.25f - j * 1000.5f;
            }
        }
        x[0][p - 1] = Float.NaN;
        x[d - 1][0] = -0.0f;
        return x;
    }

    @Test
    void headerIsExactlyVersion10WithDataAlignedTo64() {
        byte[] h = NpyWriter.header(100_000_000L, 3);
        assertEquals(0, h.length % 64);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0},
                Arrays.copyOf(h, 8));
        int headerLen = (h[8] & 0xff) | (h[9] & 0xff) << 8;
        assertEquals(h.length - 10, headerLen);
        String dict = new String(h, 10, headerLen, StandardCharsets.US_ASCII);
        String expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000000, 3), }";
        assertEquals(expected, dict.substring(0, expected.length()));
        assertEquals(" ".repeat(headerLen - expected.length() - 1) + "\n", dict.substring(expected.length()));
        // the smallest case: 10 + 62 + 1 = 73 bytes unpadded, so 128 in all
        assertEquals(128, NpyWriter.header(1, 1).length);
    }

    @Test
    void roundTripIsBitExactAndTransposed() throws IOException {
        int p = 300_001; // more than one transposition buffer for d = 3
        float[][] x = sample(p, 3);
        Path f = dir.resolve("particles.npy");
        NpyWriter.write(f, x);
        assertEquals(NpyWriter.header(p, 3).length + 12L * p, Files.size(f));
        // C order: particle 1 coordinate 2 sits at data offset (1·3 + 2)·4
        byte[] all = Files.readAllBytes(f);
        int off = NpyWriter.header(p, 3).length;
        ByteBuffer b = ByteBuffer.wrap(all, off + 5 * 4, 4).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(x[2][1], b.getFloat());
        NpyReader.Header h = NpyReader.readHeader(f);
        assertEquals(p, h.rows());
        assertEquals(3, h.cols());
        float[][] y = NpyReader.read(f);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < p; i++) {
                assertEquals(Float.floatToRawIntBits(x[j][i]), Float.floatToRawIntBits(y[j][i]));
            }
        }
        Files.write(f, Arrays.copyOf(all, all.length - 1));
        assertThrows(IOException.class, () -> NpyReader.read(f));
    }

    /** Loads the file with NumPy; skipped (only this check) when python3 with numpy is missing. */
    @Test
    void numpyLoadsTheFile() throws Exception {
        assumeTrue(numpyAvailable(), "python3 with numpy is not installed");
        float[][] x = sample(1000, 2);
        Path f = dir.resolve("particles.npy");
        NpyWriter.write(f, x);
        String script = "import numpy as np, sys\n"
                + "a = np.load(sys.argv[1])\n"
                + "assert a.dtype == np.float32 and a.shape == (1000, 2) and a.flags['C_CONTIGUOUS'], a.shape\n"
                + "assert a[3, 1] == np.float32(3 * 0.25 - 1000.5), a[3, 1]\n"
                + "assert np.isnan(a[999, 0]) and not np.isnan(a[999, 1])\n"
                + "assert np.signbit(a[0, 1]) and a[0, 1] == 0\n"
                + "print(repr(float(a[1:, 1].sum())))\n";
        Process proc = new ProcessBuilder("python3", "-c", script, f.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(true, proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), out);
        double expected = 0;
        for (int i = 1; i < 1000; i++) {
            expected += x[1][i];
        }
        // numpy sums float32 pairwise in float32: a few ulps of the sum (~1e5) apart from the double sum
        assertEquals(expected, Double.parseDouble(out), 0.1);
    }

    private static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder(List.of("python3", "-c", "import numpy")).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
