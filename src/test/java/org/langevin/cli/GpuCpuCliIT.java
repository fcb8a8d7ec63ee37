package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.langevin.engine.cuda.GpuTests;

/**
 * For every dynamics and loss, d = 1 and d &gt; 1, and user models under each dynamics that runs them,
 * {@code sample --backend gpu --save-particles} and
 * {@code sample --backend cpu --save-particles} with the same arguments write byte-identical
 * particles.npy: the GPU engine end to end (JCuda, the PTX's entry points and parameter lists, the
 * launches), in {@code mvn verify} against the stand-in CUDA driver.
 */
class GpuCpuCliIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {
        "--dynamics brownian --dim 1 --sigma 0.7",
        "--dynamics brownian --dim 3 --sigma 0.7",
        "--dynamics gradient-flow --loss double-well --dim 1 --init normal:0,1",
        "--dynamics gradient-flow --loss quadratic --dim 2 --quadratic-matrix 2,0.5;0.5,1 --quadratic-center 1,-1 --init normal:0,1",
        "--dynamics gradient-flow --loss double-well --dim 2 --init normal:0,1",
        "--dynamics gradient-flow --loss linreg --synthetic n=40,d=3,seed=1 --init normal:0,1",
        "--dynamics gradient-flow --loss logistic --synthetic n=40,d=2,seed=1 --prior-variance 2 --init normal:0,1",
        "--dynamics langevin --loss quadratic --dim 2 --quadratic-matrix 2,0.5;0.5,1 --sigma 0.5",
        "--dynamics langevin --loss double-well --dim 1 --sigma 0.8 --average --burn-in 10",
        "--dynamics langevin --loss linreg --synthetic n=40,d=2,seed=1 --prior-variance 3 --posterior-temperature --dt 0.005",
        "--dynamics langevin --loss logistic --synthetic n=40,d=2,seed=1 --prior-variance 2 --sigma 0.3",
        "--dynamics sgd --loss linreg --synthetic n=40,d=3,seed=1 --lr 0.05 --batch 4 --sampling without-replacement",
        "--dynamics sgd --loss logistic --synthetic n=40,d=2,seed=1 --prior-variance 2 --lr 0.2 --preconditioner rmsprop",
        "--dynamics sgd --loss quadratic --dim 2 --synthetic n=30,d=2,seed=2 --lr 0.1 --preconditioner inverse-noise",
        "--dynamics sgd --loss double-well --dim 1 --synthetic n=30,d=1,seed=2 --lr 0.02 --lr-schedule step:0.5@20,40",
        "--dynamics sgd-sde --loss linreg --synthetic n=40,d=2,seed=1 --lr 0.05 --dt 0.05 --sde-noise state",
        "--dynamics sgd-sde --loss logistic --synthetic n=40,d=2,seed=1 --prior-variance 2 --lr 0.1 --dt 0.05",
        "--dynamics sgd-sde --loss double-well --dim 1 --synthetic n=30,d=1,seed=2 --lr 0.05 --dt 0.02",
        // user models: their CUDA kernel compiled at run time (NVRTC or nvcc)
        "--dynamics sde --model examples/ou.model --dt 0.1",
        "--dynamics sde --model examples/gbm.model --init 1,2 --dt 0.02",
        "--dynamics langevin --model double-well --sigma 0.8 --average --burn-in 10",
        "--dynamics gradient-flow --model rosenbrock --init normal:0,1 --dt 0.001",
        "--dynamics sgd --model examples/student.model --synthetic n=200,d=2,seed=1 --init normal:0,1 --lr 0.05 --batch 8",
        // auxiliary state (aux.npy compared too): optimisers and underdamped Langevin
        "--dynamics sgd --model linreg --synthetic n=100,d=8,seed=1 --lr 0.01 --optimizer adam:b1=0.9,b2=0.999,eps=1e-8",
        "--dynamics sgd --model linreg --synthetic n=100,d=8,seed=1 --lr 0.01 --optimizer nesterov:0.9 --batch 4",
        "--dynamics underdamped --model double-well --integrator baoab --friction 1 --sigma 1 --dt 0.05",
    })
    void gpuEqualsCpu(String args) throws Exception {
        GpuTests.requireGpu("sample --backend gpu = cpu: " + args);
        byte[] cpu = run("cpu", args);
        byte[] gpu = run("gpu", args);
        assertArrayEquals(cpu, gpu, args);
    }

    @org.junit.jupiter.api.Test
    void chosenDevicesGiveTheCpuBytes() throws Exception {
        GpuTests.requireGpu("sample --backend gpu --devices");
        int n = org.langevin.engine.cuda.CudaProbe.probe().devices().size();
        org.junit.jupiter.api.Assumptions.assumeTrue(n >= 2, "needs two GPUs, this machine has " + n);
        String args = "--dynamics langevin --loss double-well --dim 2 --sigma 0.8 --particles 9000 --average";
        byte[] cpu = run("cpu", args);
        assertArrayEquals(cpu, run("gpu", args + " --devices 0," + (n - 1)), "two devices");
        assertArrayEquals(cpu, run("gpu", args + " --devices " + (n - 1)), "one device");
        Cli.Outcome bad = Cli.run("sample", "--backend", "cpu", "--devices", "0", "--out", tmp.resolve("bad").toString());
        assertTrue(bad.code() != 0 && bad.err().contains("--devices"), bad.err());
    }

    @org.junit.jupiter.api.Test
    void curandNoiseReproducesAndResumesWithoutRepeating() throws Exception {
        GpuTests.requireGpu("sample --noise curand, resumed");
        String args = "--dynamics sgd-sde --loss linreg --synthetic n=40,d=3,seed=1 --lr 0.05 --dt 0.05 --noise curand --particles 9001";
        byte[] whole = run("gpu", args);
        assertArrayEquals(whole, run("gpu", args), "a fixed seed reproduces the bytes");
        Path dir = tmp.resolve("resumed");
        List<String> half = new ArrayList<>(List.of("sample", "--backend", "gpu", "--steps", "30", "--seed", "99",
                "--save-particles", "--out", dir.toString()));
        half.addAll(List.of(args.split(" ")));
        Cli.Outcome first = Cli.run(half);
        assertEquals(0, first.code(), first.err());
        byte[] atHalf = Files.readAllBytes(dir.resolve("particles.npy"));
        Cli.Outcome second = Cli.run("sample", "--resume", dir.toString(), "--steps", "60");
        assertEquals(0, second.code(), second.err());
        byte[] resumed = Files.readAllBytes(dir.resolve("particles.npy"));
        assertArrayEquals(whole, resumed, "resumed at step 30 = uninterrupted");
        assertTrue(!java.util.Arrays.equals(atHalf, resumed), "the second segment moved the particles");
        String fusedArgs = args.replace(" --noise curand", "");
        assertTrue(!java.util.Arrays.equals(whole, run("gpu", fusedArgs)), "cuRAND and fused noise are different streams");
    }

    byte[] run(String backend, String args) throws Exception {
        Path out = tmp.resolve(backend);
        List<String> a = new ArrayList<>(List.of("sample", "--backend", backend, "--steps", "60",
                "--seed", "99", "--save-particles", "--force", "--out", out.toString()));
        if (!args.contains("--particles")) {
            a.addAll(List.of("--particles", "4099"));
        }
        a.addAll(List.of(args.split(" ")));
        Cli.Outcome o = Cli.run(a);
        assertEquals(0, o.code(), o.err());
        if (backend.equals("gpu")) {
            assertTrue(Files.readString(out.resolve("results.json")).contains("\"gpu\""), "results.json names the gpu backend");
        }
        byte[] p = Files.readAllBytes(out.resolve("particles.npy"));
        Path aux = out.resolve("aux.npy");
        if (!Files.exists(aux)) {
            return p;
        }
        byte[] rows = Files.readAllBytes(aux);
        byte[] both = java.util.Arrays.copyOf(p, p.length + rows.length);
        System.arraycopy(rows, 0, both, p.length, rows.length);
        return both;
    }
}
