package org.langevin.model.lang;

/**
 * A model description that cannot be compiled: the message starts with "line L, column C:" (1-based)
 * and says what is wrong and what would be accepted. An {@link IllegalArgumentException}, so the
 * command line reports it as bad input (one line, exit code 2).
 */
public final class ModelSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** 1-based line of the offending text (0 when the error concerns the whole model). */
    private final int line;
    /** 1-based column (0 when the error concerns a whole line or the model). */
    private final int column;

    /**
     * @param line 1-based line, or 0
     * @param column 1-based column, or 0
     * @param message what is wrong, without the position
     */
    public ModelSyntaxException(int line, int column, String message) {
        super(position(line, column) + message);
        this.line = line;
        this.column = column;
    }

    private static String position(int line, int column) {
        if (line <= 0) {
            return "model: ";
        }
        return column <= 0 ? "line " + line + ": " : "line " + line + ", column " + column + ": ";
    }

    /** @return the 1-based line, or 0 */
    public int line() {
        return line;
    }

    /** @return the 1-based column, or 0 */
    public int column() {
        return column;
    }
}
