package org.langevin.model.lang;

import java.util.ArrayList;
import java.util.List;

/** Splits a model text into tokens with their 1-based line and column; '#' starts a comment. */
final class Lexer {
    /** Token kinds. */
    enum Kind { NAME, NUMBER, OP, NEWLINE, END }

    /**
     * @param kind what it is
     * @param text the characters (operators: "+", "->", "<=", "..", ...)
     * @param line 1-based line
     * @param column 1-based column
     */
    record Token(Kind kind, String text, int line, int column) {
        boolean is(String s) {
            return (kind == Kind.OP || kind == Kind.NAME) && text.equals(s);
        }
    }

    private static final String[] OPS = {"->", "<=", ">=", "==", "!=", "..", "+", "-", "*", "/", "^", "(", ")", "[", "]",
        ",", "=", "<", ">"};

    private Lexer() {
    }

    /** @return the tokens, ending with END; statements are separated by NEWLINE (';' counts as one) */
    static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int col = 1;
        int i = 0;
        int depth = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (ch == '\n' || ch == ';') {
                if (depth == 0) {
                    out.add(new Token(Kind.NEWLINE, ch == ';' ? ";" : "\\n", line, col));
                }
                i++;
                if (ch == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
                continue;
            }
            if (ch == ' ' || ch == '\t' || ch == '\r') {
                i++;
                col++;
                continue;
            }
            if (Character.isLetter(ch) || ch == '_') {
                int s = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.NAME, text.substring(s, i), line, col));
                col += i - s;
                continue;
            }
            if (Character.isDigit(ch) || ch == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                int s = i;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                if (i + 1 < text.length() && text.charAt(i) == '.' && text.charAt(i + 1) != '.') {
                    i++;
                    while (i < text.length() && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                }
                if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                    int e = i + 1;
                    if (e < text.length() && (text.charAt(e) == '+' || text.charAt(e) == '-')) {
                        e++;
                    }
                    if (e < text.length() && Character.isDigit(text.charAt(e))) {
                        i = e;
                        while (i < text.length() && Character.isDigit(text.charAt(i))) {
                            i++;
                        }
                    }
                }
                out.add(new Token(Kind.NUMBER, text.substring(s, i), line, col));
                col += i - s;
                continue;
            }
            String op = null;
            for (String o : OPS) {
                if (text.startsWith(o, i)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                throw new ModelSyntaxException(line, col, "unexpected character '" + ch + "'");
            }
            if (op.equals("(") || op.equals("[")) {
                depth++;
            } else if (op.equals(")") || op.equals("]")) {
                depth = Math.max(0, depth - 1);
            }
            out.add(new Token(Kind.OP, op, line, col));
            i += op.length();
            col += op.length();
        }
        out.add(new Token(Kind.NEWLINE, "\\n", line, col));
        out.add(new Token(Kind.END, "", line, col));
        return out;
    }
}
