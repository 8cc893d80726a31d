package io.connectorhub.channel.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiscordSplitterTest {
    private static void assertWithinLimit(List<String> parts, int limit) {
        for (String p : parts) assertTrue(p.length() <= limit, "part of " + p.length() + " chars: " + p);
    }

    @Test
    void keepsTextThatFitsInOneMessage() {
        assertEquals(List.of("hello"), DiscordSplitter.split("hello"));
        String exact = "x".repeat(2000);
        assertEquals(List.of(exact), DiscordSplitter.split(exact));
    }

    @Test
    void splitsAtNewlineBeforeTheLimit() {
        String a = "a".repeat(1500);
        String b = "b".repeat(1000);
        List<String> parts = DiscordSplitter.split(a + "\n" + b);
        assertEquals(List.of(a, b), parts);
    }

    @Test
    void splitsALongLineAtAWordBoundary() {
        String text = "word ".repeat(1000).strip(); // 4999 chars, no newline
        List<String> parts = DiscordSplitter.split(text);
        assertWithinLimit(parts, 2000);
        assertEquals(3, parts.size());
        for (String p : parts) {
            assertTrue(
                    p.startsWith("word") && p.endsWith("word"), "cut inside a word: ..." + p.substring(p.length() - 8));
        }
        assertEquals(text, String.join(" ", parts));
    }

    @Test
    void cutsInsideAWordOnlyWhenItIsLongerThanAMessage() {
        String text = "y".repeat(4500);
        List<String> parts = DiscordSplitter.split(text);
        assertEquals(List.of("y".repeat(2000), "y".repeat(2000), "y".repeat(500)), parts);
    }

    @Test
    void closesAndReopensACodeBlockAcrossParts() {
        StringBuilder code = new StringBuilder("Here is the code:\n```java\n");
        for (int i = 0; i < 200; i++)
            code.append("int value").append(i).append(" = ").append(i).append(";\n");
        code.append("```\nThat was it.");
        List<String> parts = DiscordSplitter.split(code.toString());

        assertTrue(parts.size() >= 2, "expected several parts, got " + parts.size());
        assertWithinLimit(parts, 2000);
        assertTrue(parts.get(0).startsWith("Here is the code:\n```java\n"));
        for (int i = 0; i < parts.size() - 1; i++) {
            assertTrue(parts.get(i).endsWith("\n```"), "part " + i + " must close the block");
            assertTrue(parts.get(i + 1).startsWith("```java\n"), "part " + (i + 1) + " must re-open the block");
        }
        assertTrue(parts.getLast().endsWith("```\nThat was it."));
        // Every code line survives, in order, exactly once.
        String joined = String.join("\n", parts);
        for (int i = 0; i < 200; i++) assertEquals(1, count(joined, "int value" + i + " = " + i + ";"));
    }

    @Test
    void leavesTextAfterAClosedBlockOutsideAnyBlock() {
        String text = "```\nshort\n```\n" + "p".repeat(1990) + "\nend";
        List<String> parts = DiscordSplitter.split(text);
        assertWithinLimit(parts, 2000);
        assertEquals("```\nshort\n```", parts.get(0));
        assertEquals("p".repeat(1990) + "\nend", parts.get(1));
    }

    @Test
    void keepsSurrogatePairsTogether() {
        String text = "a" + "😀".repeat(1500); // 3001 chars, no spaces
        List<String> parts = DiscordSplitter.split(text);
        assertWithinLimit(parts, 2000);
        for (String p : parts) assertTrue(!Character.isHighSurrogate(p.charAt(p.length() - 1)));
        assertEquals(text, String.join("", parts));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }
}
