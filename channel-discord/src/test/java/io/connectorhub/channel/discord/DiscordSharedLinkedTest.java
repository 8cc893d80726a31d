package io.connectorhub.channel.discord;

import static io.connectorhub.channel.discord.DiscordPayloads.DM_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.TEXT_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.USER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.LinkedSenders;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code sessions.shareLinked}: a linked sender's Discord DMs join the user's one conversation, server chats do not. */
class DiscordSharedLinkedTest extends DiscordHubTest {
    private static final String USER = "u-alice";

    @Test
    void putsADirectMessageOfALinkedSenderInTheUsersSharedConversationButNotAServerMessage() throws Exception {
        startHub("sessions: {shareLinked: true}\n", (request, stream) -> {
            asked.add(request);
            return "ok";
        });
        hub.runtime().linkedSenders(new LinkedSenders() {
            @Override
            public String userOf(String channel, String senderId) {
                return channel.equals("discord") && senderId.equals(USER_ID) ? USER : null;
            }

            @Override
            public String link(String channel, String senderId, String code) {
                return "no";
            }
        });

        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "hello in private"));
        InboundMessage direct = asked.poll(WAIT.toSeconds(), TimeUnit.SECONDS).message();
        assertEquals(LinkedSenders.sharedSession(USER), direct.sessionKey());
        assertEquals(DM_CHANNEL, direct.chatId(), "the reply still goes to the DM channel");

        gateway.dispatch(
                "MESSAGE_CREATE",
                DiscordPayloads.fromUser(TEXT_CHANNEL, true, "<@" + DiscordPayloads.BOT_ID + "> hello in public"));
        InboundMessage server = asked.poll(WAIT.toSeconds(), TimeUnit.SECONDS).message();
        assertEquals("discord:" + TEXT_CHANNEL, server.sessionKey());
    }
}
