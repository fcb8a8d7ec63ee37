/*
 * The machine's limit for the CPU engine's arithmetic on every workload of `langevin bench` (benchmarks/matrix.sh):
 * a C program that calls the engine's own native kernel (kernels/lv_cpu.c, linked in) on all its particles, one
 * contiguous range a thread, the whole run in one call: no JVM, no copies in and out of native memory, no
 * segments. What the engine reaches of this program's throughput is what its Java side costs.
 *
 * The workloads are bench's, of the same shape (ThroughputMeter): Langevin (σ = 1, Δt = 0.01) on the double well,
 * on a dense quadratic and on full-batch logistic regression (n = max(30, 4d)); SGD (B = 1, n = 1000) on linear
 * (η = 0.01) and logistic (η = 0.1) regression. The problem's numbers (A, m, the training set) are this program's
 * own deterministic ones of the same sizes, not bench's: the operations per particle-step are the same, the
 * particles' values are not compared (benchmarks/c-peer/langevin_dw.c is the bit-for-bit peer of the 1-D double
 * well, CPeerBitsTest).
 *
 *   langevin_gen --workload W --dim D -p P [-n STEPS] [-t THREADS] [-r REPS] [--json]
 *
 * Without -n the steps are calibrated: doubled from 4 until one run takes at least 0.3 s. Prints the best of
 * REPS runs (default 3).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int lv_cpu_advance(float *xs, int64_t count, int64_t base, int64_t first, int64_t steps, int64_t seed, int32_t dynamics,
        int32_t loss, int32_t d, int32_t n, int32_t prior, float dt, float noiseScale, float priorCoef, const float *a,
        const float *b, const float *xd, const float *yd, const float *chol, double *avg, int64_t burnIn, float invS2,
        int32_t stateNoise);
int lv_cpu_sgd_advance(float *xs, int64_t count, int64_t base, int64_t first, int64_t steps, int64_t seed, int32_t loss,
        int32_t d, int32_t n, int32_t batch, int32_t distinct, int32_t precond, int32_t prior, float lr, float invS2,
        float priorCoef, const float *a, const float *b, const float *xd, const float *yd, const float *xbar,
        const float *prec, double *avg, int64_t burnIn);

enum { DYN_LANGEVIN = 2, LOSS_QUADRATIC = 1, LOSS_DOUBLE_WELL = 2, LOSS_LINREG = 3, LOSS_LOGISTIC = 4 };

typedef struct {
    int sgd, loss, d, n;
    float dt, ns, lr;
    float *a, *b, *xd, *yd, *xbar;
} Problem;

typedef struct {
    const Problem *q;
    float *xs;
    int64_t count, base, steps;
    int rc;
} Job;

static void *job_main(void *arg) {
    Job *j = arg;
    const Problem *q = j->q;
    if (q->sgd) {
        j->rc = lv_cpu_sgd_advance(j->xs, j->count, j->base, 0, j->steps, 1, q->loss, q->d, q->n, 1, 0, 0, 0, q->lr,
                1.0f, 0.0f, NULL, NULL, q->xd, q->yd, q->xbar, NULL, NULL, 0);
    } else {
        j->rc = lv_cpu_advance(j->xs, j->count, j->base, 0, j->steps, 1, DYN_LANGEVIN, q->loss, q->d, q->n, 0, q->dt,
                q->ns, 0.0f, q->a, q->b, q->xd, q->yd, NULL, NULL, 0, 1.0f, 0);
    }
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* one run of `steps` steps from x0 (copied into the threads' ranges); returns the seconds, or −1 */
static double run(const Problem *q, const float *x0, float **xs, int64_t p, int threads, int64_t steps) {
    Job jobs[256];
    pthread_t tid[256];
    for (int t = 0; t < threads; t++) {
        int64_t lo = p * t / threads, hi = p * (t + 1) / threads;
        for (int j = 0; j < q->d; j++) {
            memcpy(xs[t] + (size_t) j * (size_t) (hi - lo), x0, sizeof(float) * (size_t) (hi - lo));
        }
        jobs[t] = (Job) {q, xs[t], hi - lo, lo, steps, 0};
    }
    double t0 = now();
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, job_main, &jobs[t]) != 0) {
            fprintf(stderr, "langevin_gen: pthread_create failed\n");
            exit(1);
        }
    }
    job_main(&jobs[0]);
    for (int t = 1; t < threads; t++) {
        pthread_join(tid[t], NULL);
    }
    double s = now() - t0;
    for (int t = 0; t < threads; t++) {
        if (jobs[t].rc != 0) {
            return -1;
        }
    }
    return s;
}

/* a deterministic uniform in [−1, 1) */
static float unit(uint64_t *s) {
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float) ((double) (*s >> 40) / (double) (1ULL << 23) - 1.0);
}

static void usage(void) {
    fprintf(stderr, "usage: langevin_gen --workload langevin|langevin-quadratic|langevin-logistic|sgd|sgd-logistic "
            "--dim D -p P [-n STEPS] [-t THREADS] [-r REPS] [--json]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *w = NULL;
    int d = 1, threads = 1, reps = 3, json = 0;
    int64_t p = 1000000, steps = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--json")) {
            json = 1;
            continue;
        }
        if (v == NULL) {
            usage();
        }
        i++;
        if (!strcmp(a, "--workload")) {
            w = v;
        } else if (!strcmp(a, "--dim")) {
            d = atoi(v);
        } else if (!strcmp(a, "-p")) {
            p = (int64_t) strtod(v, NULL);
        } else if (!strcmp(a, "-n")) {
            steps = (int64_t) strtod(v, NULL);
        } else if (!strcmp(a, "-t")) {
            threads = atoi(v);
        } else if (!strcmp(a, "-r")) {
            reps = atoi(v);
        } else {
            usage();
        }
    }
    if (w == NULL || d < 1 || d > 64 || p < 1 || threads < 1 || threads > 256 || reps < 1 || steps < 0) {
        usage();
    }
    Problem q = {0};
    q.d = d;
    q.dt = 0.01f;
    q.ns = (float) sqrt(0.01); /* the engine's noise scale σ·√Δt, σ = 1 */
    uint64_t seed = 12345;
    if (!strcmp(w, "langevin")) {
        q.loss = LOSS_DOUBLE_WELL;
    } else if (!strcmp(w, "langevin-quadratic")) {
        /* dense, symmetric, diagonally dominant: eigenvalues in [1, 3] */
        q.loss = LOSS_QUADRATIC;
        q.a = calloc((size_t) d * (size_t) d, sizeof(float));
        q.b = calloc((size_t) d, sizeof(float));
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                q.a[j * d + k] = j == k ? 2.0f : 1.0f / (float) (d * (1 + abs(j - k)));
            }
            q.b[j] = 0.1f * (float) j;
        }
    } else if (!strcmp(w, "langevin-logistic") || !strcmp(w, "sgd-logistic") || !strcmp(w, "sgd")) {
        q.sgd = strcmp(w, "langevin-logistic") != 0;
        q.loss = strcmp(w, "sgd") == 0 ? LOSS_LINREG : LOSS_LOGISTIC;
        q.n = q.sgd ? 1000 : (4 * d > 30 ? 4 * d : 30);
        q.lr = q.loss == LOSS_LINREG ? 0.01f : 0.1f;
        q.xd = malloc(sizeof(float) * (size_t) q.n * (size_t) d);
        q.yd = malloc(sizeof(float) * (size_t) q.n);
        q.xbar = calloc((size_t) d, sizeof(float));
        for (int e = 0; e < q.n; e++) {
            float z = 0.0f;
            for (int k = 0; k < d; k++) {
                q.xd[e * d + k] = unit(&seed);
                z += q.xd[e * d + k];
            }
            q.yd[e] = q.loss == LOSS_LOGISTIC ? (z + 0.5f * unit(&seed) > 0.0f ? 1.0f : -1.0f) : z + 0.5f * unit(&seed);
        }
    } else {
        usage();
    }
    float **xs = calloc((size_t) threads, sizeof *xs);
    float *x0 = malloc(sizeof(float) * (size_t) (p / threads + 1));
    for (int64_t i = 0; i < p / threads + 1; i++) {
        x0[i] = 0.3f * unit(&seed);
    }
    for (int t = 0; t < threads; t++) {
        xs[t] = malloc(sizeof(float) * (size_t) d * (size_t) (p / threads + 1));
        if (xs[t] == NULL) {
            fprintf(stderr, "langevin_gen: out of memory for %lld particles of d = %d\n", (long long) p, d);
            return 1;
        }
    }
    if (steps == 0) {
        for (steps = 4;; steps *= 2) {
            double s = run(&q, x0, xs, p, threads, steps);
            if (s < 0) {
                fprintf(stderr, "langevin_gen: the kernel refused the problem\n");
                return 1;
            }
            if (s >= 0.3 || steps >= (1LL << 30)) {
                break;
            }
        }
    }
    double best = 1e300;
    for (int r = 0; r < reps; r++) {
        double s = run(&q, x0, xs, p, threads, steps);
        if (s < 0) {
            fprintf(stderr, "langevin_gen: the kernel refused the problem\n");
            return 1;
        }
        best = s < best ? s : best;
    }
    double rate = (double) p * (double) steps / best;
    if (json) {
        printf("{\"workload\": \"%s\", \"dim\": %d, \"particles\": %lld, \"steps\": %lld, \"threads\": %d, \"reps\": %d, "
               "\"seconds\": %.6f, \"particleStepsPerSecond\": %.1f}\n", w, d, (long long) p, (long long) steps, threads,
               reps, best, rate);
    } else {
        printf("%s d=%d: %lld particles x %lld steps, %d threads: %.3f s, %.1f M particle-steps/s\n", w, d, (long long) p,
               (long long) steps, threads, best, rate / 1e6);
    }
    return 0;
}
