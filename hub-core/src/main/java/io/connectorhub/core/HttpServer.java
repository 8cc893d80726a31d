package io.connectorhub.core;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one HTTP/WebSocket port (Javalin on Jetty, virtual threads). Routes are added while configuring, before
 * {@link #start()}. Unhandled exceptions answer 500 with a generic JSON body; the detail goes to the log.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final Javalin app;
    private final String host;
    private final int port;
    private volatile boolean started;

    public HttpServer(String host, int port, long maxRequestBytes, List<Consumer<JavalinConfig>> mounts) {
        this.host = host;
        this.port = port;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = maxRequestBytes;
            config.jsonMapper(new JavalinJackson(Json.newMapper(), true));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(Map.of("error", "internal error"));
            });
            mounts.forEach(m -> m.accept(config));
        });
    }

    public void start() {
        app.start(host, port);
        started = true;
        log.info("Listening on http://{}:{}", host, app.port());
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        if (started) {
            started = false;
            app.stop();
        }
    }
}
