package org.langevin.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link CpuEngineBenchmark} with the native kernel off ({@code -Dlangevin.native=false}): the Java vector paths
 * alone, measured in the same JMH run as the engine with its native kernel (1-D double-well Langevin) and the
 * scalar paths.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dlangevin.native=false"})
public class CpuEngineJavaBenchmark extends CpuEngineBenchmark {
}
