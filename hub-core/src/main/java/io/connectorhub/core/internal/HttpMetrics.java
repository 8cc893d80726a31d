package io.connectorhub.core.internal;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request of the hub's server into {@code http_server_requests_seconds{method,route,status}}. The
 * route is the pattern that matched ({@code /api/v1/sessions/{key}}), not the path, so ids do not multiply the series;
 * a request that matched no route counts as route {@code NOT_FOUND}. WebSocket traffic is not counted.
 */
final class HttpMetrics {
    static final String UNMATCHED = "NOT_FOUND";

    private HttpMetrics() {}

    static void mount(JavalinConfig config, MeterRegistry registry) {
        config.requestLogger.http((ctx, millis) -> Timer.builder("http.server.requests")
                .description("HTTP requests by method, matched route and status.")
                .tag("method", ctx.method().name())
                .tag("route", route(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS));
    }

    private static String route(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        return matched == null ? UNMATCHED : matched.path;
    }
}
