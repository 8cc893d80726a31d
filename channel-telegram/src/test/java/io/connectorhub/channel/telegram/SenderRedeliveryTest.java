package io.connectorhub.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * A reply whose delivery broke off is delivered again by the outbox (it stays pending when the hub stops while
 * sending it). Telegram has no idempotency key, so the second attempt must deliver only what is missing. Each
 * attempt here uses a new {@link Sender} on the same database, as a restarted hub does.
 */
@ExtendWith(TestPostgres.class)
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class SenderRedeliveryTest {
    @Parameter
    String dialect;

    @TempDir
    Path dir;

    private FakeBotApi api;
    private Store store;
    private OkHttpClient http;

    @BeforeEach
    void start(TestDatabase postgres) throws Exception {
        api = new FakeBotApi();
        store = new TestStore(dialect, dir, postgres).open();
        http = new OkHttpClient();
    }

    @AfterEach
    void stop() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        store.close();
        api.close();
    }

    private Sender sender() {
        ReplyProgress progress = new ReplyProgress(store::state, Clock.systemUTC());
        progress.open();
        return new Sender(
                new OkHttpTelegramClient(http, FakeBotApi.TOKEN, TelegramChannel.telegramUrl(api.url())),
                new SendLimiter(100, 100, 100, System::currentTimeMillis, Thread::sleep),
                Thread::sleep,
                System::currentTimeMillis,
                false,
                progress);
    }

    private List<String> sentTexts() {
        return api.calls("sendMessage").stream().map(FakeBotApi.Call::text).toList();
    }

    @Test
    void aReplyThatFailedAtItsSecondPartSendsOnlyTheRestWhenDeliveredAgain() throws Exception {
        String paragraph = "word ".repeat(500).strip();
        OutboundMessage reply =
                OutboundMessage.to(TelegramChannel.NAME, "42", paragraph + "\n\n" + paragraph + "\n\n" + paragraph);
        List<String> parts = TelegramSplitter.split(TelegramFormat.toHtml(reply.content()));
        assertEquals(3, parts.size());
        api.pass("sendMessage");
        api.fail("sendMessage", 500, "Internal Server Error", null);

        assertThrows(TelegramApiRequestException.class, () -> sender().send(reply));
        assertEquals(List.of(parts.get(0), parts.get(1)), sentTexts(), "the first part arrived, the second failed");

        sender().send(reply);
        assertEquals(
                List.of(parts.get(0), parts.get(1), parts.get(1), parts.get(2)),
                sentTexts(),
                "only the failed part and the one after it are sent again");

        sender().send(reply); // delivered completely: a further attempt starts afresh
        assertEquals(7, sentTexts().size());
    }

    @Test
    void aStreamedReplyWhoseFinalEditFailedIsEditedAgainNotPostedAnew() throws Exception {
        OutboundMessage reply = OutboundMessage.to(TelegramChannel.NAME, "42", "Hello **there**");
        sender().send(reply.withKind(OutboundMessage.Kind.DELTA, "Hel"));
        assertEquals(List.of("Hel"), sentTexts());
        api.fail("editMessageText", 500, "Internal Server Error", null);

        assertThrows(TelegramApiRequestException.class, () -> sender().send(reply));
        sender().send(reply);

        assertEquals(List.of("Hel"), sentTexts(), "no second message under the preview");
        List<FakeBotApi.Call> edits = api.calls("editMessageText");
        assertEquals(2, edits.size());
        assertEquals("Hello <b>there</b>", edits.getLast().text());
        int preview = 5000; // the fake numbers messages from 5000, and the preview is the only one
        assertTrue(edits.stream().allMatch(e -> e.params().get("message_id").asInt() == preview));
    }
}
