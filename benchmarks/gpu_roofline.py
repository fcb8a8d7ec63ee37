#!/usr/bin/env python3
"""GPU roofline on paper, from the compiled kernels (issue 5).

    python3 benchmarks/gpu_roofline.py [--out benchmarks/target/gpu-roofline.md]   (from the project root)
    python3 benchmarks/gpu_roofline.py --check   (CI: the same, and fails on a spill or occupancy below 50 %)

Needs nvcc (and ptxas) on PATH; uses cuobjdump for SASS when it exists. Steps:

1. Compiles kernels/lv_kernels.cu for sm_90 with the project's floating-point flags (FP_FLAGS) and
   --resource-usage: registers, stack frame, spill stores/loads per entry point, and the theoretical
   occupancy at the launcher's 256-thread blocks (CudaLauncher.BLOCK_THREADS).
2. Compiles *probe kernels* (a generated .cu that includes the same kernel headers) that isolate the
   device functions of one particle-step with the problem's branches folded to constants: one Philox
   block plus two Box-Muller pairs (lv_normal4: the fused noise of four steps), one Philox block
   (SGD's index words), and one step of each d = 1 dynamics (Brownian; gradient flow and Langevin on
   the double well; SGD, B = 1, and the SGD SDE with constant noise on linear regression) and of SGD
   on linear regression at d = 8, B = 1 with a compile-time d (lv_step_sgd<8>). The normal/word lane is a
   value fixed to 1 (not the start of a block), so the step probes hold the step's arithmetic without
   the refill, which is added as 1/4 of a block per normal or word; the step loop's own work (lane
   selection: 3 compares and 3 selects; loop: increment, compare, branch) is added as 8 INT + 1 control.
3. Counts instructions by class in each probe (PTX always; SASS when cuobjdump is there), expands
   the PTX's div.rn.f32 / sqrt.rn.f32 into their SASS sequences (one MUFU plus FP32 Newton steps;
   the sizes are stated below), and predicts particle-steps/s on an H100 SXM from per-SM
   throughputs, naming the bounding unit; then the JCurand-buffer mode from its bytes per step.

H100 SXM5 numbers used (NVIDIA H100 datasheet and Hopper whitepaper; CUDA C++ Programming Guide,
"Arithmetic Instructions" throughput table for compute capability 9.0):
  132 SMs; boost clock 1.83 GHz (1830 MHz, H100 SXM5 max boost in the whitepaper's table ~1.98 GHz for
  the full GH100; the SXM5 product ships at 1.83 GHz with 132 SMs);
  per SM per clock: 128 FP32 add/mul/FMA; 64 INT32 add/logic/shift/compare/select; 64 INT32
  multiply (IMAD, half the FP32 rate); 16 special-function (MUFU: rcp, rsqrt, lg2, ex2, sin, cos);
  16 type conversions (I2F/F2I/F2F and anything 64-bit); 32 load/store (LSU) thread-ops;
  issue: 4 schedulers x 1 warp-instruction = 128 thread-instructions.
  HBM3: 3.35 TB/s spec, 3.0 TB/s taken as the achievable (measured-class) bandwidth.
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
KERNELS = os.path.join(ROOT, 'kernels')

SMS = 132
CLOCK = 1.83e9
HBM = 3.0e12
HBM_SPEC = 3.35e12
BLOCK = 256
# per-SM per-clock thread-instruction throughputs
THR = {'fp32': 128, 'int': 64, 'imul': 64, 'sfu': 16, 'cvt': 16, 'mem': 32, 'fp64': 64}
ISSUE = 128
# SASS size of the IEEE-correct PTX operations under -fmad=false... their expansions use explicit FMAs
DIV_EXPANSION = {'sfu': 1, 'fp32': 8, 'int': 2}    # MUFU.RCP + FFMA refinement + range check
SQRT_EXPANSION = {'sfu': 1, 'fp32': 6, 'int': 2}   # MUFU.RSQ + FMUL/FFMA refinement + range check

PROBES = r'''
#include "lv_common.cuh"
#include "lv_rng.cuh"
#include "lv_loss.cuh"
#include "lv_dynamics.cuh"

// Fused noise of four steps: one Philox block and two Box-Muller pairs.
extern "C" __global__ void probe_normal4(float* out, unsigned long long seed, unsigned long long block) {
    float n[4];
    const unsigned long long particle = blockIdx.x * blockDim.x + threadIdx.x;
    lv_normal4(seed, particle, block, n);
    out[particle] = ((n[0] + n[1]) + n[2]) + n[3];
}

// SGD's index words of four draws: one Philox block.
extern "C" __global__ void probe_philox(unsigned int* out, unsigned int c0, unsigned int k0, unsigned int k1) {
    unsigned int w[4];
    const unsigned int particle = blockIdx.x * blockDim.x + threadIdx.x;
    lv_philox4x32_10(c0, 0u, particle, 0u, k0, k1, w);
    out[particle] = ((w[0] ^ w[1]) ^ w[2]) ^ w[3];
}

__device__ inline LvProblem probe_problem(const int* ip, const float* fp, const float* data, int dyn, int loss,
                                          int d) {
    LvProblem p = lv_problem(ip, fp, data);
    p.dynamics = dyn;
    p.loss = loss;
    p.d = d;
    p.prior = 0;
    p.average = 0;
    p.distinct = 0;
    p.precond = LV_PREC_IDENTITY;
    p.batch = 1;
    p.stateNoise = 0;
    p.shift = 0;
    return p;
}

__device__ inline LvPhiloxNormals probe_normals(const float* buf, unsigned long long next) {
    LvPhiloxNormals nr;
    nr.buf[0] = buf[0];
    nr.buf[1] = buf[1];
    nr.buf[2] = buf[2];
    nr.buf[3] = buf[3];
    nr.next = next;
    nr.seed = 0;
    nr.particle = 0;
    return nr;
}

__device__ inline LvBufferNormals probe_buffer_normals(const float* noise) {
    LvBufferNormals nr;
    lv_normals_init(nr, noise, 1 << 20, threadIdx.x);
    return nr;
}

// One step, fused mode: the normal comes from registers (lane assumed not to start a block).
#define PROBE_STEP_FUSED(name, CALL)                                                              \
extern "C" __global__ void name(float* xs, const int* ip, const float* fp, const float* data,       \
                                const float* buf, unsigned long long next, float noiseScale) {      \
    LvProblem p = probe_problem(ip, fp, data, DYN, LOSS, 1);                                        \
    LvPhiloxNormals nr = probe_normals(buf, (next & ~3ull) | 1ull);                                  \
    LvScratch<1> w;                                                                                 \
    const int i = blockIdx.x * blockDim.x + threadIdx.x;                                            \
    float x[1];                                                                                     \
    x[0] = xs[i];                                                                                   \
    CALL;                                                                                           \
    xs[i] = x[0];                                                                                   \
}
// One step, buffer mode: the normal is read from the launch's noise buffer.
#define PROBE_STEP_BUFFER(name, CALL)                                                             \
extern "C" __global__ void name(float* xs, const int* ip, const float* fp, const float* data,       \
                                const float* buf, unsigned long long next, float noiseScale,       \
                                const float* noise) {                                               \
    if (noise == nullptr) __builtin_unreachable();                                                  \
    LvProblem p = probe_problem(ip, fp, data, DYN, LOSS, 1);                                        \
    LvBufferNormals nr = probe_buffer_normals(noise);                                               \
    LvScratch<1> w;                                                                                 \
    const int i = blockIdx.x * blockDim.x + threadIdx.x;                                            \
    float x[1];                                                                                     \
    x[0] = xs[i];                                                                                   \
    CALL;                                                                                           \
    xs[i] = x[0];                                                                                   \
}

#define DYN LV_DYN_BROWNIAN
#define LOSS LV_LOSS_NONE
PROBE_STEP_FUSED(probe_step_brownian1, (lv_step_brownian<1>(p, x, noiseScale, nr)))
PROBE_STEP_BUFFER(probe_step_brownian1_buffer, (lv_step_brownian<1>(p, x, noiseScale, nr)))
#undef DYN
#undef LOSS
#define DYN LV_DYN_GRADIENT_FLOW
#define LOSS LV_LOSS_DOUBLE_WELL
PROBE_STEP_FUSED(probe_step_gradient_flow_dw1, (lv_step_gradient_flow<1>(p, x, w)))
#undef DYN
#undef LOSS
#define DYN LV_DYN_LANGEVIN
#define LOSS LV_LOSS_DOUBLE_WELL
PROBE_STEP_FUSED(probe_step_langevin_dw1, (lv_step_langevin<1>(p, x, noiseScale, nr, w)))
PROBE_STEP_BUFFER(probe_step_langevin_dw1_buffer, (lv_step_langevin<1>(p, x, noiseScale, nr, w)))
#undef DYN
#undef LOSS

#define DYN LV_DYN_SGD_SDE
#define LOSS LV_LOSS_LINREG
PROBE_STEP_FUSED(probe_step_sgd_sde_linreg1, (lv_step_sgd_sde<1>(p, x, noiseScale, nr, w)))
#undef DYN
#undef LOSS

// SGD's index words from registers (lane assumed not to start a block, as for the normals).
__device__ inline LvWords probe_words(const unsigned int* wbuf, unsigned long long next) {
    LvWords ws;
    ws.buf[0] = wbuf[0];
    ws.buf[1] = wbuf[1];
    ws.buf[2] = wbuf[2];
    ws.buf[3] = wbuf[3];
    ws.next = (next & ~3ull) | 1ull;
    ws.k0 = 0u;
    ws.k1 = 0u;
    ws.p0 = 0u;
    ws.p1 = 0u;
    return ws;
}

// One SGD step on linear regression, d = 1 (the lv_sgd_d1 entry), B = 1, with replacement.
extern "C" __global__ void probe_step_sgd_linreg1(float* xs, const int* ip, const float* fp, const float* data,
                                                  const unsigned int* wbuf, unsigned long long next, float lr) {
    LvProblem p = probe_problem(ip, fp, data, LV_DYN_SGD, LV_LOSS_LINREG, 1);
    LvWords ws = probe_words(wbuf, next);
    LvScratch<1> w;
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    float x[1];
    x[0] = xs[i];
    lv_step_sgd<1>(p, x, lr, ws, w);
    xs[i] = x[0];
}

// One SGD step on linear regression, d = 8 fixed at compile time, B = 1, with replacement.
extern "C" __global__ void probe_step_sgd_linreg8(float* xs, const int* ip, const float* fp, const float* data,
                                                  const unsigned int* wbuf, unsigned long long next, float lr) {
    LvProblem p = probe_problem(ip, fp, data, LV_DYN_SGD, LV_LOSS_LINREG, 8);
    LvWords ws = probe_words(wbuf, next);
    LvScratch<8> w;
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    float x[8];
    for (int j = 0; j < 8; j++) {
        x[j] = xs[j * (1 << 20) + i];
    }
    lv_step_sgd<8>(p, x, lr, ws, w);
    for (int j = 0; j < 8; j++) {
        xs[j * (1 << 20) + i] = x[j];
    }
}
'''


# The floating-point flags of kernels/build.sh (nvcc's defaults but -fmad=false, spelled out).
FP_FLAGS = ('-ftz=false', '-prec-div=true', '-prec-sqrt=true', '-fmad=false')


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit('command failed: ' + ' '.join(cmd) + '\n' + r.stdout)
    return r.stdout


def resource_usage(src, workdir, extra=()):
    out = run(['nvcc', '-arch=sm_90', *FP_FLAGS, '--resource-usage', '-cubin', '-I', KERNELS,
               '-o', os.path.join(workdir, 'k.cubin'), src, *extra])
    res = {}
    cur = None
    for line in out.splitlines():
        m = re.search(r"Compiling entry function '(\w+)'", line)
        if m:
            cur = m.group(1)
            res[cur] = {}
            continue
        m = re.search(r'(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads', line)
        if m and cur:
            res[cur].update(stack=int(m.group(1)), spill_st=int(m.group(2)), spill_ld=int(m.group(3)))
        m = re.search(r'Used (\d+) registers', line)
        if m and cur:
            res[cur]['regs'] = int(m.group(1))
    return res, os.path.join(workdir, 'k.cubin')


def occupancy(regs, block=BLOCK):
    """Theoretical occupancy on sm_90: 64K registers, 64 warps, 32 blocks per SM; registers are
    allocated per warp in units of 256."""
    warps = block // 32
    per_warp = int(math.ceil(regs * 32 / 256.0)) * 256
    by_regs = 65536 // (per_warp * warps) if regs > 0 else 32
    by_threads = 2048 // block
    blocks = min(by_regs, by_threads, 32)
    return blocks * warps / 64.0, blocks


def split_ptx(ptx):
    funcs = {}
    for m in re.finditer(r'\.entry (\w+)\((.*?)^}', ptx, re.S | re.M):
        funcs[m.group(1)] = m.group(2)
    return funcs


def classify_ptx(body):
    """Per-class counts of PTX instructions (static; the probes are straight-line code)."""
    c = {k: 0.0 for k in ('fp32', 'int', 'imul', 'sfu', 'cvt', 'mem', 'fp64', 'ctrl')}
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith(('.', '//', '{', '}', '$', 'ret')) or line.endswith(':'):
            continue
        line = re.sub(r'^@!?%p\d+\s+', '', line)
        op = line.split()[0].rstrip(';')
        parts = op.split('.')
        base = parts[0]
        types = [p for p in parts[1:] if re.fullmatch(r'[subf]\d+|pred|b\d+', p)]
        wide = any(t.endswith('64') for t in types)
        if op.startswith('ld.param'):
            continue  # kernel parameters are constant-bank operands in SASS
        if base in ('ld', 'st', 'atom', 'red'):
            c['mem'] += 1
        elif base in ('bra', 'call', 'exit', 'bar'):
            c['ctrl'] += 1
        elif base == 'cvt' or base == 'cvta':
            if base == 'cvta' or (len(types) >= 2 and all(t[0] in 'ub' for t in types[:2]) and not wide):
                c['int'] += 1
            else:
                c['cvt'] += 1
        elif base == 'div' and 'f32' in types:
            for k, v in DIV_EXPANSION.items():
                c[k] += v
        elif base == 'sqrt' and 'f32' in types:
            for k, v in SQRT_EXPANSION.items():
                c[k] += v
        elif base in ('rcp', 'rsqrt', 'lg2', 'ex2', 'sin', 'cos', 'tanh'):
            c['sfu'] += 1
        elif 'f64' in types:
            c['fp64'] += 1
        elif 'f32' in types and base in ('add', 'sub', 'mul', 'fma', 'neg', 'abs', 'min', 'max', 'setp', 'testp',
                                         'copysign'):
            c['fp32'] += 1
        elif base in ('mul', 'mad') and ('hi' in parts or 'lo' in parts or 'wide' in parts):
            c['imul'] += 3 if wide else 1
        elif base in ('mov', 'mov.u32'):
            continue  # register moves are renamed away by ptxas
        else:
            c['int'] += 2 if wide else 1
    return c


SASS_CLASSES = [
    ('sfu', r'^MUFU'),
    ('imul', r'^(IMAD|IMUL|IMAD\.HI|IMAD\.WIDE)'),
    ('fp32', r'^(FADD|FMUL|FFMA|FMNMX|FSETP|FSEL|FSET|FCHK)'),
    ('fp64', r'^(DADD|DMUL|DFMA|DSETP)'),
    ('cvt', r'^(I2F|F2I|F2F|I2FP|F2IP)'),
    ('mem', r'^(LDG|STG|LDL|STL|LDS|STS|LDC|LD|ST|ATOM|RED)'),
    ('ctrl', r'^(BRA|EXIT|CALL|RET|BSYNC|BSSY|WARPSYNC|NOP|YIELD)'),
]


def classify_sass(text):
    c = {k: 0.0 for k in ('fp32', 'int', 'imul', 'sfu', 'cvt', 'mem', 'fp64', 'ctrl')}
    for line in text.splitlines():
        m = re.search(r'/\*[0-9a-f]{4,}\*/\s+(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9_.]*)', line)
        if not m:
            continue
        op = m.group(1)
        for k, pat in SASS_CLASSES:
            if re.match(pat, op):
                c[k] += 1
                break
        else:
            if op.startswith('MOV'):
                continue
            c['int'] += 1
    return c


def sass_by_function(cubin):
    if not shutil.which('cuobjdump'):
        return None
    out = run(['cuobjdump', '-sass', cubin])
    funcs = {}
    for m in re.finditer(r'Function : (\w+)(.*?)(?=Function :|\Z)', out, re.S):
        funcs[m.group(1)] = m.group(2)
    return funcs


def combine(step, refill, per_refill):
    """Per particle-step counts: the step, plus refill/per_refill (a Philox block serves 4 normals or words),
    plus the step loop's own work: lane selection (3 setp + 3 selp) and control (an increment, a compare
    and a branch): 8 int + 1 ctrl."""
    out = {}
    for k in step:
        out[k] = step[k] + (refill[k] / per_refill if refill else 0.0)
    out['int'] += 8
    out['ctrl'] += 1
    return out


def predict(c):
    """Per-SM cycles per particle-step by unit; the bound; particle-steps/s on the whole GPU."""
    cycles = {k: c[k] / THR[k] for k in THR if c.get(k, 0) > 0}
    total = sum(v for k, v in c.items())
    issue = total / ISSUE
    unit, worst = max(cycles.items(), key=lambda kv: kv[1])
    bound = max(worst, issue)
    rate = SMS * CLOCK / bound
    return {'unit': unit if worst >= issue else 'issue', 'cycles': cycles, 'issue_cycles': issue,
            'rate': rate, 'issue_rate': SMS * CLOCK / issue, 'total': total}


def predict_raw(c):
    """Items/s of straight-line work c (no loop overhead) on the whole GPU."""
    cycles = max([c[k] / THR[k] for k in THR if c.get(k, 0) > 0] + [sum(c.values()) / ISSUE])
    return SMS * CLOCK / cycles


def fmt(c):
    return ' / '.join('%g' % round(c[k], 1) for k in ('fp32', 'imul', 'int', 'sfu', 'cvt', 'mem'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=os.path.join(ROOT, 'benchmarks', 'target', 'gpu-roofline.md'))
    ap.add_argument('--check', action='store_true',
                    help='also exit 1 unless every entry point compiles without spills at >= 50%% theoretical occupancy')
    a = ap.parse_args()
    if not shutil.which('nvcc'):
        sys.exit('nvcc is not on PATH: this script needs the CUDA compiler (ptxas) to read the compiled kernels')
    lines = []
    w = tempfile.mkdtemp(prefix='lv-roofline-')
    version = run(['nvcc', '--version']).strip().splitlines()[-1]
    lines.append('Compiler: %s; flags: -arch=sm_90 %s; block %d threads; SASS: %s' % (
        version, ' '.join(FP_FLAGS), BLOCK, 'cuobjdump' if shutil.which('cuobjdump') else 'not available (PTX counts)'))
    lines.append('')
    # 1. the real entry points
    res, _ = resource_usage(os.path.join(KERNELS, 'lv_kernels.cu'), w)
    lines.append('| kernel | registers | stack frame (B) | spill st/ld (B) | blocks/SM | theoretical occupancy |')
    lines.append('|---|---|---|---|---|---|')
    order = ('lv_brownian', 'lv_gradient_flow', 'lv_langevin', 'lv_sgd', 'lv_sgd_sde')
    names = [n for base in order for n in (base, base + '_d1') if n in res]
    # the record reduction runs once per record (one thread per 4096-particle block): listed, not held to the
    # dynamics kernels' occupancy and spill limits
    others = [n for n in ('lv_reduce_blocks',) if n in res]
    missing = sorted(set(res) - set(names) - set(others))
    if missing:
        sys.exit('entry points this script does not know: %s (update its list)' % ', '.join(missing))
    for name in names + others:
        r = res[name]
        occ, blocks = occupancy(r['regs'])
        lines.append('| %s | %d | %d | %d / %d | %d | %.1f %% |' % (name, r['regs'], r['stack'], r['spill_st'],
                                                                   r['spill_ld'], blocks, 100 * occ))
    lines.append('')
    failures = ['%s: %d/%d B spilled' % (n, res[n]['spill_st'], res[n]['spill_ld'])
                for n in names if res[n]['spill_st'] or res[n]['spill_ld']]
    failures += ['%s: occupancy %.1f %% < 50 %%' % (n, 100 * occupancy(res[n]['regs'])[0])
                 for n in names if occupancy(res[n]['regs'])[0] < 0.5]
    # what the neighbouring __launch_bounds__(256, blocks) settings cost in registers and spills
    for blocks in (3, 5):
        other, _ = resource_usage(os.path.join(KERNELS, 'lv_kernels.cu'), w, ('-DLV_MIN_BLOCKS_PER_SM=%d' % blocks,))
        regs = max(other[k]['regs'] for k in names)
        lines.append('With __launch_bounds__(256, %d) (at most %d registers, occupancy %.1f %%): spill stores/loads '
                     % (blocks, regs, 100 * occupancy(regs)[0])
                     + ', '.join('%s %d/%d B' % (k, other[k]['spill_st'], other[k]['spill_ld']) for k in names))
    lines.append('')
    # 2. probes
    probe_src = os.path.join(w, 'probes.cu')
    with open(probe_src, 'w') as f:
        f.write(PROBES)
    pres, pcubin = resource_usage(probe_src, w)
    ptx_path = os.path.join(w, 'probes.ptx')
    run(['nvcc', '-arch=sm_90', *FP_FLAGS, '--ptx', '-I', KERNELS, '-o', ptx_path, probe_src])
    ptx = split_ptx(open(ptx_path).read())
    sass = sass_by_function(pcubin)

    def counts(name):
        return classify_sass(sass[name]) if sass and name in sass else classify_ptx(ptx[name])

    normal4 = counts('probe_normal4')
    philox = counts('probe_philox')
    lines.append('Probe instruction counts (FP32 / IMUL / other INT / SFU / CVT / MEM), per call: '
                 'Philox block %s; Philox + 2 Box-Muller (4 normals) %s.' % (fmt(philox), fmt(normal4)))
    lines.append('')
    rows = [
        ('brownian, d=1', 'probe_step_brownian1', normal4, 4, 'probe_step_brownian1_buffer', 1),
        ('gradient flow, double well, d=1', 'probe_step_gradient_flow_dw1', None, 4, None, 1),
        ('langevin, double well, d=1', 'probe_step_langevin_dw1', normal4, 4, 'probe_step_langevin_dw1_buffer', 1),
        ('sgd, linreg d=1, B=1', 'probe_step_sgd_linreg1', philox, 4, None, 1),
        ('sgd-sde, linreg d=1, constant noise', 'probe_step_sgd_sde_linreg1', normal4, 4, None, 1),
        ('sgd, linreg d=8, B=1 (compile-time d)', 'probe_step_sgd_linreg8', philox, 4, None, 8),
    ]
    lines.append('| workload (fused) | per step FP32/IMUL/INT/SFU/CVT/MEM | instr/step | bound | predicted '
                 'particle-steps/s | issue-rate limit | pred/issue | buffer mode (bytes/step, predicted) | fused/buffer |')
    lines.append('|---|---|---|---|---|---|---|---|---|')
    for label, probe, refill, per, buf_probe, d in rows:
        c = combine(counts(probe), refill, per)
        pr = predict(c)
        buf = '-'
        ratio = '-'
        if buf_probe:
            # buffer mode, two kernels in sequence per launch: curandGenerateNormal writes each normal
            # (4 B; its compute modelled as our own Philox + Box-Muller, 1/4 of probe_normal4 per normal),
            # then the step kernel reads it (4 B); the state is read and written once per launch,
            # negligible over many steps. Each kernel takes max(memory time, compute time).
            bytes_per_step = 8.0 * d
            gen = {k: normal4[k] / 4.0 for k in normal4}
            t_gen = max(4.0 * d / HBM, d / predict_raw(gen))
            t_step = max(4.0 * d / HBM, 1.0 / predict(combine(counts(buf_probe), None, 1))['rate'])
            brate = 1.0 / (t_gen + t_step)
            mem_only = HBM / bytes_per_step
            buf = '%g B; %.0f G/s (memory alone: %.0f G/s)' % (bytes_per_step, brate / 1e9, mem_only / 1e9)
            ratio = '%.2fx' % (pr['rate'] / brate)
        lines.append('| %s | %s | %.0f | %s | %.0f G | %.0f G | %.2f | %s | %s |' % (
            label, fmt(c), pr['total'], pr['unit'], pr['rate'] / 1e9, pr['issue_rate'] / 1e9,
            pr['rate'] / pr['issue_rate'], buf, ratio))
    lines.append('')
    # What fused >= 3x buffer would take: even a buffer mode bounded by its memory traffic alone
    # (8 B per normal, no generator compute) runs at HBM/8 B; three times that rate leaves, at the
    # issue limit, this many instructions for a whole fused particle-step, noise included.
    noise_per_normal = sum(normal4.values()) / 4.0
    philox_per_normal = sum(philox.values()) / 4.0
    need_rate = 3.0 * HBM / 8.0
    budget = SMS * CLOCK * ISSUE / need_rate
    lines.append('Fused >= 3x buffer (1-D): even a buffer mode limited only by its 8 B per step (%.0f G/s at %.1f TB/s) '
                 'would need a fused rate of %.0f G particle-steps/s, i.e. at most %.1f instructions per particle-step '
                 'at the issue limit; one normal costs %.1f (Philox share %.1f, Box-Muller the rest), the same '
                 'work the buffer mode\'s generator does.' % (HBM / 8.0 / 1e9, HBM / 1e12, need_rate / 1e9, budget,
                                                             noise_per_normal, philox_per_normal))
    lines.append('')
    lines.append('Probe resources (registers/stack): ' + ', '.join(
        '%s %d/%d' % (k, v['regs'], v['stack']) for k, v in sorted(pres.items())))
    text = '\n'.join(lines)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, 'w') as f:
        f.write(text + '\n')
    print(text)
    shutil.rmtree(w, ignore_errors=True)
    if a.check:
        if failures:
            sys.exit('gpu_roofline --check failed:\n  ' + '\n  '.join(failures))
        print('gpu_roofline --check: %d entry points, no spills, theoretical occupancy >= 50 %%; probes compiled'
              % len(names))


if __name__ == '__main__':
    main()
