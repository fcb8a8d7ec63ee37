package org.langevin.model.lang;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langevin.model.lang.Ast.Expr;
import org.langevin.model.lang.Graph.InputKind;
import org.langevin.model.lang.Graph.Op;

/**
 * Compiles a model description into a {@link Model}: resolves names, unrolls sums and indexed
 * definitions (indices are fixed at compile time), builds the IR and derives every gradient there.
 * Errors carry the line and column. Stateless apart from one compilation; use {@link #compile}.
 */
public final class ModelCompiler {
    private final Graph g = new Graph();
    private final List<Model.Slot> state = new ArrayList<>();
    private final List<Model.Slot> features = new ArrayList<>();
    private final Map<String, Double> constants = new LinkedHashMap<>();
    private final Map<String, Integer> constIndex = new HashMap<>();
    private final Map<String, Integer> letScalars = new HashMap<>();
    private final Map<String, int[]> letArrays = new HashMap<>();
    private String target;
    private int dim;
    private int featureCount;
    /** True while compiling a loss (the only place that may read an example). */
    private boolean inLoss;

    private ModelCompiler() {
    }

    /**
     * @param text the model description
     * @return the compiled model
     * @throws ModelSyntaxException with line and column when the model is not valid
     */
    public static Model compile(String text) {
        return new ModelCompiler().run(text);
    }

    private Model run(String text) {
        List<Ast.Stmt> stmts = Parser.parse(text);
        Ast.Expr lossExpr = null;
        Ast.Expr potentialExpr = null;
        int lossLine = 0;
        Map<String, Ast.Drift> drifts = new LinkedHashMap<>();
        Ast.Diffusion diffusion = null;
        boolean sawData = false;
        for (Ast.Stmt s : stmts) {
            if (s instanceof Ast.State st) {
                    for (Ast.Decl v : st.vars()) {
                        declareUnique(v.name(), v.line(), v.col());
                        int size = Math.max(1, v.size());
                        state.add(new Model.Slot(v.name(), size, dim, v.size() == 0));
                        dim += size;
                        if (dim > Model.MAX_DIM) {
                            throw new ModelSyntaxException(v.line(), v.col(), "the state has more than " + Model.MAX_DIM
                                    + " numbers (the kernels' limit: a particle's state lives in registers)");
                        }
                    }
            } else if (s instanceof Ast.Const c) {
                    for (Ast.ConstDef d : c.defs()) {
                        declareUnique(d.name(), d.line(), d.col());
                        if (!Double.isFinite(d.value()) || Math.abs(d.value()) > Float.MAX_VALUE) {
                            throw new ModelSyntaxException(d.line(), d.col(), "constant " + d.name() + " = " + d.value()
                                    + " is not a finite float");
                        }
                        constIndex.put(d.name(), constants.size());
                        constants.put(d.name(), d.value());
                    }
            } else if (s instanceof Ast.Data d) {
                    if (sawData) {
                        throw new ModelSyntaxException(d.line(), 0, "a model has one data line");
                    }
                    sawData = true;
                    for (Ast.Decl f : d.features()) {
                        declareUnique(f.name(), f.line(), f.col());
                        int size = Math.max(1, f.size());
                        features.add(new Model.Slot(f.name(), size, featureCount, f.size() == 0));
                        featureCount += size;
                    }
                    declareUnique(d.target().name(), d.target().line(), d.target().col());
                    target = d.target().name();
            } else if (s instanceof Ast.Let l) {
                    requireState(l.line());
                    declareUnique(l.name().name(), l.name().line(), l.name().col());
                    inLoss = true; // a definition may be used by the loss; checked again where it is used
                    if (l.indexVar() == null) {
                        letScalars.put(l.name().name(), node(l.body(), Map.of()));
                    } else {
                        int[] range = range(l.indexVar(), l.body(), l.line(), l.name().col());
                        int[] vals = new int[range[1] - range[0] + 1];
                        if (range[0] != 0) {
                            throw new ModelSyntaxException(l.line(), l.name().col(), "let " + l.name().name() + "["
                                    + l.indexVar() + "]: " + l.indexVar() + " must start at 0 (it starts at " + range[0] + ")");
                        }
                        for (int i = 0; i < vals.length; i++) {
                            vals[i] = node(l.body(), Map.of(l.indexVar(), i));
                        }
                        letArrays.put(l.name().name(), vals);
                    }
                    inLoss = false;
            } else if (s instanceof Ast.Loss l) {
                    if (lossExpr != null || potentialExpr != null) {
                        throw new ModelSyntaxException(l.line(), 0, "a model has one loss or one potential");
                    }
                    lossExpr = l.body();
                    lossLine = l.line();
            } else if (s instanceof Ast.Potential p) {
                    if (lossExpr != null || potentialExpr != null) {
                        throw new ModelSyntaxException(p.line(), 0, "a model has one loss or one potential");
                    }
                    potentialExpr = p.body();
                    lossLine = p.line();
            } else if (s instanceof Ast.Drift dr) {
                    if (drifts.containsKey(dr.state())) {
                        throw new ModelSyntaxException(dr.line(), dr.col(), "a second drift for " + dr.state());
                    }
                    drifts.put(dr.state(), dr);
            } else if (s instanceof Ast.Diffusion df) {
                    if (diffusion != null) {
                        throw new ModelSyntaxException(df.line(), df.col(), "a model has one diffusion line");
                    }
                    diffusion = df;
            }
        }
        if (dim == 0) {
            throw new ModelSyntaxException(0, 0, "the model declares no state: start with a line such as 'state x[2]'");
        }
        Model.Function loss = null;
        if (lossExpr != null || potentialExpr != null) {
            boolean perExample = lossExpr != null && target != null;
            if (potentialExpr != null && target != null) {
                throw new ModelSyntaxException(lossLine, 0, "a potential does not read data; write 'loss' for a "
                        + "per-example loss over the data line's examples");
            }
            inLoss = perExample;
            int v = node(lossExpr != null ? lossExpr : potentialExpr, Map.of());
            inLoss = false;
            loss = new Model.Function(v, g.gradient(v, InputKind.X, dim), perExample);
        } else if (target != null) {
            throw new ModelSyntaxException(0, 0, "the model declares data but no loss: add a line 'loss ...'");
        }
        int[] drift = null;
        int[] diff = null;
        Model.DiffusionShape shape = null;
        if (!drifts.isEmpty() || diffusion != null) {
            if (diffusion == null) {
                throw new ModelSyntaxException(0, 0, "the model has a drift but no diffusion: add 'diffusion = ...' "
                        + "(a scalar σ), 'diffusion[i] = ...' (diagonal) or 'diffusion[i][j] = ...' (a d×d matrix)");
            }
            drift = new int[dim];
            for (Model.Slot s : state) {
                Ast.Drift dr = drifts.remove(s.name());
                if (dr == null) {
                    throw new ModelSyntaxException(diffusion.line(), 0, "the state " + s.name() + " has no drift: add "
                            + "'drift " + s.name() + (s.scalar() ? "" : "[i]") + " = ...'");
                }
                if (s.scalar() != (dr.indexVar() == null)) {
                    throw new ModelSyntaxException(dr.line(), dr.col(), s.scalar() ? s.name() + " is a scalar: write 'drift "
                            + s.name() + " = ...'" : s.name() + " has " + s.size() + " elements: write 'drift " + s.name()
                            + "[i] = ...'");
                }
                for (int i = 0; i < s.size(); i++) {
                    drift[s.offset() + i] = node(dr.body(), dr.indexVar() == null ? Map.of() : Map.of(dr.indexVar(), i));
                }
            }
            if (!drifts.isEmpty()) {
                Ast.Drift dr = drifts.values().iterator().next();
                throw new ModelSyntaxException(dr.line(), dr.col(), "'" + dr.state() + "' is not a state variable");
            }
            List<String> iv = diffusion.indexVars();
            if (iv.size() == 2 && iv.get(0).equals(iv.get(1))) {
                throw new ModelSyntaxException(diffusion.line(), diffusion.col(), "diffusion[i][j] needs two different index names");
            }
            shape = iv.isEmpty() ? Model.DiffusionShape.SCALAR
                    : iv.size() == 1 ? Model.DiffusionShape.DIAGONAL : Model.DiffusionShape.FULL;
            diff = new int[iv.isEmpty() ? 1 : iv.size() == 1 ? dim : dim * dim];
            for (int k = 0; k < diff.length; k++) {
                Map<String, Integer> at = iv.isEmpty() ? Map.of()
                        : iv.size() == 1 ? Map.of(iv.get(0), k) : Map.of(iv.get(0), k / dim, iv.get(1), k % dim);
                diff[k] = node(diffusion.body(), at);
            }
        }
        if (loss == null && drift == null) {
            throw new ModelSyntaxException(0, 0, "the model defines nothing to simulate: add a 'loss', a 'potential', "
                    + "or a 'drift' with a 'diffusion'");
        }
        if (g.size() > Model.MAX_NODES) {
            throw new ModelSyntaxException(0, 0, "the model compiles to " + g.size() + " operations, more than the limit of "
                    + Model.MAX_NODES + " (the generated kernel would not fit); use fewer or smaller sums");
        }
        return new Model(text, sha256(text), List.copyOf(state), dim, java.util.Collections.unmodifiableMap(constants),
                List.copyOf(features), featureCount, target, g, loss, drift, diff, shape);
    }

    private void requireState(int line) {
        if (dim == 0) {
            throw new ModelSyntaxException(line, 0, "declare the state (a 'state' line) before this line");
        }
    }

    private void declareUnique(String name, int line, int col) {
        if (name.equals("t")) {
            throw new ModelSyntaxException(line, col, "'t' is the time and cannot be declared");
        }
        boolean taken = constants.containsKey(name) || name.equals(target) || letScalars.containsKey(name)
                || letArrays.containsKey(name) || state.stream().anyMatch(s -> s.name().equals(name))
                || features.stream().anyMatch(s -> s.name().equals(name));
        if (taken) {
            throw new ModelSyntaxException(line, col, "'" + name + "' is declared twice");
        }
    }

    /** The size of an indexable name, or -1 when the name is not an array. */
    private int arraySize(String name) {
        for (Model.Slot s : state) {
            if (s.name().equals(name) && !s.scalar()) {
                return s.size();
            }
        }
        for (Model.Slot s : features) {
            if (s.name().equals(name) && !s.scalar()) {
                return s.size();
            }
        }
        int[] l = letArrays.get(name);
        return l == null ? -1 : l.length;
    }

    /**
     * The values of an index variable that keep every {@code a[var + k]} in the body in range: the
     * intersection over its uses; arrays indexed by {@code var} itself must have one size.
     *
     * @return {lo, hi}, inclusive
     */
    private int[] range(String var, Expr body, int line, int col) {
        int[] r = {Integer.MIN_VALUE, Integer.MAX_VALUE};
        String[] plain = {null};
        int[] plainSize = {-1};
        collect(var, body, r, plain, plainSize);
        if (r[0] == Integer.MIN_VALUE) {
            throw new ModelSyntaxException(line, col, "cannot tell the range of " + var + ": index an array with it, "
                    + "as in x[" + var + "]");
        }
        if (r[0] > r[1]) {
            throw new ModelSyntaxException(line, col, "no value of " + var + " keeps every index in range");
        }
        return r;
    }

    private void collect(String var, Expr e, int[] r, String[] plain, int[] plainSize) {
        if (e instanceof Ast.Ref ref) {
                if (ref.index() != null && var.equals(ref.index().var())) {
                    int n = arraySize(ref.name());
                    if (n < 0) {
                        throw new ModelSyntaxException(ref.line(), ref.col(), "'" + ref.name() + "' is not an array");
                    }
                    int k = ref.index().offset();
                    r[0] = Math.max(r[0], -k);
                    r[1] = Math.min(r[1], n - 1 - k);
                    if (k == 0) {
                        if (plainSize[0] >= 0 && plainSize[0] != n) {
                            throw new ModelSyntaxException(ref.line(), ref.col(), "the index " + var + " runs over "
                                    + plain[0] + " (" + plainSize[0] + " elements) and " + ref.name() + " (" + n
                                    + " elements): they must have the same size");
                        }
                        plain[0] = ref.name();
                        plainSize[0] = n;
                    }
                }
        } else if (e instanceof Ast.Neg n) {
            collect(var, n.a(), r, plain, plainSize);
        } else if (e instanceof Ast.Bin b) {
            collect(var, b.a(), r, plain, plainSize);
            collect(var, b.b(), r, plain, plainSize);
        } else if (e instanceof Ast.Pow p) {
            collect(var, p.a(), r, plain, plainSize);
        } else if (e instanceof Ast.Call c) {
            c.args().forEach(a -> collect(var, a, r, plain, plainSize));
        } else if (e instanceof Ast.Sum s) {
            if (!s.var().equals(var)) {
                collect(var, s.body(), r, plain, plainSize);
            }
        } else if (e instanceof Ast.If f) {
            collect(var, f.l(), r, plain, plainSize);
            collect(var, f.r(), r, plain, plainSize);
            collect(var, f.then(), r, plain, plainSize);
            collect(var, f.otherwise(), r, plain, plainSize);
        }
    }

    /** Builds the IR of an expression with the index variables bound to the given values. */
    private int node(Expr e, Map<String, Integer> idx) {
        if (e instanceof Ast.Num n) {
            float f = (float) n.value();
            if (!Float.isFinite(f)) {
                throw new ModelSyntaxException(n.line(), n.col(), "the number " + n.value() + " is not a finite float");
            }
            return g.constant(f);
        }
        if (e instanceof Ast.Ref ref) {
            return ref(ref, idx);
        }
        if (e instanceof Ast.Neg n) {
            return g.neg(node(n.a(), idx));
        }
        if (e instanceof Ast.Bin b) {
            int x = node(b.a(), idx);
            int y = node(b.b(), idx);
            return switch (b.op()) {
                case '+' -> g.add(x, y);
                case '-' -> g.sub(x, y);
                case '*' -> g.mul(x, y);
                default -> g.div(x, y);
            };
        }
        if (e instanceof Ast.Pow p) {
            return g.pow(node(p.a(), idx), p.n());
        }
        if (e instanceof Ast.Call c) {
            return call(c, idx);
        }
        if (e instanceof Ast.Sum s) {
            if (idx.containsKey(s.var()) || isName(s.var())) {
                throw new ModelSyntaxException(s.line(), s.col(), "the summation index '" + s.var()
                        + "' is already in use; pick another name");
            }
            int[] r = range(s.var(), s.body(), s.line(), s.col());
            int acc = -1;
            for (int i = r[0]; i <= r[1]; i++) {
                Map<String, Integer> inner = new HashMap<>(idx);
                inner.put(s.var(), i);
                int term = node(s.body(), inner);
                acc = acc < 0 ? term : g.add(acc, term);
            }
            return acc;
        }
        Ast.If f = (Ast.If) e;
        return g.select(Graph.Cmp.of(f.cmp()), node(f.l(), idx), node(f.r(), idx), node(f.then(), idx),
                node(f.otherwise(), idx));
    }

    private boolean isName(String n) {
        return constants.containsKey(n) || n.equals(target) || letScalars.containsKey(n) || letArrays.containsKey(n)
                || state.stream().anyMatch(s -> s.name().equals(n)) || features.stream().anyMatch(s -> s.name().equals(n));
    }

    private int call(Ast.Call c, Map<String, Integer> idx) {
        int a = node(c.args().get(0), idx);
        switch (c.fn()) {
            case "abs":
                return g.select(Graph.Cmp.LT, a, g.constant(0f), g.neg(a), a);
            case "min": {
                int b = node(c.args().get(1), idx);
                return g.select(Graph.Cmp.LT, b, a, b, a);
            }
            case "max": {
                int b = node(c.args().get(1), idx);
                return g.select(Graph.Cmp.GT, b, a, b, a);
            }
            default:
                return g.fn(Op.valueOf(c.fn().toUpperCase(java.util.Locale.ROOT)), a);
        }
    }

    private int ref(Ast.Ref ref, Map<String, Integer> idx) {
        String n = ref.name();
        if (ref.index() == null) {
            if (n.equals("t")) {
                return g.input(InputKind.T, 0);
            }
            if (idx.containsKey(n)) {
                return g.constant(idx.get(n));
            }
            if (constIndex.containsKey(n)) {
                return g.input(InputKind.C, constIndex.get(n));
            }
            if (letScalars.containsKey(n)) {
                return letScalars.get(n);
            }
            if (n.equals(target)) {
                requireLoss(ref);
                return g.input(InputKind.E, featureCount);
            }
        }
        for (Model.Slot s : state) {
            if (s.name().equals(n)) {
                return g.input(InputKind.X, s.offset() + element(ref, s.size(), s.scalar(), idx));
            }
        }
        for (Model.Slot s : features) {
            if (s.name().equals(n)) {
                requireLoss(ref);
                return g.input(InputKind.E, s.offset() + element(ref, s.size(), s.scalar(), idx));
            }
        }
        if (letArrays.containsKey(n)) {
            int[] v = letArrays.get(n);
            return v[element(ref, v.length, false, idx)];
        }
        if (ref.index() != null && (constIndex.containsKey(n) || letScalars.containsKey(n) || n.equals(target)
                || n.equals("t") || idx.containsKey(n))) {
            throw new ModelSyntaxException(ref.line(), ref.col(), "'" + n + "' is a number, not an array: drop the [...]");
        }
        throw new ModelSyntaxException(ref.line(), ref.col(), "unknown name '" + n + "'");
    }

    private void requireLoss(Ast.Ref ref) {
        if (!inLoss) {
            throw new ModelSyntaxException(ref.line(), ref.col(), "'" + ref.name() + "' is data: it can only be used in "
                    + "the loss (and in definitions the loss uses)");
        }
    }

    private static int element(Ast.Ref ref, int size, boolean scalar, Map<String, Integer> idx) {
        if (ref.index() == null) {
            if (!scalar) {
                throw new ModelSyntaxException(ref.line(), ref.col(), "'" + ref.name() + "' has " + size
                        + " elements: write " + ref.name() + "[i] (or sum over them)");
            }
            return 0;
        }
        if (scalar) {
            throw new ModelSyntaxException(ref.line(), ref.col(), "'" + ref.name() + "' is a scalar: drop the [...]");
        }
        Ast.Index ix = ref.index();
        int base = 0;
        if (ix.var() != null) {
            Integer v = idx.get(ix.var());
            if (v == null) {
                throw new ModelSyntaxException(ix.line(), ix.col(), "the index '" + ix.var() + "' is not defined here "
                        + "(indices come from sum(" + ix.var() + ", ...), let a[" + ix.var() + "], drift x[" + ix.var()
                        + "] or diffusion[" + ix.var() + "])");
            }
            base = v;
        }
        int i = base + ix.offset();
        if (i < 0 || i >= size) {
            throw new ModelSyntaxException(ix.line(), ix.col(), "index " + i + " is out of range for " + ref.name() + " (0.."
                    + (size - 1) + ")");
        }
        return i;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
