package dev.triage.mail;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MailuProxyProtocolTest {
    private static final List<Integer> MAIL = List.of(25, 110, 143, 465, 587, 993, 995, 4190);

    @Test
    void mailIsEveryMailPortSorted() {
        assertEquals(MAIL, MailuProxyProtocol.ports("mail"));
    }

    @Test
    void http() {
        assertEquals(List.of(80, 443), MailuProxyProtocol.ports("http"));
    }

    @Test
    void all() {
        assertEquals(List.of(25, 80, 110, 143, 443, 465, 587, 993, 995, 4190), MailuProxyProtocol.ports("all"));
    }

    @Test
    void allButHttp() {
        assertEquals(MAIL, MailuProxyProtocol.ports("all-but-http"));
    }

    @Test
    void caseAndSurroundingSpaceDoNotMatter() {
        assertEquals(MAIL, MailuProxyProtocol.ports("  MAIL \n"));
    }

    @Test
    void portLists() {
        assertEquals(List.of(25, 465, 993), MailuProxyProtocol.ports("25,465,993"));
        assertEquals(List.of(25, 465), MailuProxyProtocol.ports("25, 465"));
        assertEquals(List.of(25, 465), MailuProxyProtocol.ports("465,25,465"), "sorted, no duplicates");
        assertEquals(List.of(25, 80, 443), MailuProxyProtocol.ports("http,25"));
    }

    @Test
    void offValues() {
        assertEquals(List.of(), MailuProxyProtocol.ports(""));
        assertEquals(List.of(), MailuProxyProtocol.ports("false"));
        assertEquals(List.of(), MailuProxyProtocol.ports(null));
    }

    @Test
    void invalidItemsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MailuProxyProtocol.ports("smtps"));
        assertTrue(e.getMessage().contains("'smtps'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MailuProxyProtocol.ports("25,70000"));
        assertTrue(e.getMessage().contains("'70000'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MailuProxyProtocol.ports("0"));
        assertTrue(e.getMessage().contains("'0'"), e.getMessage());
    }

    @Test
    void needs202406() {
        assertTrue(MailuProxyProtocol.needs202406("all-but-http"));
        assertTrue(MailuProxyProtocol.needs202406("25,465,993"));
        assertTrue(MailuProxyProtocol.needs202406("993"));
        assertFalse(MailuProxyProtocol.needs202406("mail"));
        assertFalse(MailuProxyProtocol.needs202406("http"));
        assertFalse(MailuProxyProtocol.needs202406("all"));
        assertFalse(MailuProxyProtocol.needs202406(""));
        assertFalse(MailuProxyProtocol.needs202406(null));
    }

    @Test
    void without25On20KeepsOnlyHttp() {
        assertEquals("http", MailuProxyProtocol.without25("all", false));
        assertEquals("", MailuProxyProtocol.without25("mail", false));
        assertEquals("http", MailuProxyProtocol.without25("http", false));
        assertEquals("", MailuProxyProtocol.without25("", false));
    }

    @Test
    void without25WithPortLists() {
        assertEquals("110,143,465,587,993,995,4190", MailuProxyProtocol.without25("mail", true));
        assertEquals("80,110,143,443,465,587,993,995,4190", MailuProxyProtocol.without25("all", true));
        assertEquals("465,993", MailuProxyProtocol.without25("25,465,993", true));
        assertEquals("80,443", MailuProxyProtocol.without25("http", true));
        assertEquals("", MailuProxyProtocol.without25("25", true));
    }

    @Test
    void without25RejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> MailuProxyProtocol.without25("smtps", true));
    }
}
