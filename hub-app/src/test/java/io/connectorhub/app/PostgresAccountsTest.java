package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two hubs on one PostgreSQL database: a user signs in on either, whichever instance a request reaches. */
@ExtendWith(TestPostgres.class)
class PostgresAccountsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private TestStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void database(TestDatabase database) {
        this.store = new TestStore("postgresql", dir, database);
    }

    private HubConfig config(String instance) throws Exception {
        return InstanceConfig.load(dir, instance, store.storeUrl(), "");
    }

    private record Reply(int status, JsonNode json, String body) {}

    private Reply call(Hub hub, String method, String path, String bearer, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isBlank() ? null : JSON.readTree(r.body()), r.body());
    }

    private JsonNode ok(Hub hub, String method, String path, String bearer, Object body) throws Exception {
        Reply r = call(hub, method, path, bearer, body);
        assertEquals(true, r.status() / 100 == 2, method + " " + path + ": " + r.status() + " " + r.body());
        return r.json();
    }

    private String login(Hub hub) throws Exception {
        return ok(hub, "POST", "/api/v1/auth/login", null, Map.of("username", "ann", "password", PASSWORD))
                .get("access_token")
                .asText();
    }

    private String admin() {
        return StoredSecrets.read(store.url(), "admin.token").orElseThrow();
    }

    /** Adds the user ann through {@code hub}; her id. */
    private String addAnn(Hub hub) throws Exception {
        return ok(hub, "POST", "/api/v1/users", admin(), Map.of("username", "ann", "password", PASSWORD))
                .get("id")
                .asText();
    }

    @Test
    void aDeviceChallengedOnOneHubSignsInOnAnotherAndEachHubVerifiesTheOthersTokens() throws Exception {
        try (Hub a = Hub.start(config("a"), Clock.systemUTC());
                Hub b = Hub.start(config("b"), Clock.systemUTC())) {
            String admin = StoredSecrets.read(store.url(), "admin.token").orElseThrow();
            ok(a, "POST", "/api/v1/users", admin, Map.of("username", "ann", "password", PASSWORD));
            assertFalse(
                    Files.exists(dir.resolve("a").resolve(AccountsSetup.SIGNING_KEYS)), "the keys are in the database");

            String fromA = login(a);
            assertEquals(
                    "ann",
                    ok(b, "GET", "/api/v1/auth/me", fromA, null).get("username").asText());
            assertEquals(
                    "ann",
                    ok(a, "GET", "/api/v1/auth/me", login(b), null)
                            .get("username")
                            .asText());

            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            String publicKey = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
            String device = ok(
                            a, "POST", "/api/v1/me/devices", fromA, Map.of("name", "tablet", "public_key", publicKey))
                    .get("id")
                    .asText();
            String nonce = ok(a, "POST", "/api/v1/auth/device/challenge", null, Map.of("device_id", device))
                    .get("nonce")
                    .asText();
            Map<String, String> answer =
                    Map.of("device_id", device, "nonce", nonce, "signature", sign(pair, device, nonce));
            JsonNode signedIn = ok(b, "POST", "/api/v1/auth/device/login", null, answer);
            assertEquals("ann", signedIn.get("user").get("username").asText());
            assertEquals(
                    401,
                    call(a, "POST", "/api/v1/auth/device/login", null, answer).status(),
                    "used once");

            String oldKey = ok(a, "POST", "/api/v1/auth/rotate-key", admin, null)
                    .get("key_ids")
                    .get(1)
                    .asText();
            String rotated = login(a);
            assertNotEquals(oldKey, kid(rotated));
            // B reads the keys again when a token names a key it does not know (at most every few seconds).
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() ->
                            call(b, "GET", "/api/v1/auth/me", rotated, null).status() == 200);
            assertEquals(
                    "ann",
                    ok(a, "GET", "/api/v1/auth/me", login(b), null)
                            .get("username")
                            .asText());
        }
    }

    @Test
    void aUsersWebSocketOnOneHubIsClosedWith4003WhenAnAdminDisablesTheUserOnAnother() throws Exception {
        try (Hub a = Hub.start(config("a"), Clock.systemUTC());
                Hub b = Hub.start(config("b"), Clock.systemUTC())) {
            String id = addAnn(a);
            try (WsTestClient onB = WsTestClient.authorized(b.port(), login(b))) {
                onB.result("session.list", Map.of());
                ok(a, "PATCH", "/api/v1/users/" + id, admin(), Map.of("status", "disabled"));
                assertEquals(4003, onB.awaitClose());
            }
        }
    }

    @Test
    void aUsersWebSocketOnOneHubIsClosedWith4003WhenItsSignInSessionSignsOutOnAnother() throws Exception {
        try (Hub a = Hub.start(config("a"), Clock.systemUTC());
                Hub b = Hub.start(config("b"), Clock.systemUTC())) {
            addAnn(a);
            JsonNode signedIn =
                    ok(b, "POST", "/api/v1/auth/login", null, Map.of("username", "ann", "password", PASSWORD));
            try (WsTestClient other = WsTestClient.authorized(b.port(), login(b));
                    WsTestClient onB = WsTestClient.authorized(
                            b.port(), signedIn.get("access_token").asText())) {
                onB.result("session.list", Map.of());
                ok(
                        a,
                        "POST",
                        "/api/v1/auth/logout",
                        null,
                        Map.of("refresh_token", signedIn.get("refresh_token").asText()));
                assertEquals(4003, onB.awaitClose());
                other.result("session.list", Map.of()); // another sign-in session of the same user stays open
            }
        }
    }

    private static String kid(String jwt) throws Exception {
        String header =
                new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))), StandardCharsets.UTF_8);
        return JSON.readTree(header).get("kid").asText();
    }

    private static String sign(KeyPair pair, String device, String nonce) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(("connector-hub-device-login:" + device + ":" + nonce).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    }
}
