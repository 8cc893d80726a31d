package io.connectorhub.core.internal;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * Answers every request but {@code /health} (including WebSocket upgrades) with 503 while the hub is starting, so
 * nothing reaches the inbox before the runtime has taken back its leases and recovered what a stop left behind.
 */
final class StartingGate {
    static final String BODY = "{\"error\":\"the hub is starting; retry in a few seconds\"}";

    private StartingGate() {}

    /** A filter over the hub's whole port that refuses requests while {@code starting} is true. */
    static Consumer<JavalinConfig> mount(BooleanSupplier starting) {
        Filter gate = (request, response, chain) -> {
            if (starting.getAsBoolean()
                    && request instanceof HttpServletRequest http
                    && response instanceof HttpServletResponse out
                    && !http.getRequestURI().equals("/health")) {
                out.setStatus(503);
                out.setHeader("Retry-After", "5");
                out.setContentType("application/json");
                out.getOutputStream().write(BODY.getBytes(StandardCharsets.UTF_8));
                return;
            }
            chain.doFilter(request, response);
        };
        return config -> config.jetty.modifyServletContextHandler(
                handler -> handler.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST)));
    }
}
