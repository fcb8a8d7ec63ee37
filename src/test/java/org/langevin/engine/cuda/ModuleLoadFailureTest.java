package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The message of a failed module load, as a function of (error, driver version, PTX ISA, JIT logs):
 * "PTX newer than the driver" only when the driver is older than the PTX needs, the JIT's log always.
 */
class ModuleLoadFailureTest {
    private static final String CALL = "cuModuleLoadDataEx(PTX .version 7.0 (drivers for CUDA 11.0 or newer) from nvcc "
            + "release 13.0, 10 entry points)";
    /** What ptxas 11.8 writes when it crashes on inline line info (the shape of it). */
    private static final String CRASH_LOG = "ptxas application ptx input, line 2104; fatal   : Internal error: "
            + "unexpected inlined_at\n";

    private static ModuleLoadFailure failure(String error, String driver, String errorLog, String infoLog) {
        return new ModuleLoadFailure(error, driver, "7.0", "11.0", "13.0", errorLog, infoLog);
    }

    @Test
    void anInvalidPtxOnANewEnoughDriverIsTheJitsFailureWithItsLog() {
        for (String error : new String[] {"CUDA_ERROR_INVALID_PTX", "CUDA_ERROR_NO_BINARY_FOR_GPU"}) {
            ModuleLoadFailure f = failure(error, "11.8", CRASH_LOG, "");
            assertTrue(f.ptxRejected());
            assertFalse(f.driverOlderThanPtx());
            assertEquals("the driver's JIT rejected the PTX (" + error + ")", f.shortReason());
            assertEquals("the driver (CUDA 11.8, cuDriverGetVersion) failed to compile the kernels' PTX (.version 7.0, "
                    + "drivers for CUDA 11.0 or newer; from nvcc release 13.0): " + error + " (the driver is new enough "
                    + "for this PTX version, so this is the JIT compiler's own failure, see its log)\nJIT error log:\n"
                    + CRASH_LOG.strip(), f.detail());
            assertFalse(f.detail().contains("newer than the driver"), f.detail());
            RuntimeException e = f.toException(CALL, null);
            GpuUnavailableException g = assertInstanceOf(GpuUnavailableException.class, e);
            assertEquals("gpu backend unavailable: " + f.detail(), g.getMessage());
            assertEquals(f.shortReason(), g.shortReason());
        }
    }

    @Test
    void saysPtxNewerThanTheDriverOnlyWhenTheDriverIsOlder() {
        for (String driver : new String[] {"10.2", "9.0", "10.10"}) {
            ModuleLoadFailure f = failure("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", driver, "", null);
            assertTrue(f.driverOlderThanPtx(), driver);
            assertEquals("PTX newer than the driver", f.shortReason());
            assertEquals("the driver (CUDA " + driver + ", cuDriverGetVersion) is older than the kernels' PTX (.version "
                    + "7.0, drivers for CUDA 11.0 or newer; from nvcc release 13.0) needs and cannot load it: "
                    + "CUDA_ERROR_UNSUPPORTED_PTX_VERSION; install an NVIDIA driver for CUDA 11.0 or newer; the JIT wrote "
                    + "no error log", f.detail());
        }
        for (String driver : new String[] {"11.0", "11.8", "12.4", "13.0", "100.0"}) {
            ModuleLoadFailure f = failure("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", driver, "", null);
            assertFalse(f.driverOlderThanPtx(), driver);
            assertFalse(f.shortReason().contains("newer than the driver"), f.shortReason());
            assertFalse(f.detail().contains("older than"), f.detail());
        }
    }

    @Test
    void anUnknownVersionNeverClaimsTheDriverIsOlder() {
        ModuleLoadFailure noDriver = failure("CUDA_ERROR_INVALID_PTX", null, "", "");
        assertFalse(noDriver.driverOlderThanPtx());
        assertEquals("the driver (CUDA version unknown) failed to compile the kernels' PTX (.version 7.0, drivers for "
                + "CUDA 11.0 or newer; from nvcc release 13.0): CUDA_ERROR_INVALID_PTX; the JIT wrote no error log",
                noDriver.detail());
        ModuleLoadFailure unknownIsa = new ModuleLoadFailure("CUDA_ERROR_INVALID_PTX", "10.2", "9.9", "unknown", "unknown",
                null, null);
        assertFalse(unknownIsa.driverOlderThanPtx());
        assertEquals("the driver's JIT rejected the PTX (CUDA_ERROR_INVALID_PTX)", unknownIsa.shortReason());
    }

    @Test
    void otherErrorsStayCudaExceptionsWithTheLogs() {
        CudaException cause = new CudaException(CALL, "CUDA_ERROR_OUT_OF_MEMORY", null);
        ModuleLoadFailure f = failure("CUDA_ERROR_OUT_OF_MEMORY", "10.2", "", "ptxas info    : 0 bytes gmem\n");
        assertFalse(f.ptxRejected());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", f.shortReason(), "an old driver is not blamed for a non-PTX error");
        RuntimeException e = f.toException(CALL, cause);
        CudaException c = assertInstanceOf(CudaException.class, e);
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", c.errorName());
        assertEquals(CALL + " failed: CUDA_ERROR_OUT_OF_MEMORY\nJIT info log:\nptxas info    : 0 bytes gmem", c.getMessage());
        assertSame(cause, c.getCause());
    }

    @Test
    void bothLogsAreIncludedAndLongOnesTrimmed() {
        String longLog = "e".repeat(ModuleLoadFailure.MAX_LOG_CHARS + 10);
        ModuleLoadFailure f = failure("CUDA_ERROR_INVALID_PTX", "12.2", longLog, "  info line  \n");
        String d = f.detail();
        assertTrue(d.contains("\nJIT error log:\n" + "e".repeat(ModuleLoadFailure.MAX_LOG_CHARS) + "\n... (10 more characters)"),
                d);
        assertTrue(d.endsWith("\nJIT info log:\ninfo line"), d);
    }
}
