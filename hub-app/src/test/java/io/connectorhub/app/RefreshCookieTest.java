package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing in for a browser: the refresh token in a cookie only the refresh route gets, guarded against CSRF. */
class RefreshCookieTest {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    private AdminHarness hub;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        hub = AdminHarness.start(dir, "", Clock.systemUTC());
        hub.ok("POST", "/api/v1/users", Map.of("username", "ada", "password", PASSWORD));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.hub.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The cookie's value from Set-Cookie. */
    private static String cookie(HttpResponse<String> r) {
        String set = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie"));
        return set.substring(0, set.indexOf(';'));
    }

    private HttpResponse<String> login() throws Exception {
        return send(
                "POST",
                "/api/v1/auth/login",
                "{\"username\":\"ada\",\"password\":\"" + PASSWORD + "\",\"cookie\":true}",
                "Content-Type",
                "application/json");
    }

    @Test
    void signingInWithCookieSetsAnHttpOnlyStrictCookieForTheRefreshRouteAndLeavesTheTokenOutOfTheBody()
            throws Exception {
        var r = login();
        assertEquals(200, r.statusCode(), r.body());
        String set = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(set.startsWith("hub_refresh="), set);
        assertTrue(set.contains("; HttpOnly"), set);
        assertTrue(set.contains("; SameSite=Strict"), set);
        assertTrue(set.contains("; Path=/api/v1/auth/refresh"), set);
        JsonNode body = AdminHarness.JSON.readTree(r.body());
        assertFalse(body.has("refresh_token"), r.body());
        assertEquals("ada", body.get("user").get("username").asText());
        assertFalse(r.body().contains(cookie(r).substring("hub_refresh=".length())), "the token is in the body");
    }

    @Test
    void theCookieRefreshesWithTheCsrfHeaderAndRotates() throws Exception {
        String first = cookie(login());
        var r = send("POST", "/api/v1/auth/refresh", "{}", "Cookie", first, "X-Hub-CSRF", "1");
        assertEquals(200, r.statusCode(), r.body());
        String access = AdminHarness.JSON.readTree(r.body()).get("access_token").asText();
        assertNotEquals(first, cookie(r));
        var me = send("GET", "/api/v1/auth/me", "", "Authorization", "Bearer " + access);
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(
                401,
                send("POST", "/api/v1/auth/refresh", "{}", "Cookie", first, "X-Hub-CSRF", "1")
                        .statusCode(),
                "a rotated cookie is spent");
    }

    @Test
    void theCookieAloneOrFromAnotherSiteIsRefused() throws Exception {
        String c = cookie(login());
        var noHeader = send("POST", "/api/v1/auth/refresh", "{}", "Cookie", c);
        assertEquals(403, noHeader.statusCode());
        assertTrue(noHeader.body().contains("X-Hub-CSRF"), noHeader.body());
        var foreign = send(
                "POST", "/api/v1/auth/refresh", "{}", "Cookie", c, "X-Hub-CSRF", "1", "Origin", "https://evil.example");
        assertEquals(403, foreign.statusCode(), foreign.body());
        assertEquals(
                200,
                send("POST", "/api/v1/auth/refresh", "{}", "Cookie", c, "X-Hub-CSRF", "1")
                        .statusCode(),
                "the refused attempts did not spend the cookie");
    }

    @Test
    void signingOutThroughTheRefreshRouteEndsTheSessionAndClearsTheCookie() throws Exception {
        String c = cookie(login());
        var out = send("DELETE", "/api/v1/auth/refresh", "", "Cookie", c, "X-Hub-CSRF", "1");
        assertEquals(204, out.statusCode(), out.body());
        assertTrue(out.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"));
        assertEquals(
                401,
                send("POST", "/api/v1/auth/refresh", "{}", "Cookie", c, "X-Hub-CSRF", "1")
                        .statusCode());
    }
}
