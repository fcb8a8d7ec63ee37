package org.langevin.check;

import java.nio.charset.StandardCharsets;

/** Derives independent seeds from a base seed and a label (SplitMix64 finaliser). Thread-safe. */
public final class Seeds {
    private Seeds() {
    }

    /**
     * Folds the label's UTF-8 bytes into the base one by one (xor, then the SplitMix64 finaliser), then
     * finalises once more after adding the golden-ratio increment.
     *
     * @param base the run's base seed
     * @param label names the purpose of the seed (e.g. "ou-exact/em")
     * @return a well-mixed 64-bit seed for (base, label), the same on every call
     */
    public static long derive(long base, String label) {
        long h = base;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xff));
        }
        return mix(h + 0x9E3779B97F4A7C15L);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
