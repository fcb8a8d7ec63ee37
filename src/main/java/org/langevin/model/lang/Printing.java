package org.langevin.model.lang;

import java.util.function.IntFunction;

/** What the Java and the C++/CUDA printers share: one IR operation as an expression of its operands. */
final class Printing {
    private Printing() {
    }

    /**
     * @param n an operation (not CONST or INPUT)
     * @param ref how an operand is named in the target language
     * @param functions the prefix of the model functions ({@code ModelMath.} or {@code lvm_})
     * @return the right-hand side computing n: one IEEE operation, or one call of a model function
     */
    static String expr(Graph.Node n, IntFunction<String> ref, String functions) {
        int[] a = n.args();
        return switch (n.op()) {
            case NEG -> "-" + ref.apply(a[0]);
            case ADD -> ref.apply(a[0]) + " + " + ref.apply(a[1]);
            case SUB -> ref.apply(a[0]) + " - " + ref.apply(a[1]);
            case MUL -> ref.apply(a[0]) + " * " + ref.apply(a[1]);
            case DIV -> ref.apply(a[0]) + " / " + ref.apply(a[1]);
            case SELECT -> "(" + ref.apply(a[0]) + " " + n.cmp().text + " " + ref.apply(a[1]) + ") ? " + ref.apply(a[2])
                    + " : " + ref.apply(a[3]);
            case CONST, INPUT -> throw new IllegalArgumentException("constants and inputs are operands, not operations");
            default -> functions + n.op().name().toLowerCase(java.util.Locale.ROOT) + "(" + ref.apply(a[0]) + ")";
        };
    }
}
