package io.connectorhub.core.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static final String TOKEN = "admin-token-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();
    private final AuthFailures failures = new AuthFailures(3);
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** A hub port trusting {@code proxies}, with an admin route and one that tells who and how it was called. */
    private void start(String... proxies) {
        AdminAuth auth = new AdminAuth(List.of(new AdminAuth.Token(TOKEN, Set.of(AdminAuth.READ))), failures);
        server = new HttpServer("127.0.0.1", 0, 1 << 20, new TrustedProxies(List.of(proxies)), List.of(config -> {
            config.routes.get("/admin", auth.read(ctx -> ctx.result("ok")));
            config.routes.get("/whoami", ctx -> ctx.result(ctx.ip() + " " + ctx.scheme()));
        }));
        server.start();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        headers.forEach(r::header);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> headers(String token, String forwardedFor) {
        Map<String, String> h = new LinkedHashMap<>();
        if (token != null) h.put("Authorization", "Bearer " + token);
        if (forwardedFor != null) h.put("X-Forwarded-For", forwardedFor);
        return h;
    }

    @Test
    void locksOutEachClientBehindATrustedProxySeparately() throws Exception {
        start("127.0.0.1");
        for (int i = 0; i < 3; i++)
            assertEquals(
                    401, get("/admin", headers("guess-" + i, "203.0.113.7")).statusCode());

        assertEquals(429, get("/admin", headers(TOKEN, "203.0.113.7")).statusCode(), "the guesser is locked out");
        assertEquals(200, get("/admin", headers(TOKEN, "198.51.100.9")).statusCode(), "another client is not");
        assertTrue(failures.lockedOut("203.0.113.7"));
        assertFalse(failures.lockedOut("127.0.0.1"), "nor is the proxy itself");
    }

    @Test
    void anUntrustedPeerCannotChooseItsAddressWithTheHeader() throws Exception {
        start("10.0.0.0/8");
        for (int i = 0; i < 3; i++)
            assertEquals(
                    401, get("/admin", headers("guess-" + i, "203.0.113." + i)).statusCode());

        assertEquals(
                429,
                get("/admin", headers(TOKEN, "198.51.100.9")).statusCode(),
                "every guess counted against the real peer, whatever the header said");
        assertTrue(failures.lockedOut("127.0.0.1"));
        assertEquals(
                "127.0.0.1 http",
                get("/whoami", Map.of("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https"))
                        .body());
    }

    @Test
    void takesTheRightMostAddressThatIsNotATrustedProxy() throws Exception {
        start("127.0.0.1", "10.0.0.0/8");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("203.0.113.7", "203.0.113.7");
        expected.put("198.51.100.1, 203.0.113.7", "203.0.113.7"); // the left one was written by the client
        expected.put("198.51.100.1, 203.0.113.7, 10.1.2.3", "203.0.113.7"); // 10.1.2.3 is a proxy of ours
        expected.put("10.0.0.9, 10.1.2.3", "10.0.0.9"); // only proxies: the farthest one
        expected.put("203.0.113.7:4711", "203.0.113.7");
        expected.put("[2001:db8::7]:443", "[2001:db8:0:0:0:0:0:7]"); // as Jetty writes IPv6 peers
        expected.put("unknown, 10.1.2.3", "10.1.2.3"); // not an address: the proxy that passed it on
        expected.put("not an address", "127.0.0.1");
        List<String> wrong = new ArrayList<>();
        for (var e : expected.entrySet()) {
            String ip =
                    get("/whoami", Map.of("X-Forwarded-For", e.getKey())).body().split(" ")[0];
            if (!ip.equals(e.getValue())) wrong.add(e.getKey() + " -> " + ip + ", not " + e.getValue());
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void takesTheSchemeFromATrustedProxy() throws Exception {
        start("127.0.0.1");
        assertEquals(
                "127.0.0.1 https",
                get("/whoami", Map.of("X-Forwarded-Proto", "https")).body());
        assertEquals(
                "203.0.113.7 https",
                get("/whoami", Map.of("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https"))
                        .body());
        assertEquals(
                "127.0.0.1 http",
                get("/whoami", Map.of("X-Forwarded-Proto", "gopher")).body());
        assertEquals("127.0.0.1 http", get("/whoami", Map.of()).body());
    }

    @Test
    void refusesProxiesThatAreNotAddressesOrBlocks() {
        for (String bad : List.of("proxy.example.com", "10.0.0.0/33", "10.0.0.1/8", "010.0.0.1", "fd00::/129", ""))
            assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of(bad)), bad);
    }
}
