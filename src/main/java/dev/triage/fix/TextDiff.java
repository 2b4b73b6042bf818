package dev.triage.fix;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two small texts (config files), for previews. Line-based LCS; files here are short. */
public final class TextDiff {
    private static final int CONTEXT = 3;

    private TextDiff() { }

    public static List<String> unified(String oldName, String newName, String oldText, String newText) {
        List<String> a = lines(oldText);
        List<String> b = lines(newText);
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // edit script: ' ', '-', '+' with positions in a and b
        List<char[]> ops = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(new char[]{' '});
                texts.add(a.get(i));
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new char[]{'-'}); // deletions before additions, as diff(1) prints them
                texts.add(a.get(i));
                i++;
            } else {
                ops.add(new char[]{'+'});
                texts.add(b.get(j));
                j++;
            }
        }
        List<String> out = new ArrayList<>();
        out.add("--- " + oldName);
        out.add("+++ " + newName);
        int n = ops.size();
        int k = 0;
        int oldLine = 1;
        int newLine = 1;
        while (k < n) {
            if (ops.get(k)[0] == ' ') {
                k++;
                oldLine++;
                newLine++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            int lastChange = k;
            while (end < n && (ops.get(end)[0] != ' ' || end - lastChange <= 2 * CONTEXT)) {
                if (ops.get(end)[0] != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(n, lastChange + CONTEXT + 1);
            int back = k - start;
            int hunkOld = oldLine - back;
            int hunkNew = newLine - back;
            int oldCount = 0;
            int newCount = 0;
            List<String> body = new ArrayList<>();
            for (int x = start; x < end; x++) {
                char op = ops.get(x)[0];
                body.add(op + texts.get(x));
                if (op != '+') {
                    oldCount++;
                }
                if (op != '-') {
                    newCount++;
                }
            }
            out.add("@@ -" + (oldCount == 0 ? hunkOld - 1 : hunkOld) + "," + oldCount + " +"
                    + (newCount == 0 ? hunkNew - 1 : hunkNew) + "," + newCount + " @@");
            out.addAll(body);
            for (int x = k; x < end; x++) {
                char op = ops.get(x)[0];
                if (op != '+') {
                    oldLine++;
                }
                if (op != '-') {
                    newLine++;
                }
            }
            k = end;
        }
        return out;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return lines;
        }
        for (String l : text.split("\n", -1)) {
            lines.add(l);
        }
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
