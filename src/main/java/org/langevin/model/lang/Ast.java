package org.langevin.model.lang;

import java.util.List;

/** The parsed model, before names are resolved: expressions and statements with their positions. */
final class Ast {
    private Ast() {
    }

    /** An expression; {@link #line()} and {@link #col()} locate it in the text. */
    sealed interface Expr permits Num, Ref, Neg, Bin, Pow, Call, Sum, If {
        int line();

        int col();
    }

    /** A number literal. */
    record Num(double value, int line, int col) implements Expr {
    }

    /**
     * An index into an array: {@code var + offset}, or the constant {@code offset} when var is null.
     */
    record Index(String var, int offset, int line, int col) {
    }

    /** A name, or an array element {@code name[index]}. */
    record Ref(String name, Index index, int line, int col) implements Expr {
    }

    /** Unary minus. */
    record Neg(Expr a, int line, int col) implements Expr {
    }

    /** a op b with op one of + - * /. */
    record Bin(char op, Expr a, Expr b, int line, int col) implements Expr {
    }

    /** a ^ n, n an integer. */
    record Pow(Expr a, int n, int line, int col) implements Expr {
    }

    /** A function call: sqrt, exp, log, sin, cos, tanh, sigmoid, softplus, abs, min, max. */
    record Call(String fn, List<Expr> args, int line, int col) implements Expr {
    }

    /** sum(var, body): body summed over the values of var that keep every index in range. */
    record Sum(String var, Expr body, int line, int col) implements Expr {
    }

    /** if(l cmp r, then, otherwise). */
    record If(String cmp, Expr l, Expr r, Expr then, Expr otherwise, int line, int col) implements Expr {
    }

    /** A declared name with its size (0: a scalar). */
    record Decl(String name, int size, int line, int col) {
    }

    /** A statement of the model. */
    sealed interface Stmt permits State, Const, Data, Let, Loss, Potential, Drift, Diffusion {
        int line();
    }

    /** {@code state w[4], a[4]}. */
    record State(List<Decl> vars, int line) implements Stmt {
    }

    /** One constant with its default value. */
    record ConstDef(String name, double value, int line, int col) {
    }

    /** {@code const theta = 2, mu = 0}. */
    record Const(List<ConstDef> defs, int line) implements Stmt {
    }

    /** {@code data x[2] -> y}: the features of one example and its target. */
    record Data(List<Decl> features, Decl target, int line) implements Stmt {
    }

    /** {@code let h[j] = ...} or {@code let r = ...}. */
    record Let(Decl name, String indexVar, Expr body, int line) implements Stmt {
    }

    /** {@code loss ...}: the per-example loss. */
    record Loss(Expr body, int line) implements Stmt {
    }

    /** {@code potential ...}: U(x). */
    record Potential(Expr body, int line) implements Stmt {
    }

    /** {@code drift x[i] = ...} or {@code drift x = ...}. */
    record Drift(String state, String indexVar, Expr body, int line, int col) implements Stmt {
    }

    /** {@code diffusion = ...}, {@code diffusion[i] = ...} or {@code diffusion[i][j] = ...}. */
    record Diffusion(List<String> indexVars, Expr body, int line, int col) implements Stmt {
    }
}
