package org.langevin.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link CpuEngineBenchmark} with the vector paths and the native kernel off ({@code -Dlangevin.simd=false
 * -Dlangevin.native=false}): the scalar
 * reference that the vector paths must equal bit for bit, measured in the same JMH run so that the
 * ratio of the two is a same-run ratio.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dlangevin.simd=false", "-Dlangevin.native=false"})
public class CpuEngineScalarBenchmark extends CpuEngineBenchmark {
}
