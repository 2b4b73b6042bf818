package dev.triage.fix;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * An edit of a firewalld zone file ({@code /etc/firewalld/zones/NAME.xml}) read as XML: the
 * interfaces are the {@code <interface name=...>} children of the root {@code <zone>} as an XML
 * parser sees them (any quoting, a comment that mentions {@code </zone>} is a comment), and a new
 * interface is inserted as one line before the root's end tag, indented like its siblings and with
 * the file's line ending. Every other byte of the file stays as it was.
 */
final class FirewalldZoneFile {
    private final String text;
    private final List<String> interfaces = new ArrayList<>();
    /** Where the root's end tag starts. */
    private final int rootEnd;
    private final String childIndent;

    private FirewalldZoneFile(String text, int rootEnd, String childIndent) {
        this.text = text;
        this.rootEnd = rootEnd;
        this.childIndent = childIndent;
    }

    /** Reads a zone file; a file that is not well-formed XML with a {@code <zone>} root is refused. */
    static FirewalldZoneFile parse(String text, String what) throws FixException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // no DTD, no external entities: a zone file needs neither, and they would read other files
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        List<String> names = new ArrayList<>();
        int depth = 0;
        int rootEnd = -1;
        String indent = null;
        try {
            XMLStreamReader r = factory.createXMLStreamReader(new StringReader(text));
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 1 && !r.getLocalName().equals("zone")) {
                        throw new FixException(what + " is not a firewalld zone (its root is <" + r.getLocalName() + ">)");
                    }
                    if (depth == 2) {
                        indent = indentOf(text, text.lastIndexOf('<', r.getLocation().getCharacterOffset() - 1));
                        if (r.getLocalName().equals("interface") && r.getAttributeValue(null, "name") != null) {
                            names.add(r.getAttributeValue(null, "name"));
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (depth == 1) {
                        rootEnd = text.lastIndexOf("</", r.getLocation().getCharacterOffset() - 1);
                    }
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            throw new FixException(what + " is not well-formed XML (" + e.getMessage().replaceAll("\\s+", " ").strip()
                    + "); fix the file first");
        }
        if (rootEnd < 0) {
            throw new FixException(what + " has no <zone> element; fix the file first");
        }
        FirewalldZoneFile zone = new FirewalldZoneFile(text, rootEnd, indent == null ? "  " : indent);
        zone.interfaces.addAll(names);
        return zone;
    }

    List<String> interfaces() {
        return List.copyOf(interfaces);
    }

    /** The text with {@code <interface name="NAME"/>} added, or the same text when the zone has it. */
    String withInterface(String name) {
        if (interfaces.contains(name)) {
            return text;
        }
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        int lineStart = text.lastIndexOf('\n', rootEnd - 1) + 1;
        String entry = childIndent + "<interface name=\"" + name + "\"/>";
        if (text.substring(lineStart, rootEnd).isBlank()) {
            // the end tag on a line of its own: the new line goes before it
            return text.substring(0, lineStart) + entry + eol + text.substring(lineStart);
        }
        return text.substring(0, rootEnd) + eol + entry + eol + text.substring(rootEnd);
    }

    /** The whitespace before {@code tag} on its line, or "" when something else precedes it there. */
    private static String indentOf(String text, int tag) {
        if (tag < 0) {
            return null;
        }
        int lineStart = text.lastIndexOf('\n', tag - 1) + 1;
        String before = text.substring(lineStart, tag);
        return before.isBlank() ? before : null;
    }
}
