package org.langevin.report;

import java.util.Locale;

/**
 * The file format of a plot: PNG (a bitmap at the plot's pixel size), SVG or PDF (vector graphics, one
 * pixel of the plot's size = one point). Chosen by {@code --plot-format}; the format is also the file
 * name's extension, which is how {@link Plots} decides how to write a file.
 */
public enum PlotFormat {
    /** Portable Network Graphics bitmap. */
    PNG,
    /** Scalable Vector Graphics (XML). */
    SVG,
    /** Portable Document Format, one page. */
    PDF;

    /** @return the file name extension, without the dot: {@code png}, {@code svg} or {@code pdf} */
    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param base file name without extension, e.g. {@code histogram_x1}
     * @return the file name with this format's extension
     */
    public String fileName(String base) {
        return base + "." + extension();
    }

    /**
     * @param name {@code png}, {@code svg} or {@code pdf} (any case)
     * @return the format
     * @throws IllegalArgumentException naming the value when it is none of them
     */
    public static PlotFormat parse(String name) {
        for (PlotFormat f : values()) {
            if (f.extension().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--plot-format must be png, svg or pdf, got '" + name + "'");
    }

    /**
     * @param fileName a file name
     * @return the format its extension names
     * @throws IllegalArgumentException when the name does not end in .png, .svg or .pdf
     */
    public static PlotFormat ofFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("a plot file name must end in .png, .svg or .pdf, got '" + fileName + "'");
        }
        try {
            return parse(fileName.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a plot file name must end in .png, .svg or .pdf, got '" + fileName + "'");
        }
    }
}
