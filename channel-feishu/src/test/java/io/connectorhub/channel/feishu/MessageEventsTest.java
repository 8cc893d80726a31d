package io.connectorhub.channel.feishu;

import static io.connectorhub.channel.feishu.FeishuHarness.BOT;
import static io.connectorhub.channel.feishu.FeishuHarness.GROUP;
import static io.connectorhub.channel.feishu.FeishuHarness.USER;
import static io.connectorhub.channel.feishu.FeishuHarness.mention;
import static io.connectorhub.channel.feishu.FeishuHarness.messageEvent;
import static io.connectorhub.channel.feishu.FeishuHarness.textContent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorhub.core.GroupPolicy;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Json;
import io.connectorhub.core.MediaRef;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MessageEventsTest {
    private static MessageEvents events(String groupPolicy, String botOpenId) {
        MessageEvents events = new MessageEvents(
                "feishu", GroupPolicy.valueOf(groupPolicy.toUpperCase(Locale.ROOT)), Json.newMapper());
        if (botOpenId != null) events.botOpenId(botOpenId);
        return events;
    }

    private static ObjectNode group(String text) {
        return messageEvent("ev-g", "om_g", "group", GROUP, "text", textContent(text));
    }

    @Test
    void keysPrivateChatsBySenderAndGroupsByChat() {
        InboundMessage p2p = events("mention", BOT)
                .parse(messageEvent("ev-1", "om_1", "p2p", "oc_private", "text", textContent("hi")))
                .message();
        assertEquals("ev-1", p2p.id());
        assertEquals(USER, p2p.senderId());
        assertEquals("feishu:" + USER, p2p.sessionKey());
        assertEquals("om_1", p2p.platformMessageId());
        assertEquals("open_id", p2p.metadata().get(MessageEvents.RECEIVE_ID_TYPE));

        InboundMessage inGroup = events("open", BOT).parse(group("all")).message();
        assertEquals("feishu:" + GROUP, inGroup.sessionKey());
        assertEquals(USER, inGroup.senderId());
        assertEquals("chat_id", inGroup.metadata().get(MessageEvents.RECEIVE_ID_TYPE));
    }

    @Test
    void followsTheGroupPolicy() {
        ObjectNode addressed = mention(group("@_user_1 hello"), "@_user_1", BOT, "Assistant");
        assertNull(events("mention", BOT).parse(group("hello")).message());
        assertEquals("hello", events("mention", BOT).parse(addressed).message().content());
        assertEquals(
                "hello", events("open", BOT).parse(group("hello")).message().content());
        assertNull(events("disabled", BOT).parse(addressed).message());
    }

    @Test
    void withoutTheBotsIdNoMentionCountsAsTheBot() {
        // Without the user-id scope a person's mention carries no user_id, just like the bot's.
        ObjectNode person = mention(group("@_user_1 hi"), "@_user_1", "ou_person", "Dana");
        ((ObjectNode) person.path("event")
                        .path("message")
                        .path("mentions")
                        .path(0)
                        .path("id"))
                .remove("user_id");
        ObjectNode bot = mention(group("@_user_1 hi"), "@_user_1", BOT, "Assistant");
        assertNull(events("mention", null).parse(person).message());
        assertNull(events("mention", null).parse(bot).message());
        assertEquals("@Dana hi", events("open", null).parse(person).message().content());
    }

    @Test
    void onlyGroupMessagesWithMentionsNeedTheBotsId() {
        ObjectNode mentioning = mention(group("@_user_1 hi"), "@_user_1", "ou_person", "Dana");
        assertTrue(events("mention", null).needsBotOpenId(mentioning));
        assertTrue(events("open", null).needsBotOpenId(mentioning));
        assertFalse(events("disabled", null).needsBotOpenId(mentioning));
        assertFalse(events("mention", null).needsBotOpenId(group("hi")));
        assertFalse(events("mention", null)
                .needsBotOpenId(mention(
                        messageEvent("ev-p", "om_p", "p2p", "oc_p", "text", textContent("@_user_1 hi")),
                        "@_user_1",
                        "ou_person",
                        "Dana")));
    }

    @Test
    void replacesTenthMentionWithoutTouchingTheFirst() {
        ObjectNode event = group("@_user_1 and @_user_10 meet");
        mention(event, "@_user_1", BOT, "Assistant");
        mention(event, "@_user_10", "ou_ten", "Ten");
        assertEquals(
                "and @Ten meet", events("mention", BOT).parse(event).message().content());
    }

    @Test
    void ignoresMessagesFromBots() {
        ObjectNode event = messageEvent("ev-b", "om_b", "p2p", "oc_p", "text", textContent("echo"));
        ((ObjectNode) event.path("event").path("sender")).put("sender_type", "app");
        MessageEvents.Outcome outcome = events("open", BOT).parse(event);
        assertNull(outcome.message());
        assertNotNull(outcome.ignored());
    }

    @Test
    void turnsImagesAndFilesIntoMediaReferences() {
        InboundMessage image = events("open", BOT)
                .parse(messageEvent("ev-i", "om_i", "p2p", "oc_p", "image", "{\"image_key\":\"img_v3_abc\"}"))
                .message();
        assertEquals("[image]", image.content());
        assertEquals(List.of(MediaRef.of("image", "img_v3_abc")), image.media());

        InboundMessage file = events("open", BOT)
                .parse(messageEvent(
                        "ev-f", "om_f", "p2p", "oc_p", "file", "{\"file_key\":\"file_v3_x\",\"file_name\":\"q3.pdf\"}"))
                .message();
        assertEquals("[file: q3.pdf]", file.content());
        assertEquals(List.of(new MediaRef("file", "file_v3_x", "q3.pdf", null, -1)), file.media());
    }
}
