#!/usr/bin/env python3
"""NumPy peer of the CPU engine's Langevin benchmarks: vectorised Euler–Maruyama on the 1-D double
well L(x) = (x²−1)², float32 state, one thread, noise from numpy.random.default_rng().standard_normal;
in d dimensions (--dim) the double well summed over coordinates or the quadratic ½(x−m)ᵀA(x−m) with a
dense A (one (P, d) @ (d, d) product a step); Langevin on full-batch logistic regression (n = max(30, 4d)
examples, default d = 2: one (P, d) @ (d, n) product, a sigmoid and a (P, n) @ (n, d) product a step); SGD on
linear regression and on logistic regression (n = 1000, one example per particle per step).

    python3 benchmarks/numpy_peer.py --particles 1000000 --steps 200 [--json]
    python3 benchmarks/numpy_peer.py --workload langevin-quadratic --dim 8 --particles 1000000 --steps 20

Prints particle-steps per second (median of --repeats runs after one warm-up run).
"""
import argparse
import json
import time

import numpy as np


def langevin_double_well(x, steps, dt, sigma, rng, noise):
    sdt = np.float32(sigma * np.sqrt(dt))
    dt32 = np.float32(dt)
    g = np.empty_like(x)
    for _ in range(steps):
        # g = 4 x (x² − 1)
        np.multiply(x, x, out=g)
        g -= np.float32(1.0)
        g *= x
        g *= np.float32(4.0) * dt32
        x -= g
        rng.standard_normal(out=noise, dtype=np.float32)
        noise *= sdt
        x += noise
    return x


def langevin_d(x, steps, dt, sigma, rng, noise, a=None, m=None):
    """x has shape (P, d): the double well per coordinate (a None) or the quadratic with matrix a, centre m."""
    sdt = np.float32(sigma * np.sqrt(dt))
    dt32 = np.float32(dt)
    g = np.empty_like(x)
    for _ in range(steps):
        if a is None:
            np.multiply(x, x, out=g)
            g -= np.float32(1.0)
            g *= x
            g *= np.float32(4.0) * dt32
        else:
            np.matmul(x - m, a, out=g)   # A symmetric: (x − m) A = (A (x − m))ᵀ per particle
            g *= dt32
        x -= g
        rng.standard_normal(out=noise, dtype=np.float32)
        noise *= sdt
        x += noise
    return x


def langevin_logistic(w, X, y, steps, dt, sigma, rng, noise):
    """w has shape (P, d); the gradient of (1/n) Σ log(1 + exp(−y_i x_i·w)) over all n examples each step."""
    n = X.shape[0]
    sdt = np.float32(sigma * np.sqrt(dt))
    coef = (-y / np.float32(n)).astype(np.float32)      # the −y_i/n of each example's term
    Xt = np.ascontiguousarray(X.T)
    z = np.empty((w.shape[0], n), dtype=np.float32)
    for _ in range(steps):
        np.matmul(w, Xt, out=z)                       # z_pi = x_i·w_p
        z *= y                                         # y_i z
        np.exp(z, out=z)
        z += np.float32(1.0)
        np.reciprocal(z, out=z)                        # s = 1/(1 + exp(y z))
        z *= coef
        g = z @ X                                      # (P, d): Σ_i (−y_i s_pi / n) x_i
        g *= np.float32(dt)
        w -= g
        rng.standard_normal(out=noise, dtype=np.float32)
        noise *= sdt
        w += noise
    return w


def sgd_linreg(phi, X, y, steps, lr, rng, batch=1):
    """Vectorised SGD on linear regression: phi has shape (P, d); one example per particle per step."""
    n, d = X.shape
    P = phi.shape[0]
    for _ in range(steps):
        idx = rng.integers(0, n, size=P)
        xi = X[idx]                                   # (P, d)
        r = np.einsum('pd,pd->p', xi, phi) - y[idx]   # residuals
        phi -= np.float32(lr) * (xi * r[:, None])
    return phi


def sgd_logistic(phi, X, y, steps, lr, rng):
    """Vectorised SGD on logistic regression, one example per particle per step."""
    n, d = X.shape
    P = phi.shape[0]
    for _ in range(steps):
        idx = rng.integers(0, n, size=P)
        xi = X[idx]
        yi = y[idx]
        z = np.einsum('pd,pd->p', xi, phi) * yi
        s = np.float32(1.0) / (np.float32(1.0) + np.exp(z))
        phi -= np.float32(lr) * (xi * (-yi * s)[:, None])
    return phi


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--workload', default='langevin',
                    choices=['langevin', 'langevin-double-well', 'langevin-quadratic', 'langevin-logistic',
                             'sgd-linreg', 'sgd-logistic'])
    ap.add_argument('--dim', type=int, default=None,
                    help='d (default 1; 2 for langevin-logistic, 8 for sgd-linreg, as the benchmarks in RESULTS.md)')
    ap.add_argument('--particles', type=int, default=1_000_000)
    ap.add_argument('--steps', type=int, default=100)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    if a.dim is None:
        a.dim = {'langevin-logistic': 2, 'sgd-linreg': 8}.get(a.workload, 1)
    rng = np.random.default_rng(1)
    times = []
    for r in range(a.repeats + 1):
        if a.workload in ('langevin-double-well', 'langevin-quadratic'):
            x = np.zeros((a.particles, a.dim), dtype=np.float32)
            noise = np.empty_like(x)
            mat = cen = None
            if a.workload == 'langevin-quadratic':
                j = np.arange(a.dim)
                mat = (0.3 / (1 + np.abs(j[:, None] - j[None, :]))).astype(np.float32)
                mat[j, j] = (2.0 + 0.25 * j).astype(np.float32)
                cen = (0.2 * j - 0.4).astype(np.float32)
            t0 = time.perf_counter()
            langevin_d(x, a.steps, 0.01, 1.0, rng, noise, mat, cen)
        elif a.workload == 'langevin-logistic':
            d, n = a.dim, max(30, 4 * a.dim)   # as ThroughputMeter's: fewer than about 2d examples are separable
            X = rng.standard_normal((n, d), dtype=np.float32)
            y = np.where(X @ np.ones(d, dtype=np.float32) + 0.5 * rng.standard_normal(n, dtype=np.float32) > 0,
                         1.0, -1.0).astype(np.float32)
            w = np.zeros((a.particles, d), dtype=np.float32)
            noise = np.empty_like(w)
            t0 = time.perf_counter()
            langevin_logistic(w, X, y, a.steps, 0.01, 1.0, rng, noise)
        elif a.workload == 'langevin':
            x = np.zeros(a.particles, dtype=np.float32)
            noise = np.empty_like(x)
            t0 = time.perf_counter()
            langevin_double_well(x, a.steps, 0.01, 1.0, rng, noise)
        elif a.workload == 'sgd-logistic':
            d, n = a.dim, 1000
            X = rng.standard_normal((n, d), dtype=np.float32)
            y = np.where(X @ np.ones(d, dtype=np.float32) + 0.5 * rng.standard_normal(n, dtype=np.float32) > 0,
                         1.0, -1.0).astype(np.float32)
            phi = np.zeros((a.particles, d), dtype=np.float32)
            t0 = time.perf_counter()
            sgd_logistic(phi, X, y, a.steps, 0.1, rng)
        else:
            d, n = a.dim, 1000
            X = rng.standard_normal((n, d), dtype=np.float32)
            y = (X @ np.ones(d, dtype=np.float32) + 0.5 * rng.standard_normal(n, dtype=np.float32)).astype(np.float32)
            phi = np.zeros((a.particles, d), dtype=np.float32)
            t0 = time.perf_counter()
            sgd_linreg(phi, X, y, a.steps, 0.01, rng)
        dt = time.perf_counter() - t0
        if r > 0:
            times.append(dt)
    times.sort()
    med = times[len(times) // 2]
    rate = a.particles * a.steps / med
    out = {'workload': a.workload, 'dim': a.dim, 'particles': a.particles, 'steps': a.steps,
           'seconds_median': med, 'particle_steps_per_second': rate, 'numpy': np.__version__}
    print(json.dumps(out) if a.json else f"numpy {a.workload}: {rate / 1e6:.1f} M particle-steps/s "
          f"(P={a.particles}, N={a.steps}, median of {a.repeats})")


if __name__ == '__main__':
    main()
