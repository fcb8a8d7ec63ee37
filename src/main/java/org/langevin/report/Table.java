package org.langevin.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table with aligned columns, returned as a String (the CLI prints it). Numbers are
 * right-aligned (doubles with 6 significant digits, integers as they are), text left-aligned; a
 * dashed rule separates the header.
 *
 * <p>Not thread-safe (rows are added in place).
 */
public final class Table {

    /** Column headers. */
    private final String[] headers;
    /** Rendered cells per row. */
    private final List<String[]> rows = new ArrayList<>();
    /** Whether each cell of each row is numeric (right-aligned). */
    private final List<boolean[]> numeric = new ArrayList<>();

    /**
     * @param headers column headers, at least one
     */
    public Table(String... headers) {
        if (headers == null || headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column header");
        }
        this.headers = headers.clone();
    }

    /**
     * Adds a row.
     *
     * @param cells one value per column: Number (formatted) or anything else (toString; null prints
     *              as empty)
     * @return this
     */
    public Table addRow(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row must have " + headers.length + " cells, got " + cells.length);
        }
        String[] r = new String[cells.length];
        boolean[] num = new boolean[cells.length];
        for (int c = 0; c < cells.length; c++) {
            Object v = cells[c];
            num[c] = v instanceof Number;
            r[c] = format(v);
        }
        rows.add(r);
        numeric.add(num);
        return this;
    }

    /**
     * Formats a cell value: doubles and floats with 6 significant digits (NaN as "NaN"), other numbers
     * with toString, null as "".
     *
     * @param v the value
     * @return its text
     */
    public static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            return Double.isFinite(x) ? String.format(Locale.ROOT, "%.6g", x) : Double.toString(x);
        }
        return v.toString();
    }

    /** @return the table text, lines ended by '\n' */
    public String render() {
        int[] width = new int[headers.length];
        for (int c = 0; c < headers.length; c++) {
            width[c] = headers[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        boolean[] headerNumeric = new boolean[headers.length];
        for (int c = 0; c < headers.length; c++) {
            headerNumeric[c] = !rows.isEmpty() && numeric.get(0)[c];
        }
        line(sb, headers, headerNumeric, width);
        for (int c = 0; c < headers.length; c++) {
            sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        sb.append('\n');
        for (int i = 0; i < rows.size(); i++) {
            line(sb, rows.get(i), numeric.get(i), width);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, boolean[] right, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                l.append("  ");
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            l.append(right[c] ? pad + cells[c] : cells[c] + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    @Override
    public String toString() {
        return render();
    }
}
