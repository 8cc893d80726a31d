package io.connectorhub.channel.discord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Splits text into Discord messages of at most {@link #LIMIT} characters. Prefers line boundaries, then word
 * boundaries, and cuts inside a word only when a word alone is too long. A {@code ```} code block that spans two
 * parts is closed at the end of the first and re-opened (with its language) at the start of the next, so every part
 * renders on its own. Pure and thread-safe.
 */
public final class DiscordSplitter {
    /** Discord's limit on a message's content. */
    public static final int LIMIT = 2000;

    private static final String FENCE = "```";
    private static final String CLOSE = "\n" + FENCE;

    private DiscordSplitter() {}

    public static List<String> split(String text) {
        return split(text, LIMIT);
    }

    /** The parts of {@code text}, each at most {@code limit} characters; one part if it fits. */
    public static List<String> split(String text, int limit) {
        if (limit < 16) throw new IllegalArgumentException("limit must be at least 16, is " + limit);
        if (text.length() <= limit) return List.of(text);
        List<String> parts = new ArrayList<>();
        Deque<String> lines = new ArrayDeque<>(Arrays.asList(text.split("\n", -1)));
        StringBuilder part = new StringBuilder();
        String fence = null; // the opening line of the code block that is open at the end of part, or null
        int header = 0; // characters of part that are only a re-opened fence
        while (!lines.isEmpty()) {
            String line = lines.pop();
            String fenceAfter = isFence(line) ? (fence == null ? line.strip() : null) : fence;
            int sep = part.isEmpty() ? 0 : 1;
            int reserve = fenceAfter != null ? CLOSE.length() : 0;
            if (part.length() + sep + line.length() + reserve <= limit) {
                if (sep == 1) part.append('\n');
                part.append(line);
                fence = fenceAfter;
                continue;
            }
            if (part.length() > header) {
                // The line does not fit behind what is there: finish this part, try the line in the next.
                parts.add(finish(part, fence));
                header = restart(part, fence);
                lines.push(line);
                continue;
            }
            // The line alone is too long: cut it at the last space that fits (inside a word if there is none).
            int room = Math.max(1, limit - part.length() - sep - (fence != null ? CLOSE.length() : 0));
            int cut = cutPoint(line, room);
            if (sep == 1) part.append('\n');
            part.append(line, 0, cut);
            parts.add(finish(part, fence));
            header = restart(part, fence);
            int rest = cut < line.length() && line.charAt(cut) == ' ' ? cut + 1 : cut;
            if (rest < line.length()) lines.push(line.substring(rest));
        }
        if (part.length() > header) parts.add(finish(part, fence));
        return List.copyOf(parts);
    }

    private static boolean isFence(String line) {
        return line.strip().startsWith(FENCE);
    }

    private static String finish(StringBuilder part, String fence) {
        return fence != null ? part + CLOSE : part.toString();
    }

    private static int restart(StringBuilder part, String fence) {
        part.setLength(0);
        if (fence == null) return 0;
        part.append(fence);
        return part.length();
    }

    /** Where to cut {@code line} so that at most {@code room} characters stay: after the last space, if any. */
    private static int cutPoint(String line, int room) {
        if (line.length() <= room) return line.length();
        int space = line.lastIndexOf(' ', room);
        if (space > 0) return space;
        int cut = room;
        if (Character.isHighSurrogate(line.charAt(cut - 1)) && cut > 1) cut--;
        return cut;
    }
}
