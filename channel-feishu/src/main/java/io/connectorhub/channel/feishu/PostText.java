package io.connectorhub.channel.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flattens a Feishu rich-text ({@code post}) message into readable text: the title, then one line per paragraph;
 * links as {@code text (url)}, mentions as {@code @name} (mentions of the bot itself dropped), code blocks fenced,
 * images collected as keys. Accepts the received form ({@code {"title", "content"}}) and the per-locale form
 * ({@code {"zh_cn": {...}}}). Stateless.
 */
final class PostText {
    /** The text and the image and video keys found in it. */
    record Flattened(String text, List<String> imageKeys, List<String> videoKeys) {}

    private PostText() {}

    /**
     * @param names display names of mention keys ({@code @_user_1} to {@code Alice})
     * @param dropped mention keys to leave out (the bot's own)
     */
    static Flattened flatten(JsonNode post, Map<String, String> names, Set<String> dropped) {
        JsonNode body = post;
        if (!body.has("content") && body.isObject() && body.size() > 0) {
            // Per-locale form: take the first locale that has content.
            for (JsonNode locale : post) {
                if (locale.has("content")) {
                    body = locale;
                    break;
                }
            }
        }
        List<String> images = new ArrayList<>();
        List<String> videos = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        String title = body.path("title").asText("").strip();
        if (!title.isEmpty()) lines.add(title);
        for (JsonNode paragraph : body.path("content")) {
            StringBuilder line = new StringBuilder();
            for (JsonNode element : paragraph) {
                line.append(element(element, names, dropped, images, videos));
            }
            lines.add(line.toString().strip());
        }
        while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        return new Flattened(String.join("\n", lines), List.copyOf(images), List.copyOf(videos));
    }

    private static String element(
            JsonNode e, Map<String, String> names, Set<String> dropped, List<String> images, List<String> videos) {
        String text = e.path("text").asText("");
        return switch (e.path("tag").asText("")) {
            case "text" -> text;
            case "a" -> {
                String href = e.path("href").asText("");
                yield href.isEmpty() || href.equals(text) ? (text.isEmpty() ? href : text) : text + " (" + href + ")";
            }
            case "at" -> {
                String key = e.path("user_id").asText("");
                if (dropped.contains(key)) yield "";
                String name = e.path("user_name").asText(names.getOrDefault(key, key));
                yield "@" + (name.startsWith("@") ? name.substring(1) : name);
            }
            case "img" -> {
                String key = e.path("image_key").asText("");
                if (!key.isEmpty()) images.add(key);
                yield "[image]";
            }
            case "media" -> {
                String key = e.path("file_key").asText("");
                if (!key.isEmpty()) videos.add(key);
                yield "[video]";
            }
            case "emotion" -> ":" + e.path("emoji_type").asText("emoji") + ":";
            case "code_block" ->
                "\n```" + e.path("language").asText("").toLowerCase() + "\n" + text.strip() + "\n```\n";
            case "hr" -> "---";
            default -> text;
        };
    }
}
