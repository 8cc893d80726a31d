package io.connectorhub.agent;

import io.connectorhub.core.ChatMessage;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The agent a fresh install runs: works offline, without an LLM. It echoes what it is told with the session's
 * message count, answers {@code /help} and {@code /history}, and streams every reply in word-sized pieces so the
 * streaming paths of every channel are exercised. ({@code /reset} is handled by the loop for every agent.)
 * Stateless and thread-safe.
 */
public final class BuiltinAgent implements Agent {
    static final String HELP = """
            I am the hub's built-in agent: I repeat what you say, so you can see the whole path work.
            Commands:
            /help - this text
            /history - what this conversation holds
            /reset - forget this conversation
            Configure an LLM agent in hub.yaml for real answers.""";

    @Override
    public String respond(AgentRequest request, Consumer<String> stream) {
        String text = request.text().strip();
        String reply;
        if (text.startsWith("/")) {
            reply = command(text, request.history());
        } else {
            long turn = request.history().stream()
                            .filter(m -> m.role().equals(ChatMessage.USER))
                            .count()
                    + 1;
            reply = "You said: " + text + "\n(message " + turn + " in this conversation)";
        }
        streamWords(reply, stream);
        return reply;
    }

    private static String command(String text, List<ChatMessage> history) {
        String name = text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return switch (name) {
            case "/help", "/start" -> HELP;
            case "/history" -> history.isEmpty() ? "This conversation is empty." : summary(history);
            default -> "Unknown command " + name + ". Try /help.";
        };
    }

    private static String summary(List<ChatMessage> history) {
        StringBuilder out = new StringBuilder("This conversation holds " + history.size() + " messages:");
        for (ChatMessage m : history) {
            String line = m.content().replace('\n', ' ');
            out.append("\n")
                    .append(m.role())
                    .append(": ")
                    .append(line.length() > 60 ? line.substring(0, 60) + "…" : line);
        }
        return out.toString();
    }

    private static void streamWords(String reply, Consumer<String> stream) {
        int start = 0;
        for (int i = 1; i <= reply.length(); i++) {
            if (i == reply.length() || reply.charAt(i) == ' ' || reply.charAt(i) == '\n') {
                stream.accept(reply.substring(start, i));
                start = i;
            }
        }
    }
}
