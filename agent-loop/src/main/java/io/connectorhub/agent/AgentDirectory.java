package io.connectorhub.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.connectorhub.agent.remote.Gateways;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.RoutingConfig;
import io.connectorhub.core.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The agents signed-in users may choose ({@code routing.choosable}), for {@code GET /api/v1/agents} and {@code GET
 * /api/v1/agents/{id}}: each one's type, model and, for a remote agent, the gateways it may use and whether they are
 * online. Never shows a URL, key or token. Follows configuration reloads.
 */
final class AgentDirectory {
    private static final ObjectMapper JSON =
            Json.newMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    record GatewayView(String name, boolean online) {}

    record AgentView(String id, String type, String model, boolean isDefault, List<GatewayView> gateways) {}

    private final AgentRouter router;
    private final Gateways gateways;
    private final Duration heartbeatTimeout;
    private final Clock clock;

    AgentDirectory(AgentRouter router, Gateways gateways, Duration heartbeatTimeout, Clock clock) {
        this.router = router;
        this.gateways = gateways;
        this.heartbeatTimeout = heartbeatTimeout;
        this.clock = clock;
    }

    /** Mounts the two routes, each wrapped by {@code signedIn} (which lets only signed-in users through). */
    void mount(JavalinConfig config, UnaryOperator<Handler> signedIn) {
        config.routes.get("/api/v1/agents", signedIn.apply(ctx -> answer(ctx, Map.of("agents", list()))));
        config.routes.get("/api/v1/agents/{id}", signedIn.apply(ctx -> {
            Optional<AgentView> agent = find(ctx.pathParam("id"));
            if (agent.isPresent()) answer(ctx, agent.get());
            else answer(ctx.status(404), Map.of("error", "agent " + ctx.pathParam("id") + " not found"));
        }));
    }

    List<AgentView> list() {
        List<AgentView> out = new ArrayList<>();
        router.configs().keySet().stream().sorted().forEach(id -> find(id).ifPresent(out::add));
        return out;
    }

    Optional<AgentView> find(String id) {
        RoutingConfig routing = router.routing();
        AgentConfig agent = router.configs().get(id);
        if (agent == null || !routing.isChoosable(id)) return Optional.empty();
        List<GatewayView> usable = List.of();
        if (AgentConfig.REMOTE.equals(agent.type())) {
            List<String> allowed = agent.gateways() == null ? List.of() : agent.gateways();
            usable = gateways.list().stream()
                    .filter(g -> allowed.isEmpty() || allowed.contains(g.name()))
                    .map(g -> new GatewayView(g.name(), g.online(clock.instant(), heartbeatTimeout)))
                    .toList();
        }
        String model = agent.model() == null || agent.model().isEmpty() ? null : agent.model();
        return Optional.of(new AgentView(id, agent.type(), model, id.equals(routing.defaultAgent()), usable));
    }

    private static void answer(Context ctx, Object value) throws Exception {
        ctx.contentType("application/json").result(JSON.writeValueAsString(value));
    }
}
