package io.connectorhub.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.Principal;
import io.connectorhub.core.UserTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminAuthTest {
    private static final String READER = "reader-token-0123456789";
    private static final String WRITER = "writer-token-0123456789";
    private static final String ADMIN_JWT = "header.admin.signature";
    private static final String USER_JWT = "header.user.signature";
    private static final String EXPIRED_JWT = "header.expired.signature";

    private HttpServer server;
    private final AuthFailures failures = new AuthFailures(3);
    private AdminAuth auth;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        auth = new AdminAuth(
                List.of(
                        new AdminAuth.Token(READER, Set.of(AdminAuth.READ)),
                        new AdminAuth.Token(WRITER, Set.of(AdminAuth.READ, AdminAuth.WRITE))),
                failures,
                token -> switch (token) {
                    case ADMIN_JWT -> new UserTokens.Check.Valid(new Principal("u1", "admin", "s1", Instant.MAX));
                    case USER_JWT -> new UserTokens.Check.Valid(new Principal("u2", "user", "s2", Instant.MAX));
                    case EXPIRED_JWT -> new UserTokens.Check.Expired();
                    default -> new UserTokens.Check.Invalid();
                });
        server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(config -> {
            config.routes.get("/api/thing", auth.read(ctx -> ctx.result("read ok")));
            config.routes.post("/api/thing", auth.write(ctx -> ctx.result("write ok")));
        }));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/thing"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAdminUsersAccessTokenHasBothScopesAndAnotherUsersGets403() throws Exception {
        assertEquals(200, call("GET", ADMIN_JWT).statusCode());
        assertEquals(200, call("POST", ADMIN_JWT).statusCode());
        assertEquals(403, call("GET", USER_JWT).statusCode());
        assertEquals(403, call("POST", USER_JWT).statusCode());
    }

    @Test
    void anExpiredAccessTokenGets401WithoutCountingTowardTheLockout() throws Exception {
        for (int i = 0; i < 5; i++) assertEquals(401, call("GET", EXPIRED_JWT).statusCode());
        assertEquals(200, call("GET", READER).statusCode());
        for (int i = 0; i < 3; i++)
            assertEquals(401, call("GET", "header.forged.signature").statusCode());
        assertEquals(429, call("GET", READER).statusCode());
    }

    @Test
    void refusesAMissingOrWrongTokenWith401() throws Exception {
        assertEquals(401, call("GET", null).statusCode());
        HttpResponse<String> wrong = call("GET", "not-the-token-at-all");
        assertEquals(401, wrong.statusCode());
        assertFalse(wrong.body().contains(READER));
    }

    @Test
    void refusesATokenWithoutTheScopeWith403() throws Exception {
        assertEquals(200, call("GET", READER).statusCode());
        assertEquals(403, call("POST", READER).statusCode());
        assertEquals("write ok", call("POST", WRITER).body());
    }

    @Test
    void locksOutAClientAfterTooManyFailures() throws Exception {
        for (int i = 0; i < 3; i++) assertEquals(401, call("GET", "guess-" + i).statusCode());
        HttpResponse<String> locked = call("GET", READER);
        assertEquals(429, locked.statusCode());
        assertEquals("60", locked.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void failuresRecordedByOtherRoutesCountTowardTheSameLockout() throws Exception {
        assertFalse(failures.lockedOut("127.0.0.1"));
        for (int i = 0; i < 3; i++) failures.record("127.0.0.1");
        assertTrue(failures.lockedOut("127.0.0.1"));
        assertFalse(failures.lockedOut("10.0.0.7"), "another client is not affected");
        assertEquals(429, call("GET", READER).statusCode(), "the admin routes refuse the locked-out client too");
    }

    @Test
    void failedAdminLoginsLockOutOtherRoutesOfTheClient() throws Exception {
        assertEquals(401, call("GET", "guess-1").statusCode());
        assertFalse(failures.lockedOut("127.0.0.1"));
        assertEquals(401, call("GET", "guess-2").statusCode());
        assertEquals(401, call("GET", "guess-3").statusCode());
        assertTrue(failures.lockedOut("127.0.0.1"));
    }
}
