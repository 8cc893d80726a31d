package io.connectorhub.channel.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.connectorhub.channel.discord.DiscordPayloads.DM_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.OTHER_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.TEXT_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.THREAD;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Discord gateway (v10, JSON, no compression) on a real WebSocket: HELLO, IDENTIFY → READY + GUILD_CREATE,
 * HEARTBEAT → ACK, RESUME → replay of the events after the client's sequence number + RESUMED, and close 4014 when
 * told to refuse the intents. It keeps every dispatched event, so events sent while no client is connected are
 * replayed on RESUME, as Discord does. Thread-safe.
 */
public final class FakeGateway implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final Object lock = new Object();
    private final List<ObjectNode> dispatched = new ArrayList<>();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<Integer> replayed = new CopyOnWriteArrayList<>();
    private WsContext current;
    private int seq;
    private volatile boolean refuseIntents;
    private volatile boolean refuseResumes;

    public FakeGateway() {
        app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.startup.showOldJavalinVersionWarning = false;
                    config.routes.ws("/", ws -> {
                        ws.onConnect(this::connected);
                        ws.onMessage(ctx -> onFrame(ctx, ctx.message()));
                        ws.onClose(ctx -> {
                            synchronized (lock) {
                                if (current == ctx) current = null;
                            }
                        });
                    });
                })
                .start("127.0.0.1", 0);
    }

    /**
     * Stubs on {@code rest} (WireMock as Discord's REST API under {@code /api/v10}) what JDA asks it around this
     * gateway: the bot's user, this gateway's address, typing, and sends and edits in the fake server's channels and
     * the DM channel, answered as message {@code sentId}.
     */
    public void stubRestApi(WireMockServer rest, String sentId) {
        rest.stubFor(get("/api/v10/users/@me").willReturn(okJson(asJson(DiscordPayloads.self()))));
        rest.stubFor(get("/api/v10/gateway/bot")
                .willReturn(okJson(asJson(Map.of(
                        "url",
                        url(),
                        "shards",
                        1,
                        "session_start_limit",
                        Map.of("total", 1000, "remaining", 999, "reset_after", 0, "max_concurrency", 1))))));
        for (String channel : List.of(DM_CHANNEL, TEXT_CHANNEL, THREAD, OTHER_CHANNEL)) {
            String messages = "/api/v10/channels/" + channel + "/messages";
            rest.stubFor(
                    post(urlPathEqualTo(messages)).willReturn(okJson(asJson(DiscordPayloads.sent(sentId, channel)))));
            rest.stubFor(patch(urlPathEqualTo(messages + "/" + sentId))
                    .willReturn(okJson(asJson(DiscordPayloads.sent(sentId, channel)))));
        }
        rest.stubFor(post(urlPathMatching("/api/v10/channels/\\d+/typing")).willReturn(noContent()));
    }

    private static String asJson(Object value) {
        return JSON.valueToTree(value).toString();
    }

    public String url() {
        return "ws://127.0.0.1:" + app.port() + "/";
    }

    void refuseIntents() {
        refuseIntents = true;
    }

    /** Answers RESUME with INVALID_SESSION (not resumable), as Discord does once a session has expired. */
    void refuseResumes() {
        refuseResumes = true;
    }

    /** Ops the client sent, in order (HEARTBEATs left out). */
    List<Integer> opsReceived() {
        return received.stream()
                .map(n -> n.path("op").asInt())
                .filter(op -> op != 1)
                .toList();
    }

    List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** Sequence numbers sent on a RESUME replay rather than live. */
    List<Integer> replayed() {
        return List.copyOf(replayed);
    }

    public boolean connected() {
        synchronized (lock) {
            return current != null;
        }
    }

    /** Sends a dispatch event to the connected client, or keeps it for a RESUME if none is connected. */
    public int dispatch(String type, Object data) {
        synchronized (lock) {
            ObjectNode event = JSON.createObjectNode();
            event.put("op", 0).put("t", type).put("s", ++seq).set("d", JSON.valueToTree(data));
            dispatched.add(event);
            if (current != null) current.send(event.toString());
            return seq;
        }
    }

    /**
     * Drops the connection without a close frame (as a network failure would) and, before the client can come back,
     * dispatches {@code missed}: those events only reach the client through the RESUME replay.
     */
    int dropAndDispatch(String type, Object missed) {
        synchronized (lock) {
            WsContext ctx = current;
            current = null;
            if (ctx != null) ctx.session.disconnect();
            return dispatch(type, missed);
        }
    }

    /** Closes the live connection with {@code code}, as Discord does when it ends a session for good. */
    void closeWith(int code, String reason) {
        synchronized (lock) {
            if (current != null) current.closeSession(code, reason);
        }
    }

    private void connected(WsContext ctx) {
        synchronized (lock) {
            current = ctx;
            ctx.send(op(10, Map.of("heartbeat_interval", 41250)));
        }
    }

    private void onFrame(WsContext ctx, String text) throws Exception {
        JsonNode frame = JSON.readTree(text);
        received.add(frame);
        switch (frame.path("op").asInt()) {
            case 1 -> ctx.send(op(11, null));
            case 2 -> {
                if (refuseIntents) {
                    ctx.closeSession(4014, "Disallowed intent(s).");
                    return;
                }
                dispatch("READY", DiscordPayloads.ready(url()));
                dispatch("GUILD_CREATE", DiscordPayloads.guild());
            }
            case 6 -> {
                if (refuseResumes) ctx.send(op(9, false));
                else resume(ctx, frame.path("d").path("seq").asInt());
            }
            default -> {}
        }
    }

    private void resume(WsContext ctx, int after) {
        synchronized (lock) {
            for (ObjectNode event : dispatched) {
                int s = event.path("s").asInt();
                if (s > after) {
                    ctx.send(event.toString());
                    replayed.add(s);
                }
            }
            ObjectNode resumed = JSON.createObjectNode();
            resumed.put("op", 0).put("t", "RESUMED").put("s", ++seq).putObject("d");
            ctx.send(resumed.toString());
        }
    }

    private static String op(int op, Object data) {
        ObjectNode node = JSON.createObjectNode();
        node.put("op", op).set("d", JSON.valueToTree(data));
        return node.toString();
    }

    @Override
    public void close() {
        app.stop();
    }
}
