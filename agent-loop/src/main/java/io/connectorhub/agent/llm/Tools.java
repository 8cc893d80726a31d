package io.connectorhub.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.SessionStore;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The built-in tools a model may call. They are safe by construction: they read the clock and the calling
 * session's own history, nothing else (no network, no files, no other sessions). Thread-safe.
 */
final class Tools {
    private static final int MAX_MATCHES = 10;
    private static final int SEARCH_DEPTH = 1000;

    private final ObjectMapper json;
    private final SessionStore sessions;
    private final Clock clock;
    private final List<String> enabled;

    Tools(ObjectMapper json, SessionStore sessions, Clock clock, List<String> enabled) {
        this.json = json;
        this.sessions = sessions;
        this.clock = clock;
        this.enabled = List.copyOf(enabled);
    }

    boolean isEmpty() {
        return enabled.isEmpty();
    }

    /** The {@code tools} array of a chat completions request. */
    ArrayNode definitions() {
        ArrayNode tools = json.createArrayNode();
        for (String name : enabled) {
            ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
            fn.put("name", name);
            ObjectNode params = fn.putObject("parameters").put("type", "object");
            ObjectNode props = params.putObject("properties");
            switch (name) {
                case "current_time" -> {
                    fn.put("description", "The current date and time. Use it for any question about now or today.");
                    props.putObject("timezone")
                            .put("type", "string")
                            .put("description", "IANA time zone such as Europe/Paris; UTC if omitted");
                }
                case "search_history" -> {
                    fn.put(
                            "description",
                            "Searches earlier messages of this conversation (also those no longer in view) for a"
                                    + " word or phrase; returns the matching messages, newest last.");
                    props.putObject("query").put("type", "string").put("description", "text to look for");
                    params.putArray("required").add("query");
                }
                default -> throw new IllegalArgumentException("unknown tool " + name);
            }
        }
        return tools;
    }

    /** Runs one tool call; problems come back as text for the model, never as exceptions. */
    String call(String name, String arguments, String sessionKey) {
        if (!enabled.contains(name)) return "error: no tool named " + name;
        JsonNode args;
        try {
            args = arguments == null || arguments.isBlank() ? json.createObjectNode() : json.readTree(arguments);
        } catch (Exception e) {
            return "error: the arguments are not valid JSON";
        }
        return switch (name) {
            case "current_time" -> currentTime(args.path("timezone").asText("UTC"));
            case "search_history" -> searchHistory(args.path("query").asText(""), sessionKey);
            default -> "error: no tool named " + name;
        };
    }

    private String currentTime(String zone) {
        try {
            ZoneId id = ZoneId.of(zone.isBlank() ? "UTC" : zone);
            return ZonedDateTime.now(clock.withZone(id)).format(DateTimeFormatter.RFC_1123_DATE_TIME) + " (" + id + ")";
        } catch (DateTimeException e) {
            return "error: unknown time zone " + zone + "; use an IANA name such as Europe/Paris";
        }
    }

    private String searchHistory(String query, String sessionKey) {
        if (query.isBlank()) return "error: query is required";
        String needle = query.toLowerCase(Locale.ROOT);
        List<ChatMessage> hits = sessions.history(sessionKey, SEARCH_DEPTH).stream()
                .filter(m -> m.content().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        if (hits.isEmpty()) return "no earlier message contains \"" + query + "\"";
        StringBuilder out = new StringBuilder();
        for (ChatMessage m : hits.subList(Math.max(0, hits.size() - MAX_MATCHES), hits.size()))
            out.append(m.createdAt())
                    .append(' ')
                    .append(m.role())
                    .append(": ")
                    .append(m.content())
                    .append('\n');
        return out.toString().strip();
    }
}
