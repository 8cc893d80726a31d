package io.connectorhub.agent;

import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.InboundMessage;
import java.util.List;

/**
 * What an agent gets: the message and the session's recent history (oldest first, without this message).
 */
public record AgentRequest(InboundMessage message, List<ChatMessage> history) {
    public AgentRequest {
        history = List.copyOf(history);
    }

    public String sessionKey() {
        return message.sessionKey();
    }

    public String text() {
        return message.content();
    }
}
