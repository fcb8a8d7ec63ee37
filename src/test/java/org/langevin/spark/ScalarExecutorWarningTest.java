package org.langevin.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A task on an executor without the vector module reports "cpu-scalar", and the driver then warns with the fix. */
class ScalarExecutorWarningTest {
    @Test
    void scalarExecutorsAreNamedAndWarnedAbout() {
        assertEquals("cpu", ExecutorEngines.cpuDevice(true));
        assertEquals("cpu-scalar", ExecutorEngines.cpuDevice(false));
        assertNull(SparkSample.scalarWarning(Set.of("cpu", "gpu:0")));
        String w = SparkSample.scalarWarning(Set.of("cpu", "cpu-scalar"));
        assertTrue(w != null && w.contains("spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector"), w);
    }
}
