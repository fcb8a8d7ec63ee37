#!/usr/bin/env python3
"""GPU peers of langevin's two benchmark workloads, on the same GPU, for the device kit's report:

  langevin   Euler–Maruyama on the 1-D double well L(x) = (x²−1)², dt = 0.01, σ = 1, float32, x₀ = 0
  sgd-linreg SGD on linear regression, d = 8, n = 1000 examples, batch 1 (one example drawn per particle
             and step), lr = 0.01, float32, Φ₀ = 0

each written three ways: a fused CuPy kernel (the particle's state in registers for all N steps, its own
Philox4x32-10 normals and Box–Muller, like langevin's kernels), PyTorch and JAX (one vectorised update per
step, the frameworks' own normals). A framework that does not import is reported as unavailable.

    python3 gpu_peers.py --json OUT.json [--particles 1e6,1e7] [--steps 200] [--seconds-budget 150]
    python3 gpu_peers.py --print-cupy-source     # the fused kernels' CUDA C (CI compiles it with nvcc)

Rates are particle-steps per second: the median of --repeats timed runs after one warm-up run, each
ended by a device synchronisation.
"""
import argparse
import json
import math
import sys
import time

CUPY_SOURCE = r'''
// Philox4x32-10 (Salmon et al.), counter (c0, c1, particle lo, particle hi), key (seed lo, seed hi).
__device__ __forceinline__ void philox(unsigned int c0, unsigned int c1, unsigned int c2, unsigned int c3,
                                       unsigned int k0, unsigned int k1, unsigned int out[4]) {
    for (int r = 0; r < 10; r++) {
        unsigned int hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        unsigned int hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        unsigned int n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
    }
    out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

__device__ __forceinline__ float uniform01(unsigned int u) {
    return u * 2.3283064365386963e-10f + 1.1641532182693481e-10f;
}

extern "C" __global__ void langevin_double_well(float* x, int count, int steps, float dt, float sdt,
                                                unsigned int seed) {
    for (int p = blockIdx.x * blockDim.x + threadIdx.x; p < count; p += blockDim.x * gridDim.x) {
        float v = x[p];
        unsigned int w[4];
        for (int k = 0; k < steps; k += 4) {
            philox((unsigned int)(k / 4), 0u, (unsigned int)p, 0u, seed, 0u, w);
            float z[4];
            for (int i = 0; i < 4; i += 2) {
                float r = sqrtf(-2.0f * logf(uniform01(w[i])));
                float s, c;
                sincospif(2.0f * uniform01(w[i + 1]), &s, &c);
                z[i] = r * s; z[i + 1] = r * c;
            }
            for (int i = 0; i < 4 && k + i < steps; i++) {
                v = v - dt * 4.0f * v * (v * v - 1.0f) + sdt * z[i];
            }
        }
        x[p] = v;
    }
}

extern "C" __global__ void sgd_linreg8(float* phi, int count, int steps, float lr, const float* X,
                                       const float* y, int n, unsigned int seed) {
    for (int p = blockIdx.x * blockDim.x + threadIdx.x; p < count; p += blockDim.x * gridDim.x) {
        float f[8];
        for (int j = 0; j < 8; j++) f[j] = phi[(long long)j * count + p];
        unsigned int w[4];
        for (int k = 0; k < steps; k++) {
            if ((k & 3) == 0) philox((unsigned int)(k / 4), 1u, (unsigned int)p, 0u, seed, 0u, w);
            unsigned int i = __umulhi(w[k & 3], (unsigned int)n);
            const float* xi = X + 8 * i;
            float r = -y[i];
            for (int j = 0; j < 8; j++) r += xi[j] * f[j];
            for (int j = 0; j < 8; j++) f[j] -= lr * r * xi[j];
        }
        for (int j = 0; j < 8; j++) phi[(long long)j * count + p] = f[j];
    }
}
'''

DT, SIGMA, LR, D, N = 0.01, 1.0, 0.01, 8, 1000


def timed(run, sync, repeats):
    run()
    sync()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        sync()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], times[0], times[-1]


def data(np):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((N, D), dtype=np.float32)
    y = (X @ np.ones(D, dtype=np.float32) + 0.5 * rng.standard_normal(N, dtype=np.float32)).astype(np.float32)
    return X, y


def cupy_peer(workload, p, steps, repeats):
    import cupy as cp
    import numpy as np
    mod = cp.RawModule(code=CUPY_SOURCE, options=('--std=c++14',))
    block = 256
    grid = min((p + block - 1) // block, 65535)
    if workload == 'langevin':
        f = mod.get_function('langevin_double_well')
        x = cp.zeros(p, dtype=cp.float32)
        args = (x, np.int32(p), np.int32(steps), np.float32(DT), np.float32(SIGMA * math.sqrt(DT)), np.uint32(7))
    else:
        f = mod.get_function('sgd_linreg8')
        Xh, yh = data(np)
        x = cp.zeros(D * p, dtype=cp.float32)
        args = (x, np.int32(p), np.int32(steps), np.float32(LR), cp.asarray(Xh), cp.asarray(yh), np.int32(N), np.uint32(7))
    return timed(lambda: f((grid,), (block,), args), cp.cuda.Device().synchronize, repeats), 'cupy ' + cp.__version__


def torch_peer(workload, p, steps, repeats):
    import torch
    import numpy as np
    dev = torch.device('cuda')
    g = torch.Generator(device=dev)
    g.manual_seed(7)
    if workload == 'langevin':
        x = torch.zeros(p, dtype=torch.float32, device=dev)
        noise = torch.empty_like(x)
        sdt = SIGMA * math.sqrt(DT)

        def run():
            for _ in range(steps):
                x.sub_(DT * 4.0 * x * (x * x - 1.0))
                x.add_(noise.normal_(generator=g), alpha=sdt)
    else:
        Xh, yh = data(np)
        X = torch.as_tensor(Xh, device=dev)
        y = torch.as_tensor(yh, device=dev)
        phi = torch.zeros((p, D), dtype=torch.float32, device=dev)

        def run():
            for _ in range(steps):
                idx = torch.randint(0, N, (p,), device=dev, generator=g)
                xi = X[idx]
                r = (xi * phi).sum(dim=1) - y[idx]
                phi.sub_(LR * xi * r[:, None])
    return timed(run, torch.cuda.synchronize, repeats), 'torch ' + torch.__version__


def jax_peer(workload, p, steps, repeats):
    import jax
    import jax.numpy as jnp
    import numpy as np
    key = jax.random.PRNGKey(7)
    if workload == 'langevin':
        sdt = SIGMA * math.sqrt(DT)

        @jax.jit
        def run_all(x, key):
            def body(i, c):
                x, key = c
                key, sub = jax.random.split(key)
                x = x - DT * 4.0 * x * (x * x - 1.0) + sdt * jax.random.normal(sub, x.shape, jnp.float32)
                return x, key
            return jax.lax.fori_loop(0, steps, body, (x, key))[0]
        state = jnp.zeros(p, jnp.float32)
        out = [None]
        run = lambda: out.__setitem__(0, run_all(state, key))
    else:
        Xh, yh = data(np)
        X = jnp.asarray(Xh)
        y = jnp.asarray(yh)

        @jax.jit
        def run_all(phi, key):
            def body(i, c):
                phi, key = c
                key, sub = jax.random.split(key)
                idx = jax.random.randint(sub, (p,), 0, N)
                xi = X[idx]
                r = jnp.sum(xi * phi, axis=1) - y[idx]
                return phi - LR * xi * r[:, None], key
            return jax.lax.fori_loop(0, steps, body, (phi, key))[0]
        state = jnp.zeros((p, D), jnp.float32)
        out = [None]
        run = lambda: out.__setitem__(0, run_all(state, key))
    return timed(run, lambda: out[0].block_until_ready(), repeats), 'jax ' + jax.__version__


PEERS = {'cupy-fused': cupy_peer, 'pytorch': torch_peer, 'jax': jax_peer}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--json', help='write the rows here')
    ap.add_argument('--particles', default='1e6,1e7')
    ap.add_argument('--steps', type=int, default=200)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--seconds-budget', type=float, default=150.0,
                    help='stop starting new points after this many seconds')
    ap.add_argument('--print-cupy-source', action='store_true')
    a = ap.parse_args()
    if a.print_cupy_source:
        print(CUPY_SOURCE)
        return 0
    start = time.perf_counter()
    rows = []
    for workload in ('langevin', 'sgd-linreg'):
        for ptext in a.particles.split(','):
            p = int(float(ptext))
            for name, peer in PEERS.items():
                row = {'peer': name, 'workload': workload, 'particles': p, 'steps': a.steps}
                if time.perf_counter() - start > a.seconds_budget:
                    row['status'] = 'skipped: the time budget of %.0f s was spent' % a.seconds_budget
                else:
                    try:
                        (med, lo, hi), version = peer(workload, p, a.steps, a.repeats)
                        row.update(status='ok', version=version, seconds_median=med,
                                   particle_steps_per_second=p * a.steps / med,
                                   slowest=p * a.steps / hi, fastest=p * a.steps / lo)
                    except ImportError as e:
                        row['status'] = 'unavailable: %s' % e
                    except Exception as e:  # a peer's failure is reported, not fatal
                        row['status'] = 'failed: %s: %s' % (type(e).__name__, str(e).splitlines()[0] if str(e) else '')
                rows.append(row)
                rate = row.get('particle_steps_per_second')
                print('%-11s %-10s P=%-9d %s' % (name, workload, p,
                      '%.1f M particle-steps/s' % (rate / 1e6) if rate else row['status']), flush=True)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
