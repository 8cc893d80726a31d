package io.connectorhub.channel.feishu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeishuFormatTest {
    private final ObjectMapper json = Json.newMapper();
    private final FeishuFormat format = new FeishuFormat(json, "zh_cn");

    @Test
    void sendsPlainTextAsATextMessage() throws Exception {
        List<FeishuFormat.Part> parts = format.render("Sure, 3 pm works. See you then!");
        assertEquals(1, parts.size());
        assertEquals("text", parts.get(0).msgType());
        assertEquals(
                "Sure, 3 pm works. See you then!",
                json.readTree(parts.get(0).content()).path("text").asText());
    }

    @Test
    void sendsMarkdownAsAPostWithOneMarkdownElement() throws Exception {
        String md = "# Plan\n\n1. **write**\n2. `test`\n\n```sh\nls\n```";
        FeishuFormat.Part part = format.render(md).get(0);
        assertEquals("post", part.msgType());
        JsonNode element = json.readTree(part.content())
                .path("zh_cn")
                .path("content")
                .path(0)
                .path(0);
        assertEquals("md", element.path("tag").asText());
        assertEquals(md, element.path("text").asText());
    }

    @Test
    void recognisesMarkdownButNotOrdinaryPunctuation() {
        assertTrue(FeishuFormat.looksLikeMarkdown("see [docs](https://x.test/a)"));
        assertTrue(FeishuFormat.looksLikeMarkdown("- one\n- two"));
        assertTrue(FeishuFormat.looksLikeMarkdown("| a | b |\n|---|---|"));
        assertFalse(FeishuFormat.looksLikeMarkdown("2 * 3 = 6, and 5 - 1 = 4 (roughly)."));
        assertFalse(FeishuFormat.looksLikeMarkdown("It costs $5 #budget"));
    }

    @Test
    void splitsAtParagraphsUnderTheLimit() {
        String paragraph = "word ".repeat(300).strip();
        String text = String.join("\n\n", List.of(paragraph, paragraph, paragraph, paragraph));
        List<String> parts = FeishuFormat.split(text, 4000);
        assertTrue(parts.size() > 1);
        for (String p : parts) {
            assertTrue(p.getBytes(StandardCharsets.UTF_8).length <= 4000, p.length() + " chars");
            assertTrue(p.startsWith("word") && p.endsWith("word"), "cut inside a paragraph: " + p);
        }
        assertEquals(text.replaceAll("\\s+", " "), String.join(" ", parts).replaceAll("\\s+", " "));
    }

    @Test
    void countsBytesNotCharactersAndNeverSplitsASurrogatePair() {
        String text = "你好😀".repeat(2000);
        List<String> parts = FeishuFormat.split(text, 1000);
        for (String p : parts) {
            assertTrue(p.getBytes(StandardCharsets.UTF_8).length <= 1000);
            assertFalse(Character.isLowSurrogate(p.charAt(0)));
            assertFalse(Character.isHighSurrogate(p.charAt(p.length() - 1)));
        }
        assertEquals(text, String.join("", parts));
    }

    @Test
    void closesAndReopensACodeFenceThatIsCutInTwo() {
        String code = "```python\n" + "print('x')\n".repeat(400) + "```";
        List<String> parts = FeishuFormat.split(code, 1200);
        assertTrue(parts.size() > 1);
        for (String p : parts) {
            assertEquals(0, count(p, "```") % 2, "unbalanced fence in: " + p);
        }
        assertTrue(parts.get(1).startsWith("```\n"));
    }

    @Test
    void aLongReplyBecomesSeveralTextMessagesUnderTheApiLimit() throws Exception {
        String text = "line of plain text\n".repeat(10_000);
        List<FeishuFormat.Part> parts = format.render(text);
        assertTrue(parts.size() >= 3, parts.size() + " parts");
        for (FeishuFormat.Part p : parts) {
            assertEquals("text", p.msgType());
            assertTrue(p.content().getBytes(StandardCharsets.UTF_8).length < 150 * 1024);
        }
    }

    @Test
    void uuidsAreStablePerPartAndFitFeishusFiftyCharacters() {
        String id = "5f0c2d7e-6a1b-4c3d-9e8f-0a1b2c3d4e5f";
        assertEquals(FeishuChannel.uuid(id, 0), FeishuChannel.uuid(id, 0));
        assertNotEquals(FeishuChannel.uuid(id, 0), FeishuChannel.uuid(id, 1));
        String longId = "x".repeat(200);
        assertTrue(FeishuChannel.uuid(longId, 12).length() <= 50);
        assertNotEquals(FeishuChannel.uuid(longId, 0), FeishuChannel.uuid(longId + "y", 0));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int at = s.indexOf(what); at >= 0; at = s.indexOf(what, at + what.length())) n++;
        return n;
    }
}
