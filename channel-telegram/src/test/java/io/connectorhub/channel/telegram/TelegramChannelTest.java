package io.connectorhub.channel.telegram;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.MediaRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelegramChannelTest extends TelegramHubTest {
    @Test
    void aPrivateMessageGetsAQuotedReplyAfterATypingHint() throws Exception {
        start("", echo);
        int update = api.message(42, "private", 42, "bob", "hello");
        int messageId = api.messageOf(update).get("message_id").asInt();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: hello").size() == 1);
        FakeBotApi.Call reply = sentText("Echo: hello").getFirst();
        assertEquals("42", reply.params().get("chat_id").asText());
        assertTrue(reply.params().get("parse_mode").asText().equalsIgnoreCase("HTML"));
        assertEquals(
                messageId, reply.params().at("/reply_parameters/message_id").asInt());
        assertTrue(api.calls("sendChatAction").stream()
                .anyMatch(c -> c.params().get("action").asText().equals("typing")));
        await().until(() -> api.confirmed(update));
    }

    @Test
    void inGroupsTheBotAnswersOnlyWhenMentionedAndOnlyAllowedSenders() throws Exception {
        start("", echo);
        int chatter = api.message(-100, "supergroup", 42, "bob", "just chatting");
        int stranger = api.message(-100, "supergroup", 7, "mallory", "@hub_bot let me in");
        int otherBot = api.message(-100, "supergroup", 42, "bob", "@hub_bot_evil obey me");
        int email = api.message(-100, "supergroup", 42, "bob", "write to me@hub_bot.example");
        api.message(-100, "supergroup", 8, "alice", "@hub_bot hi there");
        api.message(-100, "supergroup", 42, "bob", "/help@hub_bot");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: /help").size() == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: hi there").size() == 1);
        assertTrue(api.confirmed(chatter) && api.confirmed(stranger));
        assertTrue(api.confirmed(otherBot) && api.confirmed(email));
        assertTrue(sent().stream()
                .noneMatch(c -> c.text().contains("obey me") || c.text().contains("write to")));
        assertTrue(sentText("Echo: just chatting").isEmpty());
        assertTrue(sent().stream().noneMatch(c -> c.text().contains("let me in")));
        assertEquals(2, agentCalls.get());
    }

    @Test
    void longRepliesAreSplitAndUnparsableHtmlIsResentAsPlainText() throws Exception {
        String paragraph = "word ".repeat(500).strip();
        String longReply = paragraph + "\n\n" + paragraph + "\n\n**" + paragraph + "**";
        start("", (request, stream) -> longReply);
        api.fail("sendMessage", 400, "Bad Request: can't parse entities: unsupported start tag", null);
        api.message(42, "private", 42, "bob", "tell me everything");

        await().atMost(Duration.ofSeconds(15)).until(() -> sent().size() == 4);
        List<FakeBotApi.Call> calls = sent();
        assertTrue(calls.get(0).params().path("parse_mode").asText().equalsIgnoreCase("HTML"));
        assertTrue(calls.get(1).params().path("parse_mode").isMissingNode(), "the refused part is resent as plain");
        assertEquals(calls.get(0).text(), calls.get(1).text(), "the first part had no tags to strip");
        assertTrue(calls.stream().allMatch(c -> c.text().length() <= TelegramSplitter.LIMIT));
        assertTrue(calls.get(3).text().startsWith("<b>") && calls.get(3).text().endsWith("</b>"));
        String delivered = calls.stream()
                .skip(1)
                .map(c -> TelegramFormat.toPlain(c.text()))
                .reduce("", String::concat);
        assertEquals(longReply.replace("**", "").replace("\n", "").replace(" ", ""), delivered.replace(" ", ""));
    }

    @Test
    void waitsExactlyRetryAfterWhenTelegramSays429() throws Exception {
        start("", echo);
        api.fail("sendMessage", 429, "Too Many Requests: retry after 1", 1);
        api.message(42, "private", 42, "bob", "hi");

        await().atMost(Duration.ofSeconds(10)).until(() -> sent().size() == 2);
        List<FakeBotApi.Call> calls = sent();
        long waited = calls.get(1).atMillis() - calls.get(0).atMillis();
        assertTrue(waited >= 1000, "waited " + waited + " ms");
        assertEquals("Echo: hi", calls.get(1).text());
    }

    @Test
    void aConflictIsReportedWithTheFixAndRetriedWithBackoff() throws Exception {
        api.fail("getUpdates", 409, "Conflict: terminated by other getUpdates request", null);
        api.fail("getUpdates", 409, "Conflict: terminated by other getUpdates request", null);
        start("", echo);

        await().atMost(Duration.ofSeconds(5)).until(() -> channel().lastError() != null);
        assertTrue(channel().lastError().contains("409 Conflict"), channel().lastError());
        assertTrue(channel().lastError().contains("deleteWebhook"), channel().lastError());
        api.message(42, "private", 42, "bob", "still there?");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> sentText("Echo: still there?").size() == 1);
        assertNull(channel().lastError());
        List<FakeBotApi.Call> polls = api.calls("getUpdates");
        assertTrue(polls.get(1).atMillis() - polls.get(0).atMillis() >= 700, "backed off after the first 409");
        assertTrue(polls.get(2).atMillis() - polls.get(1).atMillis() >= 1500, "backed off longer after the second");
    }

    @Test
    void anUpdateFetchedButNotStoredBeforeAStopIsAnsweredOnceAfterRestart() throws Exception {
        int update = api.message(42, "private", 42, "bob", "survive this");
        api.holdUpdates();
        start("", echo);
        HubConfig config = hub.config();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !api.calls("getUpdates").isEmpty());
        hub.close(); // the getUpdates answer is still on its way: nothing stored, nothing confirmed
        hub = null;
        api.release();
        assertFalse(api.confirmed(update));
        assertTrue(sent().isEmpty());

        hub = TestHub.start(config, echo);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: survive this").size() == 1);
        await().until(() -> api.confirmed(update));
        int polls = api.calls("getUpdates").size();
        await().until(() -> api.calls("getUpdates").size() > polls + 1);
        assertEquals(1, sent().size());
        assertEquals(1, agentCalls.get());
    }

    @Test
    void aPollThatHangsIsCancelledByTheWatchdogAndPollingGoesOn() throws Exception {
        int update = api.message(42, "private", 42, "bob", "are you stuck?");
        api.holdUpdates(); // the fake answers nothing, far past the 1s poll timeout
        start("", echo);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.calls("getUpdates").size() == 1);
        await().atMost(Duration.ofSeconds(12))
                .until(() -> api.calls("getUpdates").size() >= 2);
        api.release();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: are you stuck?").size() == 1);
        await().until(() -> api.confirmed(update));
        assertEquals(1, agentCalls.get());
    }

    @Test
    void aRefusedTokenFailsTheChannelWithTheFix() throws Exception {
        hub = TestHub.start(
                dir, yaml("").replace(FakeBotApi.TOKEN, "123456:WRONG-token-abcdefghijklmnopqrstuvw"), echo);
        await().until(() -> channel().lastError() != null);
        assertTrue(
                channel().lastError().contains("TELEGRAM_BOT_TOKEN"), channel().lastError());
        assertFalse(channel().lastError().contains("WRONG"), channel().lastError());
        assertTrue(hub.runtime().channels().statuses().stream()
                .anyMatch(s -> s.state() == io.connectorhub.core.internal.ChannelStatus.State.FAILED));
    }

    @Test
    void anUpdateSentAgainAfterItWasStoredIsAnsweredOnce() throws Exception {
        start("", echo);
        int update = api.message(42, "private", 42, "bob", "once please");
        var message = api.messageOf(update);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: once please").size() == 1);
        await().until(() -> api.confirmed(update));

        // Telegram sends the stored update again (as after a stop before confirming it): only the inbox's
        // de-duplication by update id keeps it from reaching the agent a second time.
        // A message queued behind it in the same chat is answered after it, so its answer shows the replay was
        // handled (and, had it reached the agent, answered) by then.
        api.replay(update, message);
        api.message(42, "private", 42, "bob", "and now this");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: and now this").size() == 1);
        assertEquals(1, api.replayed(), "the fake returned the confirmed update again");
        assertEquals(
                List.of("Echo: once please", "Echo: and now this"),
                sent().stream().map(FakeBotApi.Call::text).toList());
        assertEquals(2, agentCalls.get());
    }

    @Test
    void aStreamedReplyIsEditedIntoPlaceNotSentTwice() throws Exception {
        start("", (request, stream) -> {
            stream.accept("Hel");
            stream.accept("lo ");
            Thread.sleep(1200); // a slow agent: the preview is edited once a second at most
            stream.accept("there");
            return "Hello **there**";
        });
        api.message(42, "private", 42, "bob", "stream it");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.calls("editMessageText").stream()
                        .anyMatch(c -> c.text().equals("Hello <b>there</b>")));
        assertEquals(1, sent().size(), "one message, then edits");
        int messageId = api.calls("editMessageText")
                .getLast()
                .params()
                .get("message_id")
                .asInt();
        assertTrue(messageId > 0);
    }

    @Test
    void forumTopicsHaveTheirOwnSessionAndRepliesStayInTheTopic() throws Exception {
        List<String> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
        start("", (request, stream) -> {
            sessions.add(request.sessionKey());
            return "in topic";
        });
        ObjectNode message = json.createObjectNode();
        message.put("message_id", 1).put("date", 1_700_000_000).put("text", "@hub_bot topic question");
        message.put("message_thread_id", 77).put("is_topic_message", true);
        message.putObject("chat").put("id", -100).put("type", "supergroup").put("is_forum", true);
        message.putObject("from").put("id", 42).put("is_bot", false).put("first_name", "B");
        api.add(message);

        await().atMost(Duration.ofSeconds(10)).until(() -> sentText("in topic").size() == 1);
        assertEquals(List.of("telegram:-100:77"), sessions);
        assertEquals(
                77,
                sentText("in topic")
                        .getFirst()
                        .params()
                        .get("message_thread_id")
                        .asInt());
    }

    @Test
    void photosArriveAsFileReferencesAndAreDownloadedOnDemandWithinTheCap() throws Exception {
        List<MediaRef> media = new java.util.concurrent.CopyOnWriteArrayList<>();
        start("mediaMaxBytes: 1000", (request, stream) -> {
            media.addAll(request.message().media());
            return "nice picture";
        });
        ObjectNode message = json.createObjectNode();
        message.put("message_id", 1).put("date", 1_700_000_000).put("caption", "look");
        message.putArray("photo")
                .add(json.createObjectNode()
                        .put("file_id", "small")
                        .put("file_unique_id", "s")
                        .put("width", 90)
                        .put("height", 90))
                .add(json.createObjectNode()
                        .put("file_id", "large")
                        .put("file_unique_id", "l")
                        .put("width", 900)
                        .put("height", 900)
                        .put("file_size", 17));
        message.putObject("chat").put("id", 42).put("type", "private");
        message.putObject("from").put("id", 42).put("is_bot", false).put("first_name", "B");
        api.add(message);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("nice picture").size() == 1);
        assertEquals(1, media.size());
        assertEquals("image", media.getFirst().kind());
        assertEquals("large", media.getFirst().ref());
        assertTrue(api.calls("download").isEmpty(), "nothing is downloaded until asked for");

        Path file = channel().downloadMedia(media.getFirst());
        assertTrue(file.startsWith(dir.resolve("data/media")), file.toString());
        assertEquals("not really a jpeg", Files.readString(file));

        api.fileBytes = new byte[2000];
        Exception tooLarge = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class, () -> channel().downloadMedia(MediaRef.of("document", "big")));
        assertTrue(tooLarge.getMessage().contains("channels.telegram.mediaMaxBytes"), tooLarge.getMessage());
    }

    @Test
    void aStreamedPreviewThatCannotBeEditedIsFollowedByTheWholeReply() throws Exception {
        start("", (request, stream) -> {
            stream.accept("Hel");
            return "Hello **there**";
        });
        api.fail("editMessageText", 400, "Bad Request: message to edit not found", null);
        api.message(42, "private", 42, "bob", "stream it");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Hello <b>there</b>").size() == 1);
        assertEquals("Hel", sent().getFirst().text());
        assertEquals(2, sent().size());
    }
}
