package io.connectorhub.channel.discord;

import static io.connectorhub.channel.discord.DiscordPayloads.GUILD_ID;
import static io.connectorhub.channel.discord.DiscordPayloads.TEXT_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.USER_ID;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.internal.ChannelStatus;
import io.connectorhub.core.internal.HubEvents;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hubs sharing one PostgreSQL database and one Discord bot: only the instance holding the gateway can send, so a reply
 * stored on another instance, or while nobody holds the gateway, is sent by the holder, once.
 */
@ExtendWith(TestPostgres.class)
class DiscordClusterTest extends DiscordHubTest {
    private static final String LOCK =
            "SELECT pg_try_advisory_lock(hashtextextended('connector-hub channel discord', 0))";

    private TestDatabase database;
    private String storeUrl;
    private final List<TestHub> hubs = new ArrayList<>();

    @BeforeEach
    void database(TestDatabase database) {
        this.database = database;
        this.storeUrl = new TestStore("postgresql", dir, database).storeUrl();
    }

    @AfterEach
    void stopHubs() {
        for (TestHub h : hubs) h.close();
    }

    private TestHub hub(String name) throws Exception {
        Files.createDirectories(dir.resolve(name));
        // the test hub writes the store section's dataDir last; the indented line continues that section
        TestHub started = TestHub.start(
                TestHub.config(dir.resolve(name), "", """
                          url: "%s"
                        channels:
                          discord:
                            enabled: true
                            token: fake-bot-token
                            allowFrom: ["%s"]
                            apiUrl: http://127.0.0.1:%d/api/v10/
                        """.formatted(storeUrl, USER_ID, rest.port())),
                (request, stream) -> "You said: " + request.text());
        hubs.add(started);
        return started;
    }

    private static ChannelStatus.State state(TestHub hub) {
        return hub.runtime().channels().state(DiscordChannel.NAME);
    }

    /** Hands {@code text} to {@code hub} as a Discord message in the server channel, so that hub answers it. */
    private static void writeTo(TestHub hub, String text) {
        String id = DiscordPayloads.nextId();
        hub.runtime()
                .channelContext()
                .inbound()
                .accept(InboundMessage.builder(DiscordChannel.NAME, id)
                        .sender(USER_ID)
                        .chat(TEXT_CHANNEL)
                        .content(text)
                        .metadata(Map.of(
                                InboundMapper.GUILD_ID,
                                GUILD_ID,
                                InboundMapper.USER_ID,
                                USER_ID,
                                InboundMessage.MESSAGE_ID,
                                id))
                        .build());
    }

    private static List<String> sentBy(TestHub hub) {
        List<String> texts = new CopyOnWriteArrayList<>();
        hub.runtime().events().subscribe(e -> {
            if (e.type().equals(HubEvents.MESSAGE_OUTBOUND))
                texts.add((String) e.data().get("text"));
        });
        return texts;
    }

    /** The outbox rows of the Discord replies: {@code <state> <owner or "nobody">}, oldest first. */
    private List<String> replies() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT state, coalesce(owner, 'nobody') FROM outbox WHERE channel = 'discord' ORDER BY rowid")) {
            while (r.next()) rows.add(r.getString(1) + " " + r.getString(2));
        }
        return rows;
    }

    @Test
    void aReplyAnsweredOnAnInstanceWithoutTheGatewayIsSentOnceByTheHolder() throws Exception {
        TestHub a = hub("a");
        await().atMost(WAIT).until(() -> state(a) == ChannelStatus.State.RUNNING);
        TestHub b = hub("b");
        assertEquals(ChannelStatus.State.STANDBY, state(b));
        assertEquals(Optional.of(a.runtime().instanceId()), b.runtime().holder(DiscordChannel.NAME));
        List<String> sentByA = sentBy(a);
        List<String> sentByB = sentBy(b);

        writeTo(b, "answered on b");

        await().atMost(WAIT)
                .until(() -> replies().equals(List.of("sent " + a.runtime().instanceId())));
        assertEquals(List.of("You said: answered on b"), contentsSentTo(TEXT_CHANNEL));
        assertEquals(List.of("You said: answered on b"), sentByA);
        assertEquals(List.of(), sentByB);
    }

    @Test
    void repliesStoredWhileNobodyHoldsTheGatewayWaitAndAreSentInOrderOnceItIsHeld() throws Exception {
        TestHub b;
        try (Connection other = database.connect();
                Statement s = other.createStatement()) {
            // another process holds the gateway's lock and has no gateway open: nobody can send Discord replies
            try (ResultSet r = s.executeQuery(LOCK)) {
                r.next();
                assertEquals(true, r.getBoolean(1));
            }
            b = hub("b");
            assertEquals(ChannelStatus.State.STANDBY, state(b));

            writeTo(b, "first");
            writeTo(b, "second");

            await().atMost(WAIT).until(() -> replies().equals(List.of("pending nobody", "pending nobody")));
            assertEquals(List.of(), sentTo(TEXT_CHANNEL));
        }

        await().atMost(WAIT).until(() -> contentsSentTo(TEXT_CHANNEL).size() == 2);
        assertEquals(ChannelStatus.State.RUNNING, state(b));
        assertEquals(List.of("You said: first", "You said: second"), contentsSentTo(TEXT_CHANNEL));
        await().atMost(WAIT)
                .until(() -> replies()
                        .equals(List.of(
                                "sent " + b.runtime().instanceId(),
                                "sent " + b.runtime().instanceId())));
    }
}
