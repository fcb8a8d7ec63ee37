package org.langevin.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link CpuEngineBenchmark} in a JVM started without the vector module, as {@code java -jar} starts one: the
 * native kernels where they run (the default, stated), the scalar Java paths elsewhere. Measured in the same JMH
 * run as the engine with the module, so that their ratio is a same-run ratio.
 */
@Fork(value = 1, jvmArgsAppend = {"-Dlangevin.native=true"})
public class CpuEnginePlainBenchmark extends CpuEngineBenchmark {
    /** Refuses to measure when the fork has the vector module after all (the ratio would be meaningless). */
    @Setup(Level.Trial)
    public void withoutTheVectorModule() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            throw new IllegalStateException("CpuEnginePlainBenchmark's fork has jdk.incubator.vector; it must not");
        }
    }
}
