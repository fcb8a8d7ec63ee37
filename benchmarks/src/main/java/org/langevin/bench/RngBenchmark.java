package org.langevin.bench;

import java.util.concurrent.TimeUnit;
import org.langevin.engine.cpu.Simd;
import org.langevin.rng.NormalTransform;
import org.langevin.rng.Philox4x32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The random-number hot loops, per Philox block (ns/op is per block of four words or four normals):
 * the scalar Philox4x32-10 block and Box–Muller transform the scalar engine paths use, and the bulk
 * vector versions ({@link Simd#words}, {@link Simd#normals}) the vector paths use, over
 * {@code count} particles (score per call: divide by count for per block). Run with {@code --add-modules jdk.incubator.vector} in the forked JVM
 * (set below) so the vector paths are on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class RngBenchmark {
    /** Particles per bulk call (one block each). */
    @Param({"64", "4096"})
    public int count;

    public long seed;
    public long block;
    public int c0;
    public int particle;
    private int[] words;
    private float[] normals;
    private int[] w4;
    private float[] n4;

    @Setup
    public void setUp() {
        seed = 0x1234_5678_9ABCL;
        block = 17;
        c0 = 17;
        particle = 3;
        words = new int[4 * count];
        normals = new float[4 * count];
        w4 = new int[4];
        n4 = new float[4];
    }

    /** One scalar Philox block. */
    @Benchmark
    public int philoxBlockScalar() {
        Philox4x32.block(c0++, 0, particle, 0, (int) seed, (int) (seed >>> 32), w4, 0);
        return w4[0] ^ w4[3];
    }

    /** One scalar block turned into four normals (two Box–Muller pairs), without the Philox part. */
    @Benchmark
    public float boxMullerScalar() {
        NormalTransform.boxMuller(c0++, particle * 0x9E3779B9, n4, 0);
        NormalTransform.boxMuller(c0 * 0x85EBCA6B, c0 ^ particle, n4, 2);
        return n4[0] + n4[3];
    }

    /** Philox + Box–Muller, scalar, per block. */
    @Benchmark
    public float normal4Scalar() {
        NormalTransform.normal4(seed, particle, block++, w4, n4, 0);
        return n4[1];
    }

    /** Philox blocks of count particles, vector path; score per block. */
    @Benchmark
    public int philoxBulk() {
        Simd.words(seed, 0, block++, count, words);
        return words[count - 1];
    }

    /** Philox + Box–Muller for count particles, vector path. */
    @Benchmark
    public float normalsBulk() {
        Simd.normals(seed, 0, block++, count, normals);
        return normals[count - 1];
    }
}
