package org.langevin.model.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.langevin.model.lang.Ast.Expr;
import org.langevin.model.lang.Lexer.Kind;
import org.langevin.model.lang.Lexer.Token;

/** Recursive-descent parser of the model language (grammar in docs/models.md). Not thread-safe. */
final class Parser {
    /** Functions of one argument. */
    static final Set<String> UNARY = Set.of("sqrt", "exp", "log", "sin", "cos", "tanh", "sigmoid", "softplus", "abs");
    /** Functions of two arguments. */
    static final Set<String> BINARY = Set.of("min", "max");
    /** Words that cannot name a variable. */
    static final Set<String> KEYWORDS = Set.of("state", "const", "data", "let", "loss", "potential", "drift", "diffusion",
            "sum", "if", "t");

    private final List<Token> toks;
    private int pos;

    private Parser(List<Token> toks) {
        this.toks = toks;
    }

    /** @return the statements of a model text */
    static List<Ast.Stmt> parse(String text) {
        return new Parser(Lexer.tokens(text)).program();
    }

    private Token peek() {
        return toks.get(pos);
    }

    private Token next() {
        return toks.get(pos++);
    }

    private ModelSyntaxException error(Token t, String msg) {
        return new ModelSyntaxException(t.line(), t.column(), msg);
    }

    private static String shown(Token t) {
        return switch (t.kind()) {
            case NEWLINE -> "the end of the line";
            case END -> "the end of the model";
            default -> "'" + t.text() + "'";
        };
    }

    private Token expect(String s) {
        Token t = next();
        if (!t.is(s)) {
            throw error(t, "expected '" + s + "' but found " + shown(t));
        }
        return t;
    }

    private Token name(String what) {
        Token t = next();
        if (t.kind() != Kind.NAME) {
            throw error(t, "expected " + what + " but found " + shown(t));
        }
        return t;
    }

    private List<Ast.Stmt> program() {
        List<Ast.Stmt> out = new ArrayList<>();
        while (peek().kind() != Kind.END) {
            if (peek().kind() == Kind.NEWLINE) {
                next();
                continue;
            }
            out.add(statement());
            Token t = next();
            if (t.kind() != Kind.NEWLINE) {
                throw error(t, "expected the end of the statement but found " + shown(t));
            }
        }
        return out;
    }

    private Ast.Stmt statement() {
        Token kw = name("a statement (state, const, data, let, loss, potential, drift, diffusion)");
        int line = kw.line();
        switch (kw.text()) {
            case "state": {
                List<Ast.Decl> vars = new ArrayList<>();
                do {
                    vars.add(decl("a state variable"));
                } while (accept(","));
                return new Ast.State(vars, line);
            }
            case "const": {
                List<Ast.ConstDef> defs = new ArrayList<>();
                do {
                    Token n = name("a constant's name");
                    checkName(n);
                    expect("=");
                    boolean neg = accept("-");
                    Token v = next();
                    if (v.kind() != Kind.NUMBER) {
                        throw error(v, "a constant's value must be a number, found " + shown(v));
                    }
                    double value = number(v);
                    defs.add(new Ast.ConstDef(n.text(), neg ? -value : value, n.line(), n.column()));
                } while (accept(","));
                return new Ast.Const(defs, line);
            }
            case "data": {
                List<Ast.Decl> feats = new ArrayList<>();
                if (!peek().is("->")) {
                    do {
                        feats.add(decl("a feature name"));
                    } while (accept(","));
                }
                expect("->");
                Ast.Decl target = decl("the target's name");
                if (target.size() != 0) {
                    throw new ModelSyntaxException(target.line(), target.col(), "the target is one number per example: "
                            + "write '-> " + target.name() + "' without a size");
                }
                return new Ast.Data(feats, target, line);
            }
            case "let": {
                Token n = name("the name being defined");
                checkName(n);
                String idx = null;
                if (accept("[")) {
                    idx = name("an index variable").text();
                    expect("]");
                }
                expect("=");
                return new Ast.Let(new Ast.Decl(n.text(), 0, n.line(), n.column()), idx, expr(), line);
            }
            case "loss":
                return new Ast.Loss(expr(), line);
            case "potential":
                return new Ast.Potential(expr(), line);
            case "drift": {
                Token n = name("the state variable the drift moves");
                String idx = null;
                if (accept("[")) {
                    idx = name("an index variable").text();
                    expect("]");
                }
                expect("=");
                return new Ast.Drift(n.text(), idx, expr(), line, n.column());
            }
            case "diffusion": {
                List<String> idx = new ArrayList<>();
                while (accept("[")) {
                    idx.add(name("an index variable").text());
                    expect("]");
                }
                if (idx.size() > 2) {
                    throw error(kw, "a diffusion is a scalar, a diagonal diffusion[i] or a matrix diffusion[i][j]");
                }
                expect("=");
                return new Ast.Diffusion(idx, expr(), line, kw.column());
            }
            default:
                throw error(kw, "unknown statement '" + kw.text()
                        + "'; a model has state, const, data, let, loss, potential, drift and diffusion lines");
        }
    }

    private void checkName(Token n) {
        if (KEYWORDS.contains(n.text()) || UNARY.contains(n.text()) || BINARY.contains(n.text())) {
            throw error(n, "'" + n.text() + "' is a reserved word and cannot name a variable");
        }
    }

    private Ast.Decl decl(String what) {
        Token n = name(what);
        checkName(n);
        int size = 0;
        if (accept("[")) {
            Token s = next();
            if (s.kind() != Kind.NUMBER || !s.text().chars().allMatch(Character::isDigit)) {
                throw error(s, "the size of " + n.text() + " must be a positive integer, found " + shown(s));
            }
            size = Integer.parseInt(s.text());
            if (size < 1) {
                throw error(s, "the size of " + n.text() + " must be at least 1, got " + size);
            }
            expect("]");
        }
        return new Ast.Decl(n.text(), size, n.line(), n.column());
    }

    private boolean accept(String s) {
        if (peek().is(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private static double number(Token t) {
        try {
            return Double.parseDouble(t.text());
        } catch (NumberFormatException e) {
            throw new ModelSyntaxException(t.line(), t.column(), "not a number: '" + t.text() + "'");
        }
    }

    Expr expr() {
        Expr a = term();
        while (peek().is("+") || peek().is("-")) {
            Token op = next();
            a = new Ast.Bin(op.text().charAt(0), a, term(), op.line(), op.column());
        }
        return a;
    }

    private Expr term() {
        Expr a = unary();
        while (peek().is("*") || peek().is("/")) {
            Token op = next();
            a = new Ast.Bin(op.text().charAt(0), a, unary(), op.line(), op.column());
        }
        return a;
    }

    private Expr unary() {
        if (peek().is("-")) {
            Token op = next();
            return new Ast.Neg(unary(), op.line(), op.column());
        }
        if (peek().is("+")) {
            next();
            return unary();
        }
        return power();
    }

    private Expr power() {
        Expr a = primary();
        if (peek().is("^")) {
            Token op = next();
            boolean neg = accept("-");
            Token n = next();
            if (n.kind() != Kind.NUMBER || !n.text().chars().allMatch(Character::isDigit)) {
                throw error(n, "powers must be integers (x^2, x^-1); for other powers write exp(p * log(x))");
            }
            int k = Integer.parseInt(n.text());
            if (k > 64) {
                throw error(n, "the power " + k + " is larger than 64");
            }
            return new Ast.Pow(a, neg ? -k : k, op.line(), op.column());
        }
        return a;
    }

    private Expr primary() {
        Token t = next();
        if (t.kind() == Kind.NUMBER) {
            return new Ast.Num(number(t), t.line(), t.column());
        }
        if (t.is("(")) {
            Expr e = expr();
            expect(")");
            return e;
        }
        if (t.kind() != Kind.NAME) {
            throw error(t, "expected a number, a name or '(' but found " + shown(t));
        }
        String n = t.text();
        if (n.equals("sum")) {
            expect("(");
            Token v = name("the summation index");
            expect(",");
            Expr body = expr();
            expect(")");
            return new Ast.Sum(v.text(), body, t.line(), t.column());
        }
        if (n.equals("if")) {
            expect("(");
            Expr l = expr();
            Token cmp = next();
            if (!(cmp.is("<") || cmp.is("<=") || cmp.is(">") || cmp.is(">=") || cmp.is("==") || cmp.is("!="))) {
                throw error(cmp, "if(a < b, then, else) needs a comparison (<, <=, >, >=, ==, !=), found " + shown(cmp));
            }
            Expr r = expr();
            expect(",");
            Expr a = expr();
            expect(",");
            Expr b = expr();
            expect(")");
            return new Ast.If(cmp.text(), l, r, a, b, t.line(), t.column());
        }
        if (UNARY.contains(n) || BINARY.contains(n)) {
            expect("(");
            List<Expr> args = new ArrayList<>();
            args.add(expr());
            while (accept(",")) {
                args.add(expr());
            }
            expect(")");
            int want = UNARY.contains(n) ? 1 : 2;
            if (args.size() != want) {
                throw error(t, n + " takes " + want + " argument" + (want == 1 ? "" : "s") + ", got " + args.size());
            }
            return new Ast.Call(n, args, t.line(), t.column());
        }
        if (peek().is("(")) {
            throw error(t, "unknown function '" + n + "'; the functions are sqrt, exp, log, sin, cos, tanh, sigmoid, "
                    + "softplus, abs, min, max, sum and if");
        }
        Ast.Index idx = null;
        if (accept("[")) {
            Token it = next();
            if (it.kind() == Kind.NUMBER && it.text().chars().allMatch(Character::isDigit)) {
                idx = new Ast.Index(null, Integer.parseInt(it.text()), it.line(), it.column());
            } else if (it.kind() == Kind.NAME) {
                int off = 0;
                if (peek().is("+") || peek().is("-")) {
                    boolean minus = next().is("-");
                    Token k = next();
                    if (k.kind() != Kind.NUMBER || !k.text().chars().allMatch(Character::isDigit)) {
                        throw error(k, "an index is i, i + k or i - k with an integer k; found " + shown(k));
                    }
                    off = minus ? -Integer.parseInt(k.text()) : Integer.parseInt(k.text());
                }
                idx = new Ast.Index(it.text(), off, it.line(), it.column());
            } else {
                throw error(it, "an index is an integer, i, i + k or i - k; found " + shown(it));
            }
            expect("]");
        }
        return new Ast.Ref(n, idx, t.line(), t.column());
    }
}
