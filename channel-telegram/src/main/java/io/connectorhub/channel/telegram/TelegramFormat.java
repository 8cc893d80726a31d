package io.connectorhub.channel.telegram;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts the Markdown agents write into the HTML subset Telegram accepts ({@code parse_mode=HTML}): bold, italic,
 * strikethrough, inline code, code blocks, links, headings (as bold), quotes and bullet lists. Everything else is
 * escaped, so the result always parses unless the input is pathological. Stateless and thread-safe.
 */
public final class TelegramFormat {
    private static final Pattern FENCE = Pattern.compile("```([\\w+-]*)\\n?(.*?)```", Pattern.DOTALL);
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]\\n]+)]\\((https?://[^)\\s]+|tg://[^)\\s]+)\\)");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*|__(?=\\S)(.+?)(?<=\\S)__");
    private static final Pattern ITALIC = Pattern.compile(
            "(?<![\\w*])\\*(?=\\S)([^*\\n]+?)(?<=\\S)\\*(?![\\w*])|(?<!\\w)_(?=\\S)([^_\\n]+?)(?<=\\S)_(?!\\w)");
    private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*$");
    private static final Pattern BULLET = Pattern.compile("^(\\s*)[-*+]\\s+");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final char HOLD = '\u0000';

    private TelegramFormat() {}

    /** Telegram HTML for {@code markdown}. */
    public static String toHtml(String markdown) {
        List<String> held = new ArrayList<>();
        String text = markdown.replace(String.valueOf(HOLD), "");
        // Code first: nothing inside code is formatted.
        text = replace(FENCE, text, m -> hold(held, codeBlock(m.group(1), m.group(2))));
        text = replace(INLINE_CODE, text, m -> hold(held, "<code>" + escape(m.group(1)) + "</code>"));
        text = replace(
                LINK,
                text,
                m -> hold(held, "<a href=\"" + escapeAttribute(m.group(2)) + "\">" + inline(m.group(1)) + "</a>"));
        StringBuilder out = new StringBuilder();
        StringBuilder quote = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith(">")) {
                if (!quote.isEmpty()) quote.append('\n');
                quote.append(inline(line.substring(line.startsWith("> ") ? 2 : 1)));
                if (i + 1 < lines.length && lines[i + 1].startsWith(">")) continue;
                out.append("<blockquote>").append(quote).append("</blockquote>");
                quote.setLength(0);
            } else {
                Matcher heading = HEADING.matcher(line);
                Matcher bullet = BULLET.matcher(line);
                if (heading.matches())
                    out.append("<b>").append(inline(heading.group(1))).append("</b>");
                else if (bullet.lookingAt())
                    out.append(bullet.group(1)).append("• ").append(inline(line.substring(bullet.end())));
                else out.append(inline(line));
            }
            if (i + 1 < lines.length) out.append('\n');
        }
        return restore(out.toString(), held);
    }

    /** The text a reader sees in {@code html}: tags removed, entities decoded. */
    public static String toPlain(String html) {
        return unescape(TAG.matcher(html).replaceAll(""));
    }

    /** Escapes {@code &}, {@code <} and {@code >} for Telegram HTML. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String unescape(String text) {
        return text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
    }

    private static String escapeAttribute(String text) {
        return escape(text).replace("\"", "&quot;");
    }

    private static String codeBlock(String language, String code) {
        String body = escape(code.endsWith("\n") ? code.substring(0, code.length() - 1) : code);
        if (language == null || language.isEmpty()) return "<pre>" + body + "</pre>";
        return "<pre><code class=\"language-" + language + "\">" + body + "</code></pre>";
    }

    /** Formats one line's worth of inline Markdown; held placeholders pass through untouched. */
    private static String inline(String text) {
        String s = escape(text);
        s = replace(BOLD, s, m -> "<b>" + (m.group(1) != null ? m.group(1) : m.group(2)) + "</b>");
        s = replace(STRIKE, s, m -> "<s>" + m.group(1) + "</s>");
        s = replace(ITALIC, s, m -> "<i>" + (m.group(1) != null ? m.group(1) : m.group(2)) + "</i>");
        return s;
    }

    private static String hold(List<String> held, String html) {
        held.add(html);
        return HOLD + Integer.toString(held.size() - 1) + HOLD;
    }

    private static String restore(String text, List<String> held) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end = c == HOLD ? text.indexOf(HOLD, i + 1) : -1;
            if (end > i) {
                out.append(held.get(Integer.parseInt(text.substring(i + 1, end))));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String replace(Pattern pattern, String text, Function<Matcher, String> f) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
        m.appendTail(out);
        return out.toString();
    }
}
