package org.langevin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The --optimizer syntax, PyTorch's defaults, the validation messages and the bias-correction powers. */
class OptimizerTest {
    @Test
    void parsesEveryShapeWithPyTorchsDefaults() {
        assertEquals(Optimizer.SGD, Optimizer.parse("sgd"));
        Optimizer m = Optimizer.parse("momentum:0.9");
        assertEquals(Optimizer.Kind.MOMENTUM, m.kind());
        assertEquals(0.9, m.a());
        assertEquals(Optimizer.Kind.NESTEROV, Optimizer.parse("nesterov:mu=0.5").kind());
        Optimizer r = Optimizer.parse("rmsprop");
        assertEquals(0.99, r.a());
        assertEquals(1e-8, r.eps());
        Optimizer a = Optimizer.parse("adam:b2=0.99");
        assertEquals(0.9, a.a());
        assertEquals(0.99, a.b());
        assertEquals(1e-8, a.eps());
        assertEquals("adam:b1=0.9,b2=0.99,eps=1.0E-8", a.toString());
        assertEquals(a, Optimizer.parse(a.toString()), "the canonical text parses back");
        assertEquals(2 * 3, a.auxRows(3));
        assertEquals(3, m.auxRows(3));
        assertEquals(0, Optimizer.SGD.auxRows(3));
    }

    @Test
    void badValuesNameTheParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("momentum:1")).getMessage()
                .contains("[0, 1)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("momentum")).getMessage()
                .contains("momentum:0.9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("adam:beta1=0.9")).getMessage()
                .contains("b1="));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("adam:eps=0")).getMessage()
                .contains("eps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("lion")).getMessage()
                .contains("adam:b1=0.9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("rmsprop:rho=x")).getMessage()
                .contains("not a number"));
    }

    @Test
    void powersAreExactForSmallExponentsAndCloseForLargeOnes() {
        assertEquals(1.0, Optimizer.powi(0.9, 0));
        assertEquals(0.9, Optimizer.powi(0.9, 1));
        assertEquals(0.9 * 0.9 * 0.9, Optimizer.powi(0.9, 3), 0.0, "r·b, then r·b² with b² rounded once");
        assertEquals(Math.pow(0.999, 12345), Optimizer.powi(0.999, 12345), 1e-12 * Math.pow(0.999, 12345));
    }
}
