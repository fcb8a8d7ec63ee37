package org.langevin.check;

import java.util.ArrayList;
import java.util.List;

/** The registry of theorem checks, in a fixed order (the order {@code --all} runs them in). Thread-safe (immutable). */
public final class Checks {
    private static final List<Check> ALL = List.of(new BrownianCheck(), new GradientFlowLimitCheck(),
            new LangevinGibbsCheck(), new PosteriorTemperatureCheck(), new SgdTemperatureCheck(),
            new TwoTemperaturesCheck(), new LossSlopeCheck(), new FdrCheck(), new SgdSdeCheck(),
            new DiffusionFlowCheck(), new OuExactCheck(), new LeimkuhlerMatthewsCheck(),
            new MomentumTemperatureCheck(), new BaoabCheck(), new RmspropTemperatureCheck());

    private Checks() {
    }

    /** @return every check, in a fixed order */
    public static List<Check> all() {
        return ALL;
    }

    /** @return the names of every check */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Check c : ALL) {
            n.add(c.name());
        }
        return n;
    }

    /**
     * The check of a given name.
     *
     * @param name a check's name, e.g. {@code ou-exact}
     * @return the check whose {@link Check#name()} is {@code name}
     * @throws IllegalArgumentException listing the valid names when there is no such check
     */
    public static Check named(String name) {
        for (Check c : ALL) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown check '" + name + "': use one of " + String.join(", ", names())
                + " (or --all)");
    }
}
