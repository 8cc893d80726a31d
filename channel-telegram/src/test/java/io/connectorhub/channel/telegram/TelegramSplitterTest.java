package io.connectorhub.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TelegramSplitterTest {
    @Test
    void keepsAShortMessageWhole() {
        assertEquals(List.of("hello"), TelegramSplitter.split("hello"));
    }

    @Test
    void neverReturnsAPartLongerThanTheLimit() {
        String text = ("<b>" + "lorem ipsum dolor ".repeat(200) + "</b>\n\n").repeat(5);
        List<String> parts = TelegramSplitter.split(text);
        assertTrue(parts.size() > 1);
        for (String part : parts) assertTrue(part.length() <= TelegramSplitter.LIMIT, part.length() + " chars");
    }

    @Test
    void prefersAParagraphBreakThenALineBreakThenASpace() {
        assertEquals(List.of("aaaa bbbb", "cccc"), TelegramSplitter.split("aaaa bbbb\n\ncccc", 12));
        assertEquals(List.of("aaaa bbbb", "cccc dd"), TelegramSplitter.split("aaaa bbbb\ncccc dd", 12));
        assertEquals(List.of("aaaa bbbb", "cccc"), TelegramSplitter.split("aaaa bbbb cccc", 12));
        assertEquals(List.of("aaaaaaaaaa", "aaaaa"), TelegramSplitter.split("aaaaaaaaaaaaaaa", 10));
    }

    @Test
    void neverCutsASurrogatePair() {
        String text = "a" + "😀".repeat(10); // 1 + 20 chars
        List<String> parts = TelegramSplitter.split(text, 10);
        for (String part : parts) {
            assertFalse(Character.isHighSurrogate(part.charAt(part.length() - 1)), part);
            assertFalse(Character.isLowSurrogate(part.charAt(0)), part);
        }
        assertEquals(text, String.join("", parts));
    }

    @Test
    void neverCutsAnEntityOrATag() {
        List<String> entity = TelegramSplitter.split("abcdefg&amp;hij", 10);
        assertEquals(List.of("abcdefg", "&amp;hij"), entity);
        List<String> tag = TelegramSplitter.split("abcdef<a href=\"https://e.org\">x</a>", 10);
        assertTrue(tag.getFirst().equals("abcdef"), tag.toString());
    }

    @Test
    void closesAndReopensTagsAcrossParts() {
        List<String> parts = TelegramSplitter.split("<b>one two <i>three four</i> five</b>", 24);
        for (String part : parts) {
            assertTrue(TelegramSplitter.openTags(part).isEmpty(), "balanced: " + part);
            assertTrue(part.length() <= 24, part);
        }
        assertEquals("one two three four five", TelegramFormat.toPlain(String.join(" ", parts)));
        assertTrue(parts.get(1).startsWith("<b>"), parts.toString());
    }

    @Test
    void splitsARealisticFormattedReply() {
        String markdown =
                ("## Step\n" + "Some **important** text with `code` and more words. ".repeat(30) + "\n\n").repeat(6);
        List<String> parts = TelegramSplitter.split(TelegramFormat.toHtml(markdown));
        assertTrue(parts.size() >= 2);
        for (String part : parts) {
            assertTrue(part.length() <= TelegramSplitter.LIMIT);
            assertTrue(TelegramSplitter.openTags(part).isEmpty(), part);
        }
    }
}
