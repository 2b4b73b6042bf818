package dev.triage.fix;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TextDiffTest {

    /** Rebuilds the old (side '-') or new (side '+') text of a one-hunk diff body. */
    private static String side(List<String> body, char side) {
        StringBuilder sb = new StringBuilder();
        for (String line : body) {
            if (line.charAt(0) == ' ' || line.charAt(0) == side) {
                sb.append(line.substring(1)).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void addedLine() {
        assertEquals(List.of("--- a.conf", "+++ b.conf", "@@ -1,2 +1,3 @@", " one", " two", "+three"),
                TextDiff.unified("a.conf", "b.conf", "one\ntwo\n", "one\ntwo\nthree\n"));
    }

    @Test
    void changedLine() {
        String old = "one\ntwo\nthree\n";
        String now = "one\nTWO\nthree\n";
        List<String> diff = TextDiff.unified("f", "f", old, now);
        assertEquals(List.of("--- f", "+++ f", "@@ -1,3 +1,3 @@"), diff.subList(0, 3));
        List<String> body = new ArrayList<>(diff.subList(3, diff.size()));
        assertEquals(" one", body.get(0));
        assertEquals(" three", body.get(body.size() - 1));
        // the order of '-' and '+' within the change is not prescribed here
        assertEquals(List.of("+TWO", "-two"), body.subList(1, 3).stream().sorted().toList());
        // the hunk must reproduce both texts
        assertEquals(old, side(body, '-'));
        assertEquals(now, side(body, '+'));
    }

    @Test
    void newFileDiffsAgainstDevNull() {
        assertEquals(List.of("--- /dev/null", "+++ /etc/sysctl.d/99-x.conf", "@@ -0,0 +1,2 @@", "+# header", "+a = 1"),
                TextDiff.unified("/dev/null", "/etc/sysctl.d/99-x.conf", "", "# header\na = 1\n"));
    }

    @Test
    void changesFarApartGetTwoHunksWithThreeLinesOfContext() {
        StringBuilder old = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            old.append("l").append(i).append('\n');
        }
        String now = old.toString().replace("l2\n", "L2\n").replace("l18\n", "L18\n");
        List<String> hunks = TextDiff.unified("f", "f", old.toString(), now).stream().filter(l -> l.startsWith("@@")).toList();
        assertEquals(List.of("@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@"), hunks);
    }

    @Test
    void identicalTextsHaveNoHunk() {
        assertEquals(List.of("--- f", "+++ f"), TextDiff.unified("f", "f", "a\nb\n", "a\nb\n"));
    }
}
