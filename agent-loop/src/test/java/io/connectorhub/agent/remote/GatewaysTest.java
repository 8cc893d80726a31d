package io.connectorhub.agent.remote;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.HttpServer;
import io.connectorhub.core.internal.net.TargetGuard;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.testing.LogCapture;
import io.connectorhub.core.testing.MutableClock;
import io.connectorhub.core.testing.RawHttp;
import io.connectorhub.core.testing.TableDns;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Gateways and their tasks over real HTTP: the hub's routes on a real server, the gateways played by WireMock. */
@ExtendWith(TestPostgres.class)
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class GatewaysTest {
    @Parameter
    String dialect;

    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String TOKEN_A = "gateway-a-token-0123456789";
    private static final String TOKEN_B = "gateway-b-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final HttpClient client = HttpClient.newHttpClient();
    private final TableDns dns = new TableDns();
    private Store store;
    private Gateways gateways;
    private HttpServer server;
    private WireMockServer remote;

    @BeforeEach
    void start(TestDatabase postgres) {
        remote = new WireMockServer(wireMockConfig().dynamicPort());
        remote.start();
        store = new TestStore(dialect, dir, postgres).open();
        dns.answer("gw.example", "93.184.216.34");
        dns.answer("localhost", "127.0.0.1"); // WireMock's baseUrl
        gateways = gateways(true);
        server = serve(gateways, 100);
    }

    /** Started gateways on the test's store, clock and DNS; {@code allowPrivate}: {@code gateways.allowPrivateTargets}. */
    private Gateways gateways(boolean allowPrivate) {
        Gateways g = new Gateways(
                store::state,
                new OkHttpClient(),
                new TargetGuard(allowPrivate, "gateways.allowPrivateTargets", dns),
                clock,
                Duration.ofSeconds(30),
                () -> "http://127.0.0.1:" + server.port(),
                new Random(7));
        g.start();
        return g;
    }

    /** A started server with the routes of {@code g}, locking out a client after {@code failuresPerMinute}. */
    private static HttpServer serve(Gateways g, int failuresPerMinute) {
        AdminAuth auth = new AdminAuth(
                List.of(new AdminAuth.Token(ADMIN, Set.of(AdminAuth.READ, AdminAuth.WRITE))),
                new AuthFailures(failuresPerMinute));
        GatewayApi api = new GatewayApi(g, auth.failures());
        HttpServer s = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(c -> {
            // as hub-app's AdminRoutes mounts them
            c.routes.post("/api/v1/gateways", auth.write(api::register));
            c.routes.get("/api/v1/gateways", auth.read(api::list));
            c.routes.get("/api/v1/gateways/{name}", auth.read(api::show));
            c.routes.delete("/api/v1/gateways/{name}", auth.write(api::delete));
            c.routes.post("/api/v1/gateways/{name}/heartbeat", api::heartbeat);
            c.routes.post("/api/v1/agent-callbacks/{taskId}", api::callback);
        }));
        s.start();
        return s;
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
        remote.stop();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void registerOnline(String name, String token, int weight) throws Exception {
        HttpResponse<String> created = send(
                "POST",
                "/api/v1/gateways",
                ADMIN,
                "{\"name\":\"" + name + "\",\"url\":\"" + remote.baseUrl() + "/" + name + "\",\"token\":\"" + token
                        + "\",\"weight\":" + weight + "}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(
                200,
                send("POST", "/api/v1/gateways/" + name + "/heartbeat", token, null)
                        .statusCode());
    }

    private static AgentRequest request(String text) {
        InboundMessage in = InboundMessage.builder("websocket", "m1")
                .sender("alice")
                .chat("main")
                .content(text)
                .build();
        return new AgentRequest(
                in, List.of(new ChatMessage("h1", "websocket:main", "user", "earlier", "alice", Instant.EPOCH)));
    }

    private CompletableFuture<String> runAsync(Duration timeout) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return gateways.run("remote", request("hello"), List.of(), timeout);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                Executors.newVirtualThreadPerTaskExecutor());
    }

    /** The task the hub posted to {@code gateway}: waits for it. */
    private JsonNode postedTask(String gateway) throws Exception {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> remote.getAllServeEvents().stream()
                        .anyMatch(e -> e.getRequest().getUrl().equals("/" + gateway + "/tasks")));
        return JSON.readTree(remote.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/" + gateway + "/tasks"))
                .findFirst()
                .orElseThrow()
                .getRequest()
                .getBodyAsString());
    }

    private HttpResponse<String> callback(JsonNode task, String token, String body) throws Exception {
        String path = URI.create(task.get("callback_url").asText()).getPath();
        return send("POST", path, token, body);
    }

    @Test
    void aClientGuessingHeartbeatTokensIsLockedOut() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        HttpServer guarded = serve(gateways, 3);
        try {
            String heartbeat = "http://127.0.0.1:" + guarded.port() + "/api/v1/gateways/a/heartbeat";
            for (int i = 0; i < 3; i++)
                assertEquals(
                        401,
                        postWithToken(heartbeat, "guess-" + i + "-0123456789abcdef")
                                .statusCode());
            HttpResponse<String> locked = postWithToken(heartbeat, TOKEN_A);
            assertEquals(429, locked.statusCode(), "even the right token, until the minute is over");
            assertEquals("60", locked.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(
                    429,
                    postWithToken("http://127.0.0.1:" + guarded.port() + "/api/v1/gateways", ADMIN)
                            .statusCode(),
                    "the admin routes share the lockout");
        } finally {
            guarded.close();
        }
    }

    @Test
    void aHeartbeatWhoseBodyIsCutShortGets400WithoutAStackTraceInTheLog() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        try (LogCapture log = new LogCapture()) {
            String answer = RawHttp.truncatedPost(
                    server.port(), "/api/v1/gateways/a/heartbeat", Map.of("Authorization", "Bearer " + TOKEN_A));
            assertEquals(400, RawHttp.status(answer), answer);
            assertEquals(List.of(), log.warningsAndStackTraces());
        }
    }

    private HttpResponse<String> postWithToken(String url, String token) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminsRegisterListAndRemoveGatewaysWithoutTheTokenEverShownWhole() throws Exception {
        String body = "{\"name\":\"a\",\"url\":\"http://gw.example/\",\"token\":\"" + TOKEN_A + "\",\"weight\":2}";
        assertEquals(401, send("POST", "/api/v1/gateways", null, body).statusCode());
        HttpResponse<String> created = send("POST", "/api/v1/gateways", ADMIN, body);
        assertEquals(201, created.statusCode());
        assertFalse(created.body().contains(TOKEN_A));
        assertEquals(409, send("POST", "/api/v1/gateways", ADMIN, body).statusCode());
        HttpResponse<String> bad =
                send("POST", "/api/v1/gateways", ADMIN, "{\"name\":\"b\",\"url\":\"http://x\",\"token\":\"short\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("token must be at least 16 characters"), bad.body());

        JsonNode list =
                JSON.readTree(send("GET", "/api/v1/gateways", ADMIN, null).body());
        JsonNode a = list.get("gateways").get(0);
        assertEquals("a", a.get("name").asText());
        assertEquals("http://gw.example", a.get("url").asText());
        assertEquals("offline", a.get("status").asText(), "offline until its first heartbeat");
        assertEquals(
                "…" + TOKEN_A.substring(TOKEN_A.length() - 4), a.get("token").asText());

        assertEquals(
                401, send("POST", "/api/v1/gateways/a/heartbeat", TOKEN_B, null).statusCode());
        assertEquals(
                401,
                send("POST", "/api/v1/gateways/nobody/heartbeat", TOKEN_A, null).statusCode());
        assertEquals(
                200, send("POST", "/api/v1/gateways/a/heartbeat", TOKEN_A, null).statusCode());
        assertEquals(
                "online",
                JSON.readTree(send("GET", "/api/v1/gateways/a", ADMIN, null).body())
                        .get("status")
                        .asText());

        assertEquals(204, send("DELETE", "/api/v1/gateways/a", ADMIN, null).statusCode());
        assertEquals(404, send("DELETE", "/api/v1/gateways/a", ADMIN, null).statusCode());
    }

    @Test
    void choosesAmongOnlineGatewaysInProportionToTheirWeights() throws Exception {
        registerOnline("a", TOKEN_A, 3);
        registerOnline("b", TOKEN_B, 1);
        List<Gateways.Gateway> online = gateways.online(List.of());
        assertEquals(2, online.size());
        int a = 0;
        int picks = 8000;
        for (int i = 0; i < picks; i++) if (gateways.pick(online).name().equals("a")) a++;
        double share = a / (double) picks;
        assertTrue(share > 0.72 && share < 0.78, "gateway a (weight 3 of 4) got " + share);
    }

    @Test
    void skipsGatewaysThatAreOfflineDrainingOrNotAllowed() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        registerOnline("b", TOKEN_B, 100);
        assertEquals(
                List.of("a"),
                gateways.online(List.of("a")).stream()
                        .map(Gateways.Gateway::name)
                        .toList());
        assertEquals(
                200,
                send("POST", "/api/v1/gateways/b/heartbeat", TOKEN_B, "{\"status\":\"draining\"}")
                        .statusCode());
        assertEquals(
                List.of("a"),
                gateways.online(List.of()).stream().map(Gateways.Gateway::name).toList());

        clock.advance(Duration.ofSeconds(31)); // a's heartbeat is stale now
        assertTrue(gateways.online(List.of()).isEmpty());
        HubException none = assertThrows(
                HubException.class, () -> gateways.run("remote", request("hi"), List.of(), Duration.ofSeconds(1)));
        assertTrue(none.getMessage().contains("no agent gateway is online"), none.getMessage());
        assertTrue(remote.getAllServeEvents().isEmpty(), "nothing was posted");
    }

    @Test
    void postsATaskAndReturnsTheReplyFromTheCallback() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        remote.stubFor(post("/a/tasks").willReturn(aResponse().withStatus(202).withBody("{\"task_id\":\"x\"}")));

        CompletableFuture<String> reply = runAsync(Duration.ofSeconds(20));
        JsonNode task = postedTask("a");
        remote.verify(postRequestedFor(urlEqualTo("/a/tasks"))
                .withHeader(
                        "Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + TOKEN_A)));
        assertEquals("hello", task.get("text").asText());
        assertEquals("websocket:main", task.get("session_key").asText());
        assertEquals("earlier", task.at("/history/0/content").asText());
        String taskId = task.get("task_id").asText();
        assertEquals("running", gateways.taskStatus(taskId).orElseThrow());

        HttpResponse<String> done = callback(task, task.get("callback_token").asText(), "{\"text\":\"hi from afar\"}");
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("hi from afar", reply.get(10, TimeUnit.SECONDS));
        assertEquals("completed", gateways.taskStatus(taskId).orElseThrow());

        HttpResponse<String> again = callback(task, task.get("callback_token").asText(), "{\"text\":\"twice\"}");
        assertEquals(409, again.statusCode(), "a repeated callback is ignored");
    }

    @Test
    void refusesForgedCallbacksWithoutTellingTasksApart() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        remote.stubFor(post("/a/tasks").willReturn(aResponse().withStatus(200)));
        CompletableFuture<String> reply = runAsync(Duration.ofSeconds(20));
        JsonNode task = postedTask("a");

        HttpResponse<String> wrongToken = callback(task, "forged-token-forged-token-forged", "{\"text\":\"evil\"}");
        HttpResponse<String> noToken = callback(task, null, "{\"text\":\"evil\"}");
        HttpResponse<String> gatewayToken = callback(task, TOKEN_A, "{\"text\":\"evil\"}");
        HttpResponse<String> unknownTask = send(
                "POST",
                "/api/v1/agent-callbacks/no-such-task",
                task.get("callback_token").asText(),
                "{}");
        for (HttpResponse<String> r : List.of(wrongToken, noToken, gatewayToken, unknownTask)) {
            assertEquals(404, r.statusCode());
            assertEquals(unknownTask.body(), r.body(), "the same answer whether the task exists or not");
        }
        assertFalse(reply.isDone());
        assertEquals(
                "running", gateways.taskStatus(task.get("task_id").asText()).orElseThrow());

        assertEquals(
                200,
                callback(task, task.get("callback_token").asText(), "{\"text\":\"real\"}")
                        .statusCode());
        assertEquals("real", reply.get(10, TimeUnit.SECONDS));
    }

    @Test
    void failsTheTaskAtOnceWhenTheGatewayRefusesIt() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        remote.stubFor(post("/a/tasks").willReturn(aResponse().withStatus(503)));

        CompletableFuture<String> reply = runAsync(Duration.ofMinutes(5));
        ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(10, TimeUnit.SECONDS));
        assertTrue(
                e.getCause().getMessage().contains("refused task")
                        && e.getCause().getMessage().contains("503"),
                e.getCause().getMessage());
        JsonNode task = postedTask("a");
        assertEquals("failed", gateways.taskStatus(task.get("task_id").asText()).orElseThrow());
        assertEquals(
                409,
                callback(task, task.get("callback_token").asText(), "{\"text\":\"late\"}")
                        .statusCode());
    }

    @Test
    void failsATaskWithoutCallbackAfterTheTimeoutAndIgnoresTheLateCallback() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        remote.stubFor(post("/a/tasks").willReturn(aResponse().withStatus(202)));

        CompletableFuture<String> reply = runAsync(Duration.ofMillis(300));
        ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(10, TimeUnit.SECONDS));
        assertTrue(
                e.getCause().getMessage().contains("did not call back within"),
                e.getCause().getMessage());
        JsonNode task = postedTask("a");
        assertEquals(
                "timed_out", gateways.taskStatus(task.get("task_id").asText()).orElseThrow());

        HttpResponse<String> late = callback(task, task.get("callback_token").asText(), "{\"text\":\"late\"}");
        assertEquals(409, late.statusCode());
        assertTrue(late.body().contains("timed_out"), late.body());
    }

    @Test
    void aGatewayErrorFailsTheTaskWithItsReason() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        remote.stubFor(post("/a/tasks").willReturn(aResponse().withStatus(202)));
        CompletableFuture<String> reply = runAsync(Duration.ofSeconds(20));
        JsonNode task = postedTask("a");

        assertEquals(
                200,
                callback(task, task.get("callback_token").asText(), "{\"error\":\"model crashed\"}")
                        .statusCode());
        ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(10, TimeUnit.SECONDS));
        assertTrue(
                e.getCause().getMessage().contains("model crashed"),
                e.getCause().getMessage());
        assertEquals("failed", gateways.taskStatus(task.get("task_id").asText()).orElseThrow());
    }

    @Test
    void tasksLeftRunningByAStoppedHubRefuseTheirLateCallbacks() throws Exception {
        registerOnline("a", TOKEN_A, 1);
        remote.stubFor(post("/a/tasks").willReturn(aResponse().withStatus(202)));
        runAsync(Duration.ofMinutes(5));
        JsonNode task = postedTask("a");

        // Another instance opening the same store (as after a restart) ends the abandoned task.
        gateways(true);

        assertEquals("failed", gateways.taskStatus(task.get("task_id").asText()).orElseThrow());
        assertEquals(
                409,
                callback(task, task.get("callback_token").asText(), "{\"text\":\"late\"}")
                        .statusCode());
    }

    private HttpResponse<String> register(HttpServer on, String name, String url) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + "/api/v1/gateways"))
                        .header("Authorization", "Bearer " + ADMIN)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + name + "\",\"url\":\"" + url + "\",\"token\":\"" + TOKEN_A + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesGatewayUrlsOnInternalAddressesWhenRegistered() throws Exception {
        dns.answer("metadata.test", "169.254.169.254");
        HttpServer strict = serve(gateways(false), 100);
        try {
            for (String url : List.of(
                    "http://169.254.169.254",
                    "http://169.254.169.254/latest/meta-data",
                    "http://127.0.0.1:8080",
                    "http://[::1]/",
                    "http://10.0.0.5:8080",
                    "http://198.18.0.1/",
                    "http://203.0.113.7/",
                    "http://metadata.test/")) {
                HttpResponse<String> refused = register(strict, "g", url);
                assertEquals(400, refused.statusCode(), url);
                String error = JSON.readTree(refused.body()).get("error").asText();
                assertTrue(error.startsWith("url ") && error.contains("internal address"), error);
                assertTrue(error.contains("gateways.allowPrivateTargets"), error);
            }
            HttpResponse<String> ambiguous = register(strict, "g", "http://0177.0.0.1/");
            assertEquals(400, ambiguous.statusCode());
            assertTrue(ambiguous.body().contains("four decimal numbers without leading zeros"), ambiguous.body());
            assertEquals(201, register(strict, "g", "http://gw.example/").statusCode());
        } finally {
            strict.close();
        }
        assertEquals(
                List.of("g"),
                gateways.list().stream().map(Gateways.Gateway::name).toList(),
                "only the public one");
    }

    @Test
    void refusesAGatewayWhoseNameNowResolvesToAnInternalAddressBeforeConnecting() throws Exception {
        Gateways strict = gateways(false);
        HttpServer on = serve(strict, 100);
        try {
            String url = "http://rebind.test:" + remote.port() + "/a";
            dns.answer("rebind.test", "93.184.216.34");
            assertEquals(201, register(on, "a", url).statusCode());
            assertEquals(
                    200,
                    postWithToken("http://127.0.0.1:" + on.port() + "/api/v1/gateways/a/heartbeat", TOKEN_A)
                            .statusCode());
            dns.answer("rebind.test", "127.0.0.1"); // where the fake gateway listens

            HubException e = assertThrows(
                    HubException.class, () -> strict.run("remote", request("hello"), List.of(), Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("internal address 127.0.0.1"), e.getMessage());
            assertTrue(remote.getAllServeEvents().isEmpty(), "nothing reached the internal address");
        } finally {
            on.close();
        }
    }

    @Test
    void refusesAGatewayStoredWithAnInternalIpAddressBeforeConnecting() throws Exception {
        // Registered before the guard existed (or while private targets were allowed): refused at the socket.
        Gateways strict = gateways(false);
        assertTrue(strict.register("old", "http://127.0.0.1:" + remote.port() + "/old", TOKEN_A, 1)
                .isPresent());
        assertTrue(strict.heartbeat("old", TOKEN_A, "online"));

        HubException e = assertThrows(
                HubException.class, () -> strict.run("remote", request("hello"), List.of(), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("gateways.allowPrivateTargets"), e.getMessage());
        assertTrue(remote.getAllServeEvents().isEmpty(), "nothing reached the internal address");
        assertEquals(List.of(), dns.asked, "an IP literal needs no lookup");
    }
}
