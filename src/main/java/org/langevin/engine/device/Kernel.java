package org.langevin.engine.device;

import org.langevin.model.Dynamics;

/**
 * The kernel ABI's entry points (kernels/README.md): per dynamics a general one, for any d, and one
 * compiled for d = 1 alone. All take the argument list of {@link KernelArgs} and give the same bits
 * for d = 1; the launch picks the d = 1 entry for d = 1 ({@link #forProblem}), which keeps each entry
 * within 64 registers without spills (benchmarks/gpu_roofline.py).
 */
public enum Kernel {
    /** {@code lv_brownian}. */
    BROWNIAN(Dynamics.BROWNIAN, "lv_brownian", 0),
    /** {@code lv_gradient_flow}. */
    GRADIENT_FLOW(Dynamics.GRADIENT_FLOW, "lv_gradient_flow", 0),
    /** {@code lv_langevin}. */
    LANGEVIN(Dynamics.LANGEVIN, "lv_langevin", 0),
    /** {@code lv_sgd}. */
    SGD(Dynamics.SGD, "lv_sgd", 0),
    /** {@code lv_sgd_sde}. */
    SGD_SDE(Dynamics.SGD_SDE, "lv_sgd_sde", 0),
    /** {@code lv_brownian_d1}. */
    BROWNIAN_D1(Dynamics.BROWNIAN, "lv_brownian_d1", 1),
    /** {@code lv_gradient_flow_d1}. */
    GRADIENT_FLOW_D1(Dynamics.GRADIENT_FLOW, "lv_gradient_flow_d1", 1),
    /** {@code lv_langevin_d1}. */
    LANGEVIN_D1(Dynamics.LANGEVIN, "lv_langevin_d1", 1),
    /** {@code lv_sgd_d1}. */
    SGD_D1(Dynamics.SGD, "lv_sgd_d1", 1),
    /** {@code lv_sgd_sde_d1}. */
    SGD_SDE_D1(Dynamics.SGD_SDE, "lv_sgd_sde_d1", 1);

    /** The dynamics this entry point advances. */
    public final Dynamics dynamics;
    /** The symbol name: the PTX {@code .entry} and the emulator's kernel function. */
    public final String entryName;
    /** The only dimension this entry point accepts, or 0 for any (a launch with another d writes NaN). */
    public final int fixedDim;

    Kernel(Dynamics dynamics, String entryName, int fixedDim) {
        this.dynamics = dynamics;
        this.entryName = entryName;
        this.fixedDim = fixedDim;
    }

    /**
     * @param dynamics a built-in dynamics with an entry point (brownian, gradient-flow, langevin, sgd, sgd-sde)
     * @return the general entry point (any d) advancing the given dynamics
     * @throws IllegalArgumentException for a dynamics without an entry point of the kernel ABI
     */
    public static Kernel of(Dynamics dynamics) {
        return general(dynamics.code);
    }

    /**
     * @param dynamicsCode {@code ip[IP_DYNAMICS]}, 0 … 4
     * @return the general entry point (any d) whose {@code ip[IP_DYNAMICS]} code is given
     * @throws IllegalArgumentException for a code without an entry point
     */
    public static Kernel ofCode(int dynamicsCode) {
        return general(dynamicsCode);
    }

    /**
     * @param dynamicsCode {@code ip[IP_DYNAMICS]}
     * @param d the problem's dimension
     * @return the entry point a launch uses: the d = 1 one for d = 1, else the general one
     */
    public static Kernel forProblem(int dynamicsCode, int d) {
        Kernel general = general(dynamicsCode);
        if (d == 1) {
            for (Kernel k : values()) {
                if (k.dynamics == general.dynamics && k.fixedDim == 1) {
                    return k;
                }
            }
        }
        return general;
    }

    private static Kernel general(int dynamicsCode) {
        for (Kernel k : values()) {
            if (k.dynamics.code == dynamicsCode && k.fixedDim == 0) {
                return k;
            }
        }
        throw new IllegalArgumentException("ip[IP_DYNAMICS] = " + dynamicsCode + " is not a dynamics code (0..4)");
    }
}
