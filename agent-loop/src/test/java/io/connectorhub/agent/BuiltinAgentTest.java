package io.connectorhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.InboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinAgentTest {
    private final BuiltinAgent agent = new BuiltinAgent();

    private static AgentRequest request(String text, List<ChatMessage> history) {
        return new AgentRequest(
                InboundMessage.builder("t", "1")
                        .sender("u")
                        .chat("c")
                        .content(text)
                        .build(),
                history);
    }

    private static ChatMessage said(String role, String text) {
        return new ChatMessage(text, "t:c", role, text, null, Instant.EPOCH);
    }

    @Test
    void echoesWithTheMessageCountOfTheSession() {
        List<ChatMessage> history = List.of(said("user", "a"), said("assistant", "b"));
        assertEquals("You said: hi\n(message 2 in this conversation)", agent.respond(request("hi", history), d -> {}));
    }

    @Test
    void streamsTheReplyInPiecesThatAddUpToIt() {
        List<String> deltas = new ArrayList<>();
        String reply = agent.respond(request("one two three", List.of()), deltas::add);
        assertTrue(deltas.size() >= 5, deltas.toString());
        assertEquals(reply, String.join("", deltas));
    }

    @Test
    void answersHelpAndHistoryAndUnknownCommands() {
        assertEquals(BuiltinAgent.HELP, agent.respond(request("/help", List.of()), d -> {}));
        assertEquals(BuiltinAgent.HELP, agent.respond(request("/start", List.of()), d -> {}));
        assertEquals("This conversation is empty.", agent.respond(request("/history", List.of()), d -> {}));
        String history =
                agent.respond(request("/history", List.of(said("user", "a"), said("assistant", "b"))), d -> {});
        assertTrue(history.startsWith("This conversation holds 2 messages:"), history);
        assertEquals("Unknown command /fly. Try /help.", agent.respond(request("/fly away", List.of()), d -> {}));
    }
}
