package org.langevin.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.langevin.model.lang.Model;
import org.langevin.model.lang.ModelCompiler;

/**
 * A user's model as a run uses it: the compiled description and the values of its constants (the
 * defaults written in the model, with {@code --set} overrides). Immutable.
 *
 * @param source where the text came from (a file path), for messages and results.json
 * @param model the compiled model
 * @param values every constant's value, in declaration order
 */
public record UserModel(String source, Model model, Map<String, Double> values) {

    /**
     * Keeps an unmodifiable copy of {@code values} in its iteration order.
     *
     * @param source where the text came from (a file path or a library model's name)
     * @param model  the compiled model
     * @param values every constant's value, in declaration order
     */
    public UserModel {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Reads and compiles a model file and applies {@code --set} overrides.
     *
     * @param file the model description
     * @param set "name=value,name=value", or null
     * @return the model with its constants' values; when no file has that path but a model of
     *         {@link #LIBRARY} has that name, the library model
     * @throws IllegalArgumentException for a missing file, a model that does not compile (with line and
     *                                  column), an unknown constant or a malformed or non-finite value
     */
    public static UserModel load(Path file, String set) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            text = library(file.toString());
            if (text == null) {
                throw new IllegalArgumentException("--model: file not found: " + file + " (and no model of the library "
                        + "has that name; the library has " + String.join(", ", LIBRARY) + ")");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--model: cannot read " + file + ": " + e.getMessage());
        }
        Model m;
        try {
            m = ModelCompiler.compile(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ", " + e.getMessage(), e);
        }
        return withValues(file.toString(), m, set);
    }

    /** The models shipped in the jar (resources models/NAME.model), by name. */
    public static final java.util.List<String> LIBRARY = java.util.List.of("double-well", "quadratic", "rosenbrock",
            "ornstein-uhlenbeck", "correlated-gbm", "matrix-factorisation", "teacher-student", "linreg", "logistic");

    /** @return the text of a library model, or null when no model has that name */
    static String library(String name) {
        if (!LIBRARY.contains(name)) {
            return null;
        }
        try (var in = UserModel.class.getResourceAsStream("/models/" + name + ".model")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the library model " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies {@code --set} overrides to an already compiled model.
     *
     * @param source where the text came from, for messages and results.json
     * @param m      the compiled model
     * @param set    "name=value,name=value", or null or blank for none
     * @return the model with its constants' defaults overridden by "name=value,..." (null: none)
     * @throws IllegalArgumentException for a part without {@code =}, an unknown constant, or a value that is not
     *                                  a number or not a finite float
     */
    public static UserModel withValues(String source, Model m, String set) {
        Map<String, Double> v = new LinkedHashMap<>(m.constants());
        if (set != null && !set.isBlank()) {
            for (String part : set.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--set: expected name=value, got '" + part.trim() + "'");
                }
                String name = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (!v.containsKey(name)) {
                    throw new IllegalArgumentException("--set: the model has no constant '" + name + "'"
                            + (v.isEmpty() ? " (it declares none)" : "; its constants are " + String.join(", ", v.keySet())));
                }
                double d;
                try {
                    d = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--set " + name + ": not a number: '" + value + "'");
                }
                if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
                    throw new IllegalArgumentException("--set " + name + " must be a finite float, got " + value);
                }
                v.put(name, d);
            }
        }
        return new UserModel(source, m, v);
    }

    /** @return the constants as the kernels read them (float, declaration order) */
    public float[] constants() {
        float[] c = new float[values.size()];
        int i = 0;
        for (double d : values.values()) {
            c[i++] = (float) d;
        }
        return c;
    }
}
