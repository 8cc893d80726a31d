package io.connectorhub.app.echotest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Json;
import io.connectorhub.core.ModuleState;
import io.connectorhub.core.OutboundMessage;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A channel that lives in test sources only: {@code POST /echo-test/{chat}} with {@code {"sender", "text"}} hands the
 * text to the hub and answers {@code {"reply"}} once the agent's reply is sent to this channel, with the configured
 * greeting before it. Each reply is kept in the channel's own table ({@code db/echo_test/common/V1__*.sql}, created
 * through {@link ChannelContext#state}); {@code GET /echo-test/{chat}} lists them.
 */
final class EchoTestChannel extends BaseChannel {
    static final String NAME = "echoTest";
    static final String ROUTE = "/echo-test/{chat}";
    private static final ObjectMapper JSON = Json.newMapper();

    private final EchoTestSettings settings;
    private final ChannelContext context;
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    private volatile ModuleState state;

    EchoTestChannel(CommonChannelSettings common, EchoTestSettings settings, ChannelContext context) {
        super(NAME, common.allowList());
        this.settings = settings;
        this.context = context;
    }

    @Override
    public void mount(JavalinConfig http) {
        http.routes.post(ROUTE, this::message);
        http.routes.get(ROUTE, this::replies);
    }

    private void replies(Context ctx) {
        List<String> replies = state.read(
                h -> h.createQuery("SELECT reply FROM echo_test_replies WHERE chat = :chat ORDER BY sent_at, rowid")
                        .bind("chat", ctx.pathParam("chat"))
                        .mapTo(String.class)
                        .list());
        ctx.json(Map.of("replies", replies));
    }

    private void message(Context ctx) throws Exception {
        JsonNode body = JSON.readTree(ctx.body());
        String text = body.path("text").asText();
        if (text.length() > settings.maxLength()) {
            ctx.status(413).json(Map.of("error", "text is longer than channels.echoTest.maxLength"));
            return;
        }
        String id = UUID.randomUUID().toString();
        CompletableFuture<String> reply = new CompletableFuture<>();
        waiting.put(id, reply);
        try {
            context.inbound()
                    .accept(new InboundMessage(
                            id,
                            NAME,
                            body.path("sender").asText(),
                            ctx.pathParam("chat"),
                            text,
                            context.clock().instant(),
                            null,
                            null,
                            null,
                            null,
                            null));
            String answer = settings.greeting() + " "
                    + reply.get(settings.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            state.write(h -> h.createUpdate(
                            "INSERT INTO echo_test_replies (chat, reply, sent_at) VALUES (:chat, :reply, :at)")
                    .bind("chat", ctx.pathParam("chat"))
                    .bind("reply", answer)
                    .bind("at", context.clock().millis())
                    .execute());
            ctx.json(Map.of("reply", answer));
        } catch (TimeoutException e) {
            ctx.status(504).json(Map.of("error", "no reply within channels.echoTest.replyTimeout"));
        } finally {
            waiting.remove(id);
        }
    }

    @Override
    public void start() {
        // A channel's own tables are opened here, where I/O is allowed: this runs the module's migrations once.
        state = context.state("echo_test");
    }

    @Override
    public void stop() {}

    @Override
    public void send(OutboundMessage message) {
        if (message.kind() != OutboundMessage.Kind.MESSAGE || message.inReplyTo() == null) return;
        CompletableFuture<String> reply = waiting.get(message.inReplyTo());
        if (reply != null) reply.complete(message.content());
    }
}
