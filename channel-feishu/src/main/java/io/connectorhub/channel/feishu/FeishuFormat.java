package io.connectorhub.channel.feishu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders a reply for Feishu: plain text as {@code text} messages, Markdown-ish text as {@code post} messages with
 * one {@code md} element (which Feishu renders as Markdown), split into parts under the size limits (text 150 KB,
 * post 30 KB per request: parts are kept well below, since JSON escaping grows them). Splits prefer paragraph, then
 * line, then word boundaries, and close and reopen a code fence cut in two. Stateless.
 */
final class FeishuFormat {
    /** One message to send: {@code msgType} and its {@code content}, a JSON string as the API wants it. */
    record Part(String msgType, String content) {}

    static final int TEXT_MAX_BYTES = 64 * 1024;
    static final int POST_MAX_BYTES = 12 * 1024;

    private static final Pattern MARKDOWN = Pattern.compile(
            "(?m)(^#{1,6} |^\\s*[-*+] |^\\s*\\d+\\. |^> |^```|\\*\\*[^*\\n]+\\*\\*|`[^`\\n]+`|\\[[^]\\n]+]\\([^)\\s]+\\)|^\\|.*\\|\\s*$)");
    private static final String FENCE = "```";

    private final ObjectMapper json;
    private final String locale;

    /** @param locale the post locale key, {@code zh_cn} or {@code en_us} */
    FeishuFormat(ObjectMapper json, String locale) {
        this.json = json;
        this.locale = locale;
    }

    static boolean looksLikeMarkdown(String text) {
        return MARKDOWN.matcher(text).find();
    }

    List<Part> render(String text) {
        boolean post = looksLikeMarkdown(text);
        List<Part> parts = new ArrayList<>();
        for (String piece : split(text, post ? POST_MAX_BYTES : TEXT_MAX_BYTES)) {
            parts.add(post ? post(piece) : text(piece));
        }
        return parts;
    }

    Part text(String text) {
        ObjectNode content = json.createObjectNode().put("text", text);
        return new Part("text", content.toString());
    }

    Part post(String markdown) {
        ObjectNode content = json.createObjectNode();
        ObjectNode body = content.putObject(locale);
        body.put("title", "");
        body.putArray("content").addArray().addObject().put("tag", "md").put("text", markdown);
        return new Part("post", content.toString());
    }

    /** Pieces of at most {@code maxBytes} UTF-8 bytes each (plus a few for a re-opened code fence). */
    static List<String> split(String text, int maxBytes) {
        List<String> out = new ArrayList<>();
        String rest = text.strip();
        if (rest.isEmpty()) return List.of("");
        String carry = "";
        while (!rest.isEmpty()) {
            rest = carry + rest;
            carry = "";
            if (utf8(rest) <= maxBytes) {
                out.add(rest);
                break;
            }
            int limit = prefixWithin(rest, maxBytes - 8);
            int cut = boundary(rest, limit);
            String piece = rest.substring(0, cut).stripTrailing();
            rest = rest.substring(cut).stripLeading();
            if (count(piece, FENCE) % 2 == 1) {
                piece = piece + "\n" + FENCE;
                carry = FENCE + "\n";
            }
            out.add(piece);
        }
        return out;
    }

    /** The largest char index whose prefix fits in {@code maxBytes}, never inside a surrogate pair. */
    private static int prefixWithin(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) break;
            bytes += n;
            i += Character.charCount(cp);
        }
        return Math.max(i, 1);
    }

    private static int boundary(String s, int limit) {
        int min = limit / 2;
        for (String sep : List.of("\n\n", "\n", " ")) {
            int at = s.lastIndexOf(sep, limit - sep.length());
            if (at >= min) return at + sep.length();
        }
        return limit;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int at = s.indexOf(what); at >= 0; at = s.indexOf(what, at + what.length())) n++;
        return n;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
