package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.console.Console;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web console as served over HTTP: the page, its files, their headers, and the routes it must leave alone. */
class ConsoleHttpTest {
    @TempDir
    static Path dir;

    private static AdminHarness hub;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hub = AdminHarness.start(dir, "", Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.hub.port() + path));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) throws Exception {
        if ("gzip".equals(r.headers().firstValue("Content-Encoding").orElse(""))) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static List<String> assetUrls(String page) {
        Matcher m = Pattern.compile("(?:href|src)=\"(/console/[^\"]+)\"").matcher(page);
        return m.results().map(x -> x.group(1)).distinct().toList();
    }

    @Test
    void servesThePageAtTheRootWithThePolicyAndNoCaching() throws Exception {
        var r = get("/");
        assertEquals(200, r.statusCode());
        assertEquals(
                Console.CSP, r.headers().firstValue("Content-Security-Policy").orElse(null));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String page = text(r);
        assertTrue(page.contains("<script type=\"module\" src=\"/console/"), page);
        assertFalse(
                Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find(), "no inline script in the page");
        assertFalse(page.contains("<style") || page.contains(" style="), "no inline style in the page");
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(page).find(), "no inline event handler in the page");
    }

    @Test
    void theFilesAreVersionedCachedForAYearAndCompressed() throws Exception {
        List<String> urls = assetUrls(text(get("/")));
        assertFalse(urls.isEmpty());
        for (String url : urls) {
            var r = get(url, "Accept-Encoding", "gzip");
            assertEquals(200, r.statusCode(), url);
            assertEquals(
                    Console.CSP,
                    r.headers().firstValue("Content-Security-Policy").orElse(null),
                    url);
            assertEquals(
                    "public, max-age=31536000, immutable",
                    r.headers().firstValue("Cache-Control").orElse(null),
                    url);
            assertEquals(
                    "nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), url);
        }
        var script = get(
                urls.stream().filter(u -> u.endsWith("/app.js")).findFirst().orElseThrow(), "Accept-Encoding", "gzip");
        assertEquals("gzip", script.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(text(script).contains("import "));
    }

    @Test
    void anOldVersionGetsTheCurrentFileWithoutALongCacheAndAnUnknownFileIs404() throws Exception {
        var old = get("/console/000000000000/app.js");
        assertEquals(200, old.statusCode());
        assertEquals("no-cache", old.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(404, get("/console/000000000000/secrets.txt").statusCode());
    }

    @Test
    void theConsoleShadowsNoOtherRoute() throws Exception {
        assertEquals(200, get("/health").statusCode());
        assertTrue(text(get("/health")).contains("\"status\""));
        for (String path : List.of(
                "/health", "/ws", "/api/v1/status", "/metrics", "/hooks/hook_x", "/v1/models", "/api/v1/nothing")) {
            var r = get(path);
            assertNull(
                    r.headers().firstValue("Content-Security-Policy").orElse(null), path + " answered by the console");
            assertFalse(text(r).contains("<!doctype html>"), path + " answered with the console page");
        }
        assertEquals(401, get("/api/v1/status").statusCode());
        assertEquals(401, get("/metrics").statusCode());
        assertNotEquals(200, get("/ws").statusCode());
    }
}
