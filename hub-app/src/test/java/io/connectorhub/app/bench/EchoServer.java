package io.connectorhub.app.bench;

import io.javalin.Javalin;

/** The reference for {@link WsLoadBench}: a bare Javalin WebSocket endpoint that sends every frame back. */
public final class EchoServer {
    private EchoServer() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.concurrency.useVirtualThreads = true;
                    config.routes.ws("/ws", ws -> ws.onMessage(ctx -> ctx.send(ctx.message())));
                })
                .start("127.0.0.1", port);
    }
}
