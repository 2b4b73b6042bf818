package dev.triage.fix;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * An edit of a firewalld zone file ({@code /etc/firewalld/zones/NAME.xml}) read as XML by the
 * JDK's parser (no DTD, no external entities): the interfaces are the {@code <interface name=...>}
 * children of the root {@code <zone>} as the parser sees them (any quoting; a comment or CDATA that
 * mentions {@code </zone>} is not the end tag). A new interface is inserted as one line at the
 * root's end tag, indented like its siblings and with the file's line ending; every other byte of
 * the file stays as it was.
 *
 * <p>Where the end tag starts is confirmed by the parser, not by the parser's character offsets
 * (the JDK's drift after CDATA): a candidate {@code </zone} is the end tag when an element
 * inserted there reads back as the root's last child.
 */
final class FirewalldZoneFile {
    private static final String PROBE = "triage-insertion-point";

    private final String text;
    private final List<String> interfaces;
    /** Where the root's end tag starts. */
    private final int rootEnd;

    private FirewalldZoneFile(String text, List<String> interfaces, int rootEnd) {
        this.text = text;
        this.interfaces = List.copyOf(interfaces);
        this.rootEnd = rootEnd;
    }

    /** What one parse saw: the root's name, its interfaces, and its last child element's name. */
    private record Read(String root, List<String> interfaces, String lastChild) { }

    /** Reads a zone file; a file that is not well-formed XML with a {@code <zone>} root is refused, in words. */
    static FirewalldZoneFile parse(String text, String what) throws FixException {
        int bom = text.startsWith("\uFEFF") ? 1 : 0;
        String xml = text.substring(bom);
        Read read;
        try {
            read = read(xml);
        } catch (XMLStreamException e) {
            throw new FixException(what + " is not well-formed XML (" + e.getMessage().replaceAll("\\s+", " ").strip()
                    + "); firewalld cannot read it either: repair it, or move it away so that the fix writes a new zone");
        }
        if (!read.root().equals("zone")) {
            throw new FixException(what + " is not a firewalld zone: its root element is <" + read.root()
                    + ">, a zone's is <zone>. Check that the zone's name is right (the file is ZONE.xml in the zones"
                    + " folder), or move this file away if it does not belong there");
        }
        // the end tag is at or before the last "</zone" of the text; earlier candidates are in comments or CDATA
        for (int at = xml.lastIndexOf("</zone"); at >= 0; at = xml.lastIndexOf("</zone", at - 1)) {
            if (isRootEnd(xml, at)) {
                return new FirewalldZoneFile(text, read.interfaces(), bom + at);
            }
        }
        throw new FixException(what + " has an empty <zone/> element, with no end tag to add an interface before;"
                + " write it as <zone></zone> first, or add the interface with firewall-cmd --permanent");
    }

    /** Whether an element inserted at {@code at} reads back as the root's last child: then {@code at} is the end tag. */
    private static boolean isRootEnd(String xml, int at) {
        try {
            Read probe = read(xml.substring(0, at) + "<" + PROBE + "/>" + xml.substring(at));
            return PROBE.equals(probe.lastChild());
        } catch (XMLStreamException e) {
            return false; // inside a tag or a declaration: not the end tag
        }
    }

    private static Read read(String xml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // no DTD, no external entities: a zone file needs neither, and they would read other files
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader r = factory.createXMLStreamReader(new StringReader(xml));
        String root = null;
        String lastChild = null;
        List<String> names = new ArrayList<>();
        int depth = 0;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth == 1) {
                    root = r.getPrefix() == null || r.getPrefix().isEmpty() ? r.getLocalName() : r.getPrefix() + ":" + r.getLocalName();
                } else if (depth == 2) {
                    lastChild = r.getLocalName();
                    if (lastChild.equals("interface") && r.getAttributeValue(null, "name") != null) {
                        names.add(r.getAttributeValue(null, "name"));
                    }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        r.close();
        return new Read(root, names, lastChild);
    }

    List<String> interfaces() {
        return interfaces;
    }

    /** The text with {@code <interface name="NAME"/>} added, or the same text when the zone has it. */
    String withInterface(String name) {
        if (interfaces.contains(name)) {
            return text;
        }
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        int lineStart = text.lastIndexOf('\n', rootEnd - 1) + 1;
        String entry = childIndent() + "<interface name=\"" + name + "\"/>";
        if (text.substring(lineStart, rootEnd).isBlank()) {
            // the end tag on a line of its own: the new line goes before it
            return text.substring(0, lineStart) + entry + eol + text.substring(lineStart);
        }
        return text.substring(0, rootEnd) + eol + entry + eol + text.substring(rootEnd);
    }

    /**
     * The indentation of the last line before the end tag that starts with a child's tag (not the
     * declaration, a comment or the root's own start tag); firewalld's two spaces when there is none.
     */
    private String childIndent() {
        String[] lines = text.substring(0, rootEnd).split("\r?\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].replace("\uFEFF", "");
            String stripped = line.stripLeading();
            if (stripped.startsWith("<") && !stripped.startsWith("<?") && !stripped.startsWith("<!")
                    && !stripped.startsWith("<zone")) {
                return line.substring(0, line.length() - stripped.length());
            }
        }
        return "  ";
    }
}
