package io.connectorhub.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.testing.LogCapture;
import io.connectorhub.core.testing.RawHttp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
    private final AtomicInteger served = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() {
        server = new HttpServer(
                "127.0.0.1",
                0,
                1 << 20,
                List.of(config -> config.routes.post("/echo", ctx -> {
                    String body = ctx.body();
                    served.incrementAndGet();
                    ctx.result(body);
                })));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersABodyCutShortWith400AndLogsNoErrorOrStackTrace() throws Exception {
        try (LogCapture log = new LogCapture()) {
            String answer = RawHttp.truncatedPost(server.port(), "/echo", Map.of());

            assertEquals(400, RawHttp.status(answer), answer);
            assertTrue(answer.contains("cut short"), answer);
            assertEquals(0, served.get(), "the handler never got a body");
            assertEquals(List.of(), log.warningsAndStackTraces());
            assertTrue(
                    log.messages().stream().noneMatch(m -> m.contains("/echo")),
                    "not even an info line: " + log.messages());
        }
    }
}
