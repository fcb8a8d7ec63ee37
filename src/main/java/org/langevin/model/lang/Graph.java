package org.langevin.model.lang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The intermediate representation: a DAG of float operations, hash-consed (one node per distinct
 * operation on the same operands, so common subexpressions are shared) and numbered in creation
 * order, which is a topological order (operands before their users). Every printer emits the nodes
 * a function needs in increasing id, one IEEE float operation each, so every backend performs the
 * same operations in the same order. Simplifications (x + 0, x·1, x·0, constant folding) happen here,
 * once, for every backend alike. Not thread-safe.
 */
public final class Graph {
    /** Operations. */
    public enum Op {
        /** A float constant. */
        CONST,
        /** An input: {@link Node#input} of kind {@link Node#kind} (x, c, e, t). */
        INPUT,
        /** −a. */
        NEG,
        /** a + b. */
        ADD,
        /** a − b. */
        SUB,
        /** a · b. */
        MUL,
        /** a / b (IEEE division, correctly rounded). */
        DIV,
        /** √a, correctly rounded ({@link ModelMath#sqrt}). */
        SQRT,
        /** e<sup>a</sup> ({@link ModelMath#exp}). */
        EXP,
        /** ln a ({@link ModelMath#log}). */
        LOG,
        /** sin a ({@link ModelMath#sin}). */
        SIN,
        /** cos a ({@link ModelMath#cos}). */
        COS,
        /** tanh a ({@link ModelMath#tanh}). */
        TANH,
        /** 1 / (1 + e<sup>−a</sup>) ({@link ModelMath#sigmoid}). */
        SIGMOID,
        /** ln(1 + e<sup>a</sup>) ({@link ModelMath#softplus}). */
        SOFTPLUS,
        /** (a cmp b) ? c : d with the comparison in {@link Node#cmp}. */
        SELECT
    }

    /** Input kinds: the state x, the constants c, one example's features and target e, the time t. */
    public enum InputKind {
        /** The state x (d floats). */
        X,
        /** The constants c, in declaration order. */
        C,
        /** The current example e: its k features, then its target. */
        E,
        /** The time t (one float). */
        T
    }

    /** Comparisons of SELECT. */
    public enum Cmp {
        /** a &lt; b. */
        LT("<"),
        /** a ≤ b. */
        LE("<="),
        /** a &gt; b. */
        GT(">"),
        /** a ≥ b. */
        GE(">="),
        /** a = b (IEEE: false when either is NaN, true for 0 and −0). */
        EQ("=="),
        /** a ≠ b (IEEE: true when either is NaN). */
        NE("!=");

        /** Operator text in Java and C. */
        public final String text;

        Cmp(String text) {
            this.text = text;
        }

        static Cmp of(String s) {
            for (Cmp c : values()) {
                if (c.text.equals(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("not a comparison: " + s);
        }

        boolean test(float a, float b) {
            return switch (this) {
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
                case EQ -> a == b;
                case NE -> a != b;
            };
        }
    }

    /**
     * One operation.
     *
     * @param id creation order; operands have smaller ids
     * @param op the operation
     * @param args operand ids (empty for CONST and INPUT)
     * @param value the constant (CONST)
     * @param kind the input kind (INPUT)
     * @param input the input's index within its kind (INPUT)
     * @param cmp the comparison (SELECT)
     */
    public record Node(int id, Op op, int[] args, float value, InputKind kind, int input, Cmp cmp) {
    }

    private record Key(Op op, List<Integer> args, int valueBits, InputKind kind, int input, Cmp cmp) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final Map<Key, Integer> index = new HashMap<>();

    /**
     * A node by id.
     *
     * @param id the node's id, 0 ≤ id &lt; {@link #size()}
     * @return the node with this id
     * @throws IndexOutOfBoundsException if there is no such node
     */
    public Node node(int id) {
        return nodes.get(id);
    }

    /** @return the number of nodes */
    public int size() {
        return nodes.size();
    }

    private int make(Op op, int[] args, float value, InputKind kind, int input, Cmp cmp) {
        List<Integer> a = new ArrayList<>(args.length);
        for (int x : args) {
            a.add(x);
        }
        Key k = new Key(op, a, Float.floatToRawIntBits(value), kind, input, cmp);
        Integer have = index.get(k);
        if (have != null) {
            return have;
        }
        int id = nodes.size();
        nodes.add(new Node(id, op, args.clone(), value, kind, input, cmp));
        index.put(k, id);
        return id;
    }

    /**
     * A constant node (shared with an existing constant of the same bits, so 0 and −0 are distinct).
     *
     * @param v the value
     * @return the id of a float constant
     */
    public int constant(float v) {
        return make(Op.CONST, new int[0], v, null, 0, null);
    }

    /**
     * An input node (one per kind and index).
     *
     * @param kind which input array
     * @param i    the index within it (0 for {@link InputKind#T})
     * @return the id of an input
     * @throws NullPointerException if {@code kind} is null
     */
    public int input(InputKind kind, int i) {
        return make(Op.INPUT, new int[0], 0f, Objects.requireNonNull(kind), i, null);
    }

    private boolean isConst(int a) {
        return nodes.get(a).op() == Op.CONST;
    }

    private boolean isConst(int a, float v) {
        Node n = nodes.get(a);
        return n.op() == Op.CONST && Float.floatToRawIntBits(n.value()) == Float.floatToRawIntBits(v);
    }

    private float val(int a) {
        return nodes.get(a).value();
    }

    /**
     * −a; folds a constant and −(−a) = a.
     *
     * @param a the operand's id
     * @return the id of the result node
     */
    public int neg(int a) {
        if (isConst(a)) {
            return constant(-val(a));
        }
        if (nodes.get(a).op() == Op.NEG) {
            return nodes.get(a).args()[0];
        }
        return make(Op.NEG, new int[] {a}, 0f, null, 0, null);
    }

    /**
     * a + b; folds constants and drops an operand ±0.
     *
     * @param a the left operand's id
     * @param b the right operand's id
     * @return the id of the result node
     */
    public int add(int a, int b) {
        if (isConst(a) && isConst(b)) {
            return constant(val(a) + val(b));
        }
        if (isConst(b, 0f) || isConst(b, -0f)) {
            return a;
        }
        if (isConst(a, 0f) || isConst(a, -0f)) {
            return b;
        }
        return make(Op.ADD, new int[] {a, b}, 0f, null, 0, null);
    }

    /**
     * a − b; folds constants, drops b = ±0 and turns 0 − b into −b.
     *
     * @param a the left operand's id
     * @param b the right operand's id
     * @return the id of the result node
     */
    public int sub(int a, int b) {
        if (isConst(a) && isConst(b)) {
            return constant(val(a) - val(b));
        }
        if (isConst(b, 0f) || isConst(b, -0f)) {
            return a;
        }
        if (isConst(a, 0f)) {
            return neg(b);
        }
        return make(Op.SUB, new int[] {a, b}, 0f, null, 0, null);
    }

    /**
     * a · b; folds constants, a factor +0 to the constant 0 (whatever the other operand, even ∞ or NaN), a
     * factor 1 away and a factor −1 to a negation.
     *
     * @param a the left operand's id
     * @param b the right operand's id
     * @return the id of the result node
     */
    public int mul(int a, int b) {
        if (isConst(a) && isConst(b)) {
            return constant(val(a) * val(b));
        }
        if (isConst(a, 0f) || isConst(b, 0f)) {
            return constant(0f);
        }
        if (isConst(b, 1f)) {
            return a;
        }
        if (isConst(a, 1f)) {
            return b;
        }
        if (isConst(b, -1f)) {
            return neg(a);
        }
        if (isConst(a, -1f)) {
            return neg(b);
        }
        return make(Op.MUL, new int[] {a, b}, 0f, null, 0, null);
    }

    /**
     * a / b; folds constants, 0 / b to the constant 0 and a / 1 to a.
     *
     * @param a the dividend's id
     * @param b the divisor's id
     * @return the id of the result node
     */
    public int div(int a, int b) {
        if (isConst(a) && isConst(b)) {
            return constant(val(a) / val(b));
        }
        if (isConst(a, 0f)) {
            return constant(0f);
        }
        if (isConst(b, 1f)) {
            return a;
        }
        return make(Op.DIV, new int[] {a, b}, 0f, null, 0, null);
    }

    /**
     * A function of one argument, folded with {@link ModelMath#apply} when the argument is constant.
     *
     * @param op one of {@link Op#SQRT} … {@link Op#SOFTPLUS}
     * @param a  the argument's id
     * @return the id of a function of one argument (SQRT … SOFTPLUS)
     * @throws IllegalArgumentException if {@code op} is not such a function
     */
    public int fn(Op op, int a) {
        if (op.ordinal() < Op.SQRT.ordinal() || op.ordinal() > Op.SOFTPLUS.ordinal()) {
            throw new IllegalArgumentException("not a function: " + op);
        }
        if (isConst(a)) {
            return constant(ModelMath.apply(op, val(a)));
        }
        return make(op, new int[] {a}, 0f, null, 0, null);
    }

    /**
     * A selection; folded when p and q are the same node or a and b are constants.
     *
     * @param cmp the comparison
     * @param a   the left side's id
     * @param b   the right side's id
     * @param p   the id of the value when the comparison holds
     * @param q   the id of the value otherwise (also when a or b is NaN, except for {@link Cmp#NE})
     * @return the id of (a cmp b) ? p : q
     */
    public int select(Cmp cmp, int a, int b, int p, int q) {
        if (p == q) {
            return p;
        }
        if (isConst(a) && isConst(b)) {
            return cmp.test(val(a), val(b)) ? p : q;
        }
        return make(Op.SELECT, new int[] {a, b, p, q}, 0f, null, 0, cmp);
    }

    /**
     * An integer power.
     *
     * @param a the base's id
     * @param n the exponent, any int
     * @return the id of a^n by repeated multiplication from the left (a^-n = 1 / a^n; a^0 = 1)
     */
    public int pow(int a, int n) {
        if (n == 0) {
            return constant(1f);
        }
        int m = Math.abs(n);
        int r = a;
        for (int i = 1; i < m; i++) {
            r = mul(r, a);
        }
        return n < 0 ? div(constant(1f), r) : r;
    }

    /**
     * Reverse-mode differentiation: the gradient of {@code out} with respect to the inputs of a
     * kind. Adjoints are accumulated in decreasing node id, each as {@code adj = adj + contribution},
     * so the gradient's operations are fixed by the graph alone.
     *
     * @param out   the id of the scalar to differentiate
     * @param kind  the inputs to differentiate with respect to (usually {@link InputKind#X})
     * @param count the number of inputs of that kind, d for the state
     * @return node ids of ∂out/∂input_i for i in 0..count−1 (constant 0 where out does not depend on it)
     */
    public int[] gradient(int out, InputKind kind, int count) {
        Map<Integer, Integer> adj = new HashMap<>();
        adj.put(out, constant(1f));
        for (int id = out; id >= 0; id--) {
            Integer w = adj.get(id);
            if (w == null) {
                continue;
            }
            Node n = nodes.get(id);
            int[] a = n.args();
            switch (n.op()) {
                case CONST, INPUT -> {
                }
                case NEG -> acc(adj, a[0], neg(w));
                case ADD -> {
                    acc(adj, a[0], w);
                    acc(adj, a[1], w);
                }
                case SUB -> {
                    acc(adj, a[0], w);
                    acc(adj, a[1], neg(w));
                }
                case MUL -> {
                    acc(adj, a[0], mul(w, a[1]));
                    acc(adj, a[1], mul(w, a[0]));
                }
                case DIV -> {
                    int q = div(w, a[1]);
                    acc(adj, a[0], q);
                    acc(adj, a[1], neg(mul(q, id)));
                }
                case SQRT -> acc(adj, a[0], div(mul(w, constant(0.5f)), id));
                case EXP -> acc(adj, a[0], mul(w, id));
                case LOG -> acc(adj, a[0], div(w, a[0]));
                case SIN -> acc(adj, a[0], mul(w, fn(Op.COS, a[0])));
                case COS -> acc(adj, a[0], neg(mul(w, fn(Op.SIN, a[0]))));
                case TANH -> acc(adj, a[0], mul(w, sub(constant(1f), mul(id, id))));
                case SIGMOID -> acc(adj, a[0], mul(w, mul(id, sub(constant(1f), id))));
                case SOFTPLUS -> acc(adj, a[0], mul(w, fn(Op.SIGMOID, a[0])));
                case SELECT -> {
                    int zero = constant(0f);
                    acc(adj, a[2], select(n.cmp(), a[0], a[1], w, zero));
                    acc(adj, a[3], select(n.cmp(), a[0], a[1], zero, w));
                }
                default -> throw new IllegalStateException("no derivative for " + n.op());
            }
        }
        int[] g = new int[count];
        for (int i = 0; i < count; i++) {
            Integer w = adj.get(input(kind, i));
            g[i] = w == null ? constant(0f) : w;
        }
        return g;
    }

    private void acc(Map<Integer, Integer> adj, int target, int contribution) {
        if (isConst(contribution, 0f)) {
            return;
        }
        Integer have = adj.get(target);
        adj.put(target, have == null ? contribution : add(have, contribution));
    }

    /**
     * The nodes a set of outputs needs, in the order every printer emits them.
     *
     * @param outputs the ids of the outputs
     * @return the ids of the nodes the outputs depend on, in increasing order (evaluation order), outputs included
     */
    public int[] schedule(int... outputs) {
        boolean[] need = new boolean[nodes.size()];
        for (int o : outputs) {
            need[o] = true;
        }
        for (int id = nodes.size() - 1; id >= 0; id--) {
            if (need[id]) {
                for (int a : nodes.get(id).args()) {
                    need[a] = true;
                }
            }
        }
        int count = 0;
        for (boolean b : need) {
            count += b ? 1 : 0;
        }
        int[] order = new int[count];
        int k = 0;
        for (int id = 0; id < need.length; id++) {
            if (need[id]) {
                order[k++] = id;
            }
        }
        return order;
    }

    /**
     * Evaluates nodes in float, the reference semantics every printer must reproduce bit for bit
     * (used for constant folding, tests and the quadrature of a user potential; not on a hot path).
     *
     * @param inputs values of each input kind, indexed by {@link InputKind#ordinal()}
     * @param outputs the ids of the nodes wanted
     * @return the value of every node up to the largest output (NaN for unneeded ones)
     */
    public float[] evaluate(float[][] inputs, int... outputs) {
        int max = 0;
        for (int o : outputs) {
            max = Math.max(max, o);
        }
        float[] v = new float[max + 1];
        java.util.Arrays.fill(v, Float.NaN);
        for (int id : schedule(outputs)) {
            Node n = nodes.get(id);
            int[] a = n.args();
            v[id] = switch (n.op()) {
                case CONST -> n.value();
                case INPUT -> inputs[n.kind().ordinal()][n.input()];
                case NEG -> -v[a[0]];
                case ADD -> v[a[0]] + v[a[1]];
                case SUB -> v[a[0]] - v[a[1]];
                case MUL -> v[a[0]] * v[a[1]];
                case DIV -> v[a[0]] / v[a[1]];
                case SELECT -> n.cmp().test(v[a[0]], v[a[1]]) ? v[a[2]] : v[a[3]];
                default -> ModelMath.apply(n.op(), v[a[0]]);
            };
        }
        return v;
    }
}
