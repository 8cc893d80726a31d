package io.connectorhub.core.internal;

import io.connectorhub.core.Json;
import io.connectorhub.core.internal.net.TrustedProxies;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one HTTP/WebSocket port (Javalin on Jetty, virtual threads). Routes are added while configuring, before
 * {@link #start()}. Unhandled exceptions answer 500 with a generic JSON body; the detail goes to the log. A request
 * whose body cannot be read because the client broke it off (fewer bytes than its {@code Content-Length}, a closed
 * connection, a malformed chunk) answers 400, as far as an answer can still be written, and logs one debug line: it
 * is the client's doing, and anybody can send one, so it must not flood the log.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final Javalin app;
    private final String host;
    private final int port;
    private volatile boolean started;

    /** A server that trusts no proxy: the client is always the direct peer. */
    public HttpServer(String host, int port, long maxRequestBytes, List<Consumer<JavalinConfig>> mounts) {
        this(host, port, maxRequestBytes, new TrustedProxies(List.of()), mounts);
    }

    /** @param proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} headers are believed */
    public HttpServer(
            String host, int port, long maxRequestBytes, TrustedProxies proxies, List<Consumer<JavalinConfig>> mounts) {
        this.host = host;
        this.port = port;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = maxRequestBytes;
            config.jetty.modifyHttpConfiguration(http -> http.addCustomizer(proxies));
            config.jsonMapper(new JavalinJackson(Json.newMapper(), true));
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (brokenRequest(e)) {
                    log.debug(
                            "{} {} from {}: request broken off by the client ({})",
                            ctx.method(),
                            ctx.path(),
                            ctx.ip(),
                            e.toString());
                    ctx.status(400).json(Map.of("error", "the request body was cut short or malformed"));
                    return;
                }
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(Map.of("error", "internal error"));
            });
            mounts.forEach(m -> m.accept(config));
        });
    }

    /**
     * Whether {@code e} is Jetty telling that the request could not be read because of the client: the connection
     * ended early ({@link EofException}, also Jetty's "Early EOF") or the message was malformed (a 4xx
     * {@link HttpException} such as {@code BadMessageException}).
     */
    static boolean brokenRequest(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EofException) return true;
            if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) return true;
        }
        return false;
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
