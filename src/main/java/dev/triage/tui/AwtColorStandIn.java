package dev.triage.tui;

/**
 * Stands in for {@code java.awt.Color} inside Lanterna's {@code TextColor} classes (a relocation
 * in pom.xml's shade step). Lanterna's enum {@code TextColor.ANSI} declares {@code toColor()}
 * returning a {@code java.awt.Color}; {@code Enum.valueOf}, which Lanterna's theme parser calls on
 * every text UI start, reflects over the enum's public methods and so needs that class loaded, and
 * with it the whole java.desktop module (and java.xml, java.prefs, java.datatransfer): about 11 MB
 * of the packaged runtime for a method triage never calls. With the relocation the text UI runs on
 * a runtime without java.desktop. Only the constructor Lanterna calls and the colour's components.
 */
public final class AwtColorStandIn {
    private final int red;
    private final int green;
    private final int blue;

    public AwtColorStandIn(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    public int getRed() {
        return red;
    }

    public int getGreen() {
        return green;
    }

    public int getBlue() {
        return blue;
    }
}
