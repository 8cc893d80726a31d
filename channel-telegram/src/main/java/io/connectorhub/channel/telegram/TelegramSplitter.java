package io.connectorhub.channel.telegram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits Telegram HTML into messages of at most {@link #LIMIT} characters. Cuts at a paragraph break if there is one
 * in the second half of the window, else at a line break, else at a space, else anywhere; never inside a tag, an
 * entity or a surrogate pair. Tags open at a cut are closed at the end of the part and opened again at the start of
 * the next one, so every part is valid HTML on its own. Stateless and thread-safe.
 */
public final class TelegramSplitter {
    /** Telegram's limit for one message's text. */
    public static final int LIMIT = 4096;

    private TelegramSplitter() {}

    public static List<String> split(String html) {
        return split(html, LIMIT);
    }

    public static List<String> split(String html, int limit) {
        List<String> parts = new ArrayList<>();
        String rest = html.strip();
        String reopen = "";
        while (!rest.isEmpty()) {
            String text = reopen + rest;
            if (text.length() <= limit) {
                parts.add(text);
                break;
            }
            int budget = limit;
            while (true) {
                int cut = cut(text, budget, reopen.length());
                Deque<String> open = openTags(text.substring(0, cut));
                String closing = closing(open);
                String part = text.substring(0, cut).stripTrailing();
                if (part.length() + closing.length() <= limit) {
                    parts.add(part + closing);
                    reopen = String.join("", open);
                    rest = text.substring(cut).stripLeading();
                    break;
                }
                budget -= part.length() + closing.length() - limit;
            }
        }
        return parts;
    }

    /** Where to cut {@code text} so that the part is at most {@code budget} characters long. */
    private static int cut(String text, int budget, int minimum) {
        int floor = Math.max(minimum + 1, budget / 2);
        int cut = boundary(text, "\n\n", budget, floor);
        if (cut < 0) cut = boundary(text, "\n", budget, floor);
        if (cut < 0) cut = boundary(text, " ", budget, floor);
        if (cut < 0) cut = budget;
        return safe(text, cut, minimum);
    }

    private static int boundary(String text, String separator, int budget, int floor) {
        int at = text.lastIndexOf(separator, budget - separator.length());
        return at >= floor ? at + separator.length() : -1;
    }

    /** Moves {@code cut} back until it is outside any tag, entity and surrogate pair. */
    private static int safe(String text, int cut, int minimum) {
        int lt = text.lastIndexOf('<', cut - 1);
        if (lt >= 0 && text.indexOf('>', lt) >= cut) cut = lt;
        // (a '<' without '>' cannot occur in escaped text)
        int amp = text.lastIndexOf('&', cut - 1);
        if (amp >= 0) {
            int semi = text.indexOf(';', amp);
            if (semi >= cut && semi - amp <= 10) cut = amp;
        }
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) cut--;
        if (cut <= minimum) {
            // A single tag or entity longer than the room left: cut after the reopened tags anyway.
            cut = Math.min(text.length(), minimum + 1);
            if (Character.isHighSurrogate(text.charAt(cut - 1))) cut++;
        }
        return cut;
    }

    /** The opening tags not yet closed at the end of {@code html}, innermost last. */
    static Deque<String> openTags(String html) {
        Deque<String> open = new ArrayDeque<>();
        int i = html.indexOf('<');
        while (i >= 0) {
            int end = html.indexOf('>', i);
            if (end < 0) break;
            String tag = html.substring(i, end + 1);
            if (tag.startsWith("</")) {
                String name = name(tag.substring(2));
                if (!open.isEmpty() && name(open.peekLast().substring(1)).equals(name)) open.removeLast();
            } else if (!tag.endsWith("/>")) {
                open.addLast(tag);
            }
            i = html.indexOf('<', end);
        }
        return open;
    }

    private static String closing(Deque<String> open) {
        StringBuilder out = new StringBuilder();
        open.descendingIterator()
                .forEachRemaining(
                        tag -> out.append("</").append(name(tag.substring(1))).append('>'));
        return out.toString();
    }

    private static String name(String tagBody) {
        int end = 0;
        while (end < tagBody.length() && (Character.isLetterOrDigit(tagBody.charAt(end)) || tagBody.charAt(end) == '-'))
            end++;
        return tagBody.substring(0, end);
    }
}
