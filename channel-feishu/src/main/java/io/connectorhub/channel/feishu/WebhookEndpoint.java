package io.connectorhub.channel.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.GeneratedSecret;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /feishu/events}: authenticates a callback (signature over the raw body in constant time, timestamp
 * within the tolerance, verification token), decrypts it, answers the URL verification challenge, and hands message
 * events to the intake, which stores them before this answers 200. Anything not authentic gets 401 and reaches
 * nothing. If storing fails the answer is 503, so Feishu delivers again; a full bus is no such failure, the event
 * is stored and answered 200 (see {@link FeishuChannel#intake}). Thread-safe.
 */
final class WebhookEndpoint {
    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);
    static final String PATH = "/feishu/events";
    static final String TIMESTAMP = "X-Lark-Request-Timestamp";
    static final String NONCE = "X-Lark-Request-Nonce";
    static final String SIGNATURE = "X-Lark-Signature";

    /** Takes an authentic event; throws if it could not be stored. */
    interface Intake {
        void accept(JsonNode event) throws Exception;
    }

    private final FeishuSettings config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Intake intake;
    private final Consumer<String> onVerified;

    WebhookEndpoint(FeishuSettings config, ObjectMapper json, Clock clock, Intake intake, Consumer<String> onVerified) {
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.intake = intake;
        this.onVerified = onVerified;
    }

    void handle(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        JsonNode outer = read(new String(body, StandardCharsets.UTF_8));
        if (outer == null || !outer.isObject()) {
            refuse(ctx, 400, "the body is not a JSON object");
            return;
        }
        JsonNode plain;
        boolean encrypted = outer.hasNonNull("encrypt");
        if (!config.encryptKey().isEmpty()) {
            if (!encrypted) {
                refuse(ctx, 401, "the body is not encrypted although channels.feishu.encryptKey is set");
                return;
            }
            String signature = ctx.header(SIGNATURE);
            if (signature != null) {
                String problem = checkSignature(ctx, body, signature);
                if (problem != null) {
                    refuse(ctx, 401, problem);
                    return;
                }
            }
            try {
                plain = read(EventCrypto.decrypt(
                        config.encryptKey(), outer.get("encrypt").asText("")));
            } catch (IllegalArgumentException e) {
                plain = null;
            }
            if (plain == null || !plain.isObject()) {
                refuse(ctx, 401, "the body does not decrypt with channels.feishu.encryptKey");
                return;
            }
            // Feishu signs events; only the challenge, which proves the key by decrypting, may come unsigned.
            if (signature == null && !isChallenge(plain)) {
                refuse(ctx, 401, "the " + SIGNATURE + " header is missing");
                return;
            }
        } else {
            if (encrypted) {
                refuse(ctx, 401, "the body is encrypted: set channels.feishu.encryptKey to the console's Encrypt Key");
                return;
            }
            plain = outer;
        }

        if (isChallenge(plain)) {
            if (!GeneratedSecret.matches(
                    config.verificationToken(), plain.path("token").asText(null))) {
                refuse(ctx, 401, "URL verification with a wrong verification token");
                return;
            }
            onVerified.accept(clock.instant().toString());
            log.info("Feishu URL verification answered");
            ctx.json(Map.of("challenge", plain.path("challenge").asText("")));
            return;
        }
        JsonNode header = plain.path("header");
        if (!GeneratedSecret.matches(
                config.verificationToken(), header.path("token").asText(null))) {
            refuse(ctx, 401, "wrong verification token (header.token)");
            return;
        }
        String type = header.path("event_type").asText("");
        if (!type.equals(MessageEvents.RECEIVE)) {
            log.debug(
                    "Feishu event {} of type {} ignored",
                    header.path("event_id").asText(""),
                    type);
            ctx.json(Map.of());
            return;
        }
        try {
            intake.accept(plain);
        } catch (Exception e) {
            log.warn(
                    "Feishu event {} not stored, Feishu will deliver it again: {}",
                    header.path("event_id"),
                    e.toString());
            ctx.status(503).json(Map.of("error", "not stored, retry later"));
            return;
        }
        ctx.json(Map.of());
    }

    private String checkSignature(Context ctx, byte[] body, String signature) {
        String timestamp = ctx.header(TIMESTAMP);
        String nonce = ctx.header(NONCE);
        if (timestamp == null || nonce == null) return "the " + TIMESTAMP + " or " + NONCE + " header is missing";
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return "the " + TIMESTAMP + " header is not a number";
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), clock.instant())
                .abs();
        if (skew.compareTo(config.timestampTolerance()) > 0) {
            return "the request timestamp is " + skew.toSeconds() + " s from now (more than channels.feishu"
                    + ".timestampTolerance): a replay, or this host's clock is wrong";
        }
        String expected = EventCrypto.signature(timestamp, nonce, config.encryptKey(), body);
        return GeneratedSecret.matches(expected, signature.strip().toLowerCase())
                ? null
                : "wrong " + SIGNATURE + ": the body was altered or channels.feishu.encryptKey differs from the"
                        + " console's";
    }

    private static boolean isChallenge(JsonNode plain) {
        return "url_verification".equals(plain.path("type").asText(""));
    }

    private void refuse(Context ctx, int status, String why) {
        log.warn("Feishu callback from {} refused with {}: {}", ctx.ip(), status, why);
        ctx.status(status).json(Map.of("error", status == 401 ? "unauthorized" : "bad request"));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
