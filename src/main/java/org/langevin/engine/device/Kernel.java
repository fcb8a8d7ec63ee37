package org.langevin.engine.device;

import org.langevin.model.Dynamics;

/**
 * The kernel ABI's entry points (kernels/README.md), one per dynamics. All take the argument list of
 * {@link KernelArgs}.
 */
public enum Kernel {
    /** {@code lv_brownian}. */
    BROWNIAN(Dynamics.BROWNIAN, "lv_brownian"),
    /** {@code lv_gradient_flow}. */
    GRADIENT_FLOW(Dynamics.GRADIENT_FLOW, "lv_gradient_flow"),
    /** {@code lv_langevin}. */
    LANGEVIN(Dynamics.LANGEVIN, "lv_langevin"),
    /** {@code lv_sgd}. */
    SGD(Dynamics.SGD, "lv_sgd"),
    /** {@code lv_sgd_sde}. */
    SGD_SDE(Dynamics.SGD_SDE, "lv_sgd_sde");

    /** The dynamics this entry point advances. */
    public final Dynamics dynamics;
    /** The symbol name: the PTX {@code .entry} and the emulator's kernel function. */
    public final String entryName;

    Kernel(Dynamics dynamics, String entryName) {
        this.dynamics = dynamics;
        this.entryName = entryName;
    }

    /** @return the entry point advancing the given dynamics */
    public static Kernel of(Dynamics dynamics) {
        for (Kernel k : values()) {
            if (k.dynamics == dynamics) {
                return k;
            }
        }
        throw new IllegalArgumentException("no kernel for dynamics " + dynamics);
    }

    /** @return the entry point whose {@code ip[IP_DYNAMICS]} code is given */
    public static Kernel ofCode(int dynamicsCode) {
        for (Kernel k : values()) {
            if (k.dynamics.code == dynamicsCode) {
                return k;
            }
        }
        throw new IllegalArgumentException("ip[IP_DYNAMICS] = " + dynamicsCode + " is not a dynamics code (0..4)");
    }
}
