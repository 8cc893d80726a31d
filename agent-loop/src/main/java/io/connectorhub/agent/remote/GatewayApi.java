package io.connectorhub.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.Json;
import io.connectorhub.core.internal.AdminAuth;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP handlers of {@link Gateways}: admin routes under {@code /api/v1/gateways} (admin token), heartbeats (the
 * gateway's token; wrong ones count toward the hub's per-IP lockout) and task callbacks (the task's token). The
 * assembly mounts them with the other admin routes. Answers
 * never contain a token. Thread-safe.
 */
public final class GatewayApi {
    private static final Logger log = LoggerFactory.getLogger(GatewayApi.class);
    private static final String NOT_FOUND = "no such task, or the token does not belong to it";

    private final Gateways gateways;
    private final AuthFailures failures;
    private final ObjectMapper json = Json.newMapper();

    /** @param failures the hub's per-IP lockout, which wrong gateway tokens count toward */
    public GatewayApi(Gateways gateways, AuthFailures failures) {
        this.gateways = gateways;
        this.failures = failures;
    }

    public void list(Context ctx) {
        ctx.json(Map.of("gateways", gateways.list().stream().map(this::view).toList()));
    }

    public void show(Context ctx) {
        Optional<Gateways.Gateway> g = gateways.find(ctx.pathParam("name"));
        if (g.isPresent()) ctx.json(view(g.get()));
        else ctx.status(404).json(Map.of("error", "no gateway named " + ctx.pathParam("name")));
    }

    public void delete(Context ctx) {
        if (gateways.delete(ctx.pathParam("name"))) ctx.status(204);
        else ctx.status(404).json(Map.of("error", "no gateway named " + ctx.pathParam("name")));
    }

    public void register(Context ctx) {
        JsonNode body = body(ctx);
        if (body == null) return;
        String name = body.path("name").asText("");
        String url = body.path("url").asText("");
        String token = body.path("token").asText("");
        int weight = body.path("weight").asInt(1);
        String problem = !name.matches("[A-Za-z0-9_.-]{1,64}")
                ? "name must be 1-64 characters of A-Za-z0-9_.-"
                : token.length() < 16
                        ? "token must be at least 16 characters (a long random value shared with the gateway)"
                        : weight < 1 || weight > 1000 ? "weight must be between 1 and 1000" : null;
        if (problem == null) {
            String urlProblem = gateways.urlProblem(url); // last: it may ask DNS
            if (urlProblem != null) problem = "url " + urlProblem;
        }
        if (problem != null) {
            ctx.status(400).json(Map.of("error", problem));
            return;
        }
        Optional<Gateways.Gateway> added = gateways.register(name, url, token, weight);
        if (added.isEmpty()) {
            ctx.status(409).json(Map.of("error", "a gateway named " + name + " exists; DELETE it first to replace it"));
            return;
        }
        ctx.status(201).json(view(added.get()));
    }

    /** A gateway's heartbeat; wrong tokens count toward the client's lockout, so they cannot be guessed. */
    public void heartbeat(Context ctx) {
        if (failures.refuse(ctx)) return;
        String status = "online";
        if (!ctx.body().isBlank()) {
            JsonNode body = body(ctx);
            if (body == null) return;
            status = body.path("status").asText("online");
            if (!status.equals("online") && !status.equals("draining")) {
                ctx.status(400).json(Map.of("error", "status must be online or draining"));
                return;
            }
        }
        if (!gateways.heartbeat(ctx.pathParam("name"), AdminAuth.bearer(ctx), status)) {
            failures.record(ctx.ip());
            log.info(
                    "Refused a heartbeat for gateway {} from {}: unknown gateway or wrong token",
                    ctx.pathParam("name"),
                    ctx.ip());
            ctx.status(401).json(Map.of("error", "unknown gateway or wrong token"));
            return;
        }
        ctx.json(Map.of(
                "status",
                status,
                "heartbeat_timeout_ms",
                gateways.heartbeatTimeout().toMillis()));
    }

    public void callback(Context ctx) {
        String taskId = ctx.pathParam("taskId");
        switch (gateways.checkCallback(taskId, AdminAuth.bearer(ctx))) {
            case NOT_FOUND -> {
                log.info("Refused a callback for task {} from {}: unknown task or wrong token", taskId, ctx.ip());
                ctx.status(404).json(Map.of("error", NOT_FOUND));
                return;
            }
            case ENDED -> {
                String status = gateways.taskStatus(taskId).orElse("ended");
                log.info("Ignored a callback for task {}: it is {} already", taskId, status);
                ctx.status(409).json(Map.of("error", "task is " + status + " already; callback ignored"));
                return;
            }
            case ACCEPTABLE -> {}
        }
        JsonNode body = body(ctx);
        if (body == null) return;
        String text = body.path("text").isTextual() ? body.path("text").asText() : null;
        String error = body.path("error").isTextual() ? body.path("error").asText() : null;
        if ((text == null || text.isBlank()) && error == null) {
            ctx.status(400).json(Map.of("error", "send {\"text\": \"the reply\"} or {\"error\": \"what went wrong\"}"));
            return;
        }
        if (!gateways.complete(taskId, text, error)) {
            ctx.status(409).json(Map.of("error", "task ended already; callback ignored"));
            return;
        }
        ctx.json(Map.of("status", "accepted"));
    }

    private JsonNode body(Context ctx) {
        try {
            JsonNode node = json.readTree(ctx.body());
            if (node != null && node.isObject()) return node;
        } catch (IOException e) {
            // answered below
        }
        ctx.status(400).json(Map.of("error", "the body must be a JSON object"));
        return null;
    }

    /** A gateway as the API shows it: the token only by its last four characters. */
    private Map<String, Object> view(Gateways.Gateway g) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", g.name());
        v.put("url", g.url());
        v.put("weight", g.weight());
        v.put("status", gateways.state(g));
        v.put(
                "last_heartbeat",
                g.lastHeartbeat() == null ? null : g.lastHeartbeat().toString());
        v.put("token", "…" + g.token().substring(g.token().length() - 4));
        v.put("created_at", g.created().toString());
        return v;
    }
}
