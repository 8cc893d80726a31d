package io.connectorhub.channel.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.BusFullException;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Json;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.PlatformWebhook;
import io.javalin.config.JavalinConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Feishu / Lark channel: a self-built app's bot, chatting privately or in groups. Events arrive at
 * {@code POST /feishu/events} (webhook mode) or over the SDK's long connection; either way they are stored in the
 * inbox, keyed by {@code event_id}, before Feishu gets its answer, and the agent runs afterwards. Replies go out
 * through the open platform: in groups as a reply to the message, in private chats as a new message; plain text as
 * {@code text}, Markdown as {@code post}. Streaming deltas and typing hints are ignored (Feishu gets the whole reply
 * once). Thread-safe.
 */
public final class FeishuChannel extends BaseChannel implements PlatformWebhook {
    private static final Logger log = LoggerFactory.getLogger(FeishuChannel.class);
    public static final String NAME = "feishu";
    static final ObjectMapper JSON = Json.newMapper();

    private final FeishuSettings config;
    private final ChannelContext context;
    private final MessageEvents events;
    private final FeishuFormat format;
    private final FeishuApi api;
    private final WebhookEndpoint endpoint;
    private final LongConnection longConnection;
    /** How long an event waits for a read of the bot's open_id under way (Feishu waits 3 s for the answer). */
    static final Duration BOT_ID_WAIT = Duration.ofSeconds(1);

    private final BotIdentity identity;
    private volatile String verifiedAt;
    private String botProblem; // guarded by this

    FeishuChannel(CommonChannelSettings common, FeishuSettings config, ChannelContext context) {
        super(NAME, common.allowList());
        this.config = config;
        this.context = context;
        this.events = new MessageEvents(NAME, common.groupPolicy(), JSON);
        this.format = new FeishuFormat(JSON, config.domain().equals("lark") ? "en_us" : "zh_cn");
        this.api = new FeishuApi(config, JSON, context.clock());
        this.identity = new BotIdentity(
                api::botOpenId, context.clock(), config.botInfoRetry(), events::botOpenId, this::botProblem);
        this.endpoint = new WebhookEndpoint(config, JSON, context.clock(), this::intake, at -> verifiedAt = at);
        this.longConnection =
                config.longConnection() ? new LongConnection(config, this::intake, this::reportError) : null;
    }

    @Override
    public void mount(JavalinConfig http) {
        if (longConnection == null) http.routes.post(WebhookEndpoint.PATH, endpoint::handle);
    }

    /**
     * Learns the bot's open_id (to recognise mentions of it in groups); in long-connection mode
     * {@link #openConnection} connects.
     */
    @Override
    public void start() {
        identity.fetchNow();
        if (longConnection == null) {
            if (config.encryptKey().isEmpty()) {
                log.warn("channels.feishu.encryptKey is empty: callbacks are neither encrypted nor signed, only the"
                        + " verification token authenticates them; set an Encrypt Key in the console and here");
            }
            log.info("Feishu events are expected at POST {} on the hub's port", WebhookEndpoint.PATH);
        }
    }

    /** The long connection may be open once per app; webhook mode receives on every instance. */
    @Override
    public boolean singleConnection() {
        return longConnection != null;
    }

    @Override
    public void openConnection() {
        if (longConnection != null) longConnection.start();
    }

    @Override
    public void closeConnection() {
        if (longConnection != null) longConnection.stop();
    }

    @Override
    public void stop() {
        closeConnection();
    }

    /**
     * Stores one authentic event's message (if it is one to answer); throws if it could not be stored. Returns
     * normally once it is stored, even if the bus was too full to take it at once.
     */
    void intake(JsonNode event) {
        if (events.botOpenId() == null && events.needsBotOpenId(event)) identity.get(BOT_ID_WAIT);
        MessageEvents.Outcome outcome = events.parse(event);
        if (outcome.message() == null) {
            log.debug("Feishu event {} left alone: {}", event.path("header").path("event_id"), outcome.ignored());
            return;
        }
        try {
            context.inbound().accept(outcome.message());
        } catch (BusFullException e) {
            // InboundGate stores the message in the inbox before it publishes to the bus, so a full bus means
            // stored but not yet handed to the agent loop. The hub publishes such stored rows later (its periodic
            // inbox sweep, and recovery at start), so Feishu is answered as for any stored event: an error would
            // only make it deliver a copy the inbox already holds.
            log.warn(
                    "Feishu event {} stored but not yet queued for the agent ({}); it is picked up from the inbox",
                    event.path("header").path("event_id").asText(""),
                    e.getMessage());
        }
    }

    /** Shows a failed read of the bot's open_id in the status, and clears it (if still shown) once a read works. */
    private synchronized void botProblem(String problem) {
        if (problem != null) reportError(problem);
        else if (botProblem != null && botProblem.equals(lastError())) reportError(null);
        botProblem = problem;
    }

    @Override
    public void send(OutboundMessage message) throws Exception {
        if (message.kind() != OutboundMessage.Kind.MESSAGE) return;
        if (!message.media().isEmpty()) {
            log.debug("Feishu message {}: attachments are not sent, only the text", message.id());
        }
        boolean group = "group".equals(message.metadata().get(MessageEvents.CHAT_TYPE));
        String quote = group ? message.replyTo() : null;
        List<FeishuFormat.Part> parts = format.render(message.content());
        for (int i = 0; i < parts.size(); i++) {
            String uuid = uuid(message.id(), i);
            if (quote != null) api.reply(quote, parts.get(i), uuid);
            else api.create(receiveIdType(message), message.chatId(), parts.get(i), uuid);
        }
    }

    /** Where {@code chatId} points: as the inbound message said, else by Feishu's id prefix. */
    static String receiveIdType(OutboundMessage message) {
        String known = message.metadata().get(MessageEvents.RECEIVE_ID_TYPE);
        if (known != null) return known;
        String id = message.chatId();
        if (id.startsWith("oc_")) return "chat_id";
        if (id.startsWith("on_")) return "union_id";
        return "open_id";
    }

    /** Feishu's idempotency key (at most 50 characters) for part {@code index} of the outbound message {@code id}. */
    static String uuid(String id, int index) {
        String base = id;
        if (id.length() > 40) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
                base = HexFormat.of().formatHex(digest).substring(0, 40);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return base + "-" + index;
    }

    @Override
    public Status webhookStatus() {
        return longConnection != null
                ? new Status("longconn", null, false, lastError())
                : new Status("webhook", WebhookEndpoint.PATH, verifiedAt != null, lastError());
    }

    /** Always throws: Feishu takes the callback URL only in its console; the message gives the steps. */
    @Override
    public void registerWebhook(String publicUrl) {
        String base = publicUrl.strip().replaceAll("/+$", "");
        String url = base.endsWith(WebhookEndpoint.PATH) ? base : base + WebhookEndpoint.PATH;
        throw new UnsupportedOperationException("Feishu sets the callback URL only in its developer console: open the"
                + " app, Events & Callbacks > Event Configuration, choose \"Send events to developer server\", enter "
                + url + " and save (Feishu verifies it at once), then add the event im.message.receive_v1");
    }

    @Override
    public void unregisterWebhook() {
        throw new UnsupportedOperationException("Feishu changes event delivery only in its developer console: open the"
                + " app, Events & Callbacks > Event Configuration, and remove the request URL or switch to"
                + " long connection (channels.feishu.mode: longconn)");
    }
}
