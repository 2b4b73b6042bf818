package dev.triage.probe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * issue 15: a container env value holding a newline (FOO=x\nONE_DIR=1) made a variable up
 * (one-dir-removed). The engine's environment is read as the list it is.
 */
class EnvironmentListTest {
    private static final String[] ENV = {"PATH=/usr/bin", "FOO=x\nONE_DIR=1", "QUOTED=\"a b\"", "EMPTY=", "SPACED= v ",
            "ONE_DIR_LIKE=1"};

    @Test
    void aNewlineInsideAValueMakesNoVariable() {
        EnvValueProbe.Found one = EnvValueProbe.inEnvironment(ENV, "ONE_DIR");
        assertNull(one.value());
        assertEquals(0, one.count());
        assertEquals("x\nONE_DIR=1", EnvValueProbe.inEnvironment(ENV, "FOO").value());
    }

    @Test
    void valuesAreLiteral() {
        assertEquals("\"a b\"", EnvValueProbe.inEnvironment(ENV, "QUOTED").value(), "the program sees the quotes");
        assertEquals("", EnvValueProbe.inEnvironment(ENV, "EMPTY").value());
        assertEquals(" v ", EnvValueProbe.inEnvironment(ENV, "SPACED").value());
        assertNull(EnvValueProbe.inEnvironment(null, "PATH").value());
    }

    @Test
    void aFileIsStillReadLineByLine() {
        assertEquals("1", EnvValueProbe.inFile("FOO=x\nONE_DIR=1\n", "ONE_DIR").value());
    }
}
