package io.connectorhub.app.webhooks;

import static io.connectorhub.app.http.Api.badRequest;
import static io.connectorhub.app.http.Api.notFound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.app.http.Api;
import io.connectorhub.app.webhooks.WebhookDeliveries.Delivery;
import io.connectorhub.app.webhooks.WebhookEndpoints.Endpoint;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.Json;
import io.connectorhub.core.internal.HubEvents;
import io.connectorhub.core.internal.net.TargetGuard;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Event subscriptions: the handlers of the admin routes under {@code /api/v1/webhooks}, and the listener that turns each hub event
 * into one pending delivery per subscribed, enabled endpoint (the {@link DeliveryWorker} sends them). Thread-safe.
 */
public final class OutboundWebhooks {
    /** Event types an endpoint may subscribe to ({@code *} for all). */
    public static final Set<String> EVENTS =
            Set.of(HubEvents.MESSAGE_INBOUND, HubEvents.MESSAGE_OUTBOUND, HubEvents.CHANNEL_STATUS, "*");

    public static final String TEST_EVENT = "webhook.test";
    private static final ObjectMapper JSON = Json.newMapper();

    private final WebhookEndpoints store;
    private final WebhookDeliveries deliveries;
    private final TargetGuard guard;
    private final DeliveryWorker worker;
    private final Clock clock;
    private final Duration rotationGrace;
    private volatile List<Endpoint> endpoints;

    public OutboundWebhooks(
            WebhookEndpoints store,
            WebhookDeliveries deliveries,
            TargetGuard guard,
            DeliveryWorker worker,
            Clock clock,
            Duration rotationGrace) {
        this.store = store;
        this.deliveries = deliveries;
        this.guard = guard;
        this.worker = worker;
        this.clock = clock;
        this.rotationGrace = rotationGrace;
        this.endpoints = store.list();
        worker.onDisable(this::refresh);
    }

    /** Queues a delivery of {@code event} for every enabled endpoint subscribed to it. */
    public void onEvent(HubEvents.Event event) {
        List<Delivery> pending = new ArrayList<>();
        String payload = null; // the same for every endpoint: written once
        for (Endpoint e : endpoints) {
            if (!e.wants(event.type())) continue;
            if (payload == null) payload = payload(event.type(), event.data());
            pending.add(Delivery.pending(newDeliveryId(), e.id(), null, e.url(), event.type(), payload));
        }
        if (pending.isEmpty()) return;
        deliveries.enqueue(pending); // one write for all endpoints
        worker.wake();
    }

    /** The Standard Webhooks payload shape: {@code {type, timestamp, data}}. */
    String payload(String type, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", clock.instant().toString());
        body.put("data", data);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + type + " cannot be written as JSON", e);
        }
    }

    private Delivery delivery(Endpoint e, String type, Map<String, Object> data) {
        return Delivery.pending(newDeliveryId(), e.id(), null, e.url(), type, payload(type, data));
    }

    static String newDeliveryId() {
        return "msg_" + GeneratedSecret.random(18);
    }

    private void refresh() {
        endpoints = store.list();
    }

    public void list(Context ctx) {
        ctx.json(Map.of(
                "webhooks", store.list().stream().map(OutboundWebhooks::view).toList()));
    }

    public void show(Context ctx) {
        ctx.json(view(find(ctx)));
    }

    public void delete(Context ctx) {
        if (!store.delete(ctx.pathParam("id"))) throw notFound("webhook " + ctx.pathParam("id"));
        refresh();
        ctx.status(204);
    }

    private Endpoint find(Context ctx) {
        String id = ctx.pathParam("id");
        return store.find(id).orElseThrow(() -> notFound("webhook " + id));
    }

    public void create(Context ctx) {
        JsonNode body = Api.object(ctx);
        String url = Api.text(body, "url", 2048);
        String problem = guard.problem(url);
        if (problem != null) throw badRequest("url", problem);
        List<String> events = Api.optionalTexts(body, "events");
        if (events == null || events.isEmpty())
            throw badRequest("events", "is required: a list of " + String.join(", ", EVENTS));
        checkEvents(events);
        String description = Api.optionalText(body, "description", 500);
        String secret = WebhookSignature.newSecret();
        Endpoint e = new Endpoint(
                "wh_" + GeneratedSecret.random(12),
                url,
                description == null ? "" : description,
                events,
                true,
                null,
                secret,
                null,
                null,
                null,
                clock.instant(),
                clock.instant());
        store.insert(e);
        refresh();
        Map<String, Object> out = view(store.find(e.id()).orElseThrow());
        out.put("secret", secret);
        ctx.status(201).json(out);
    }

    private static void checkEvents(List<String> events) {
        for (String ev : events) {
            if (!EVENTS.contains(ev))
                throw badRequest("events", "contains unknown event " + ev + "; use " + String.join(", ", EVENTS));
        }
    }

    public void patch(Context ctx) {
        String id = ctx.pathParam("id");
        JsonNode body = Api.object(ctx);
        Boolean enabled = Api.optionalBoolean(body, "enabled");
        List<String> events = Api.optionalTexts(body, "events");
        if (events != null) {
            if (events.isEmpty()) throw badRequest("events", "must not be empty");
            checkEvents(events);
        }
        String description = Api.optionalText(body, "description", 500);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("enabled", "events", "description").contains(f))
                throw badRequest(f, "cannot be changed; PATCH takes enabled, events and description");
        }
        if (!store.update(id, enabled, events, description)) throw notFound("webhook " + id);
        refresh();
        ctx.json(view(store.find(id).orElseThrow()));
    }

    public void rotate(Context ctx) {
        Endpoint e = find(ctx);
        String secret = WebhookSignature.newSecret();
        Instant until = clock.instant().plus(rotationGrace);
        store.rotate(e.id(), secret, until);
        refresh();
        ctx.json(Map.of("id", e.id(), "secret", secret, "previousSecretValidUntil", until.toString()));
    }

    public void test(Context ctx) {
        Endpoint e = find(ctx);
        if (!e.enabled()) throw new Api.Error(409, "webhook " + e.id() + " is disabled; enable it with PATCH first");
        Delivery d = delivery(e, TEST_EVENT, Map.of("message", "a test delivery from the connector hub"));
        deliveries.enqueue(List.of(d));
        worker.wake();
        ctx.status(202).json(Map.of("deliveryId", d.id()));
    }

    public void deliveries(Context ctx) {
        Endpoint e = find(ctx);
        int limit = Api.limit(ctx, "limit", 50, 500);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Delivery d : deliveries.toEndpoint(e.id(), limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("event", d.eventType());
            m.put("state", d.state());
            m.put("attempts", d.attempts());
            m.put("lastStatus", d.lastStatus());
            m.put("lastError", d.lastError());
            m.put("nextAttemptAt", d.nextAttemptAt());
            m.put("createdAt", d.createdAt());
            m.put("doneAt", d.doneAt());
            m.put("attemptLog", deliveries.attempts(d.id()));
            out.add(m);
        }
        ctx.json(Map.of("deliveries", out));
    }

    /** An endpoint as the API shows it: never its secrets. */
    static Map<String, Object> view(Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("url", e.url());
        m.put("description", e.description());
        m.put("events", e.events());
        m.put("enabled", e.enabled());
        m.put("disabledReason", e.disabledReason());
        m.put("failingSince", e.failingSince());
        m.put("previousSecretValidUntil", e.previousUntil());
        m.put("createdAt", e.createdAt());
        m.put("updatedAt", e.updatedAt());
        return m;
    }
}
