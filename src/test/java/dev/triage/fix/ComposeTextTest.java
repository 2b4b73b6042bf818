package dev.triage.fix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ComposeTextTest {

    @Test
    void codePointsBecomeStringOffsets() {
        // BOM, then a character outside the BMP (two chars, one code point)
        ComposeText t = new ComposeText("\uFEFFa: \uD83D\uDCE6\nb: c\n");
        assertEquals(0, t.charOffset(0));
        assertEquals(4, t.charOffset(4));
        assertEquals(6, t.charOffset(5), "after the emoji");
        assertEquals('b', t.text.charAt(t.charOffset(6)));
        ComposeText plain = new ComposeText("a: b\n");
        assertEquals(3, plain.charOffset(3));
    }

    @Test
    void linesKeepTheirEndings() {
        ComposeText t = new ComposeText("\uFEFFa: 1\r\nb: 2\nc: 3");
        assertEquals(3, t.lineCount());
        assertEquals("a: 1", t.line(0), "the BOM is not part of the line");
        assertEquals(5, t.contentEnd(0));
        assertEquals(7, t.lineEnd(0));
        assertEquals(1, t.lineOf(7));
        assertEquals(2, t.lineOf(t.text.length()));
        assertEquals("line 2 (b: 2)", t.at(8));
        assertFalse(t.finalNewline);
    }

    @Test
    void deletingTheLastLinesOfAFileWithoutFinalNewlineKeepsItWithout() {
        ComposeText t = new ComposeText("a:\r\n  - 1\r\n  - 2");
        ComposeText.Edits e = t.edits();
        e.deleteLines(2, 2);
        e.insert(2, " # x");
        assertEquals("a: # x\r\n  - 1", e.apply());
        ComposeText.Edits both = t.edits();
        both.deleteLines(1, 2);
        assertEquals("a:", both.apply());
    }

    @Test
    void overlappingEditsAreABug() {
        ComposeText t = new ComposeText("a: 1\nb: 2\n");
        ComposeText.Edits e = t.edits();
        e.replace(0, 4, "a: 2");
        e.deleteLines(0, 0);
        assertThrows(IllegalStateException.class, e::apply);
    }

    @Test
    void aLoneCarriageReturnIsFound() {
        assertEquals(4, new ComposeText("a: 1\rb: 2\r\n").loneCarriageReturn());
        assertEquals(-1, new ComposeText("a: 1\r\nb: 2\r\n").loneCarriageReturn());
    }
}
