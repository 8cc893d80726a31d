package io.connectorhub.console;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console: {@code GET /} answers its page, and every file it loads is under {@code /console/<version>/}, where
 * the version is a hash of all the files, so a browser may keep them for a year and still never runs an old one with a
 * new page. Nothing else is mounted, so no other route of the hub is shadowed. Every answer carries {@link #CSP}.
 * Immutable once loaded; thread-safe.
 */
public final class Console {
    /** The Content-Security-Policy of every console answer: no inline script or style, nothing from another origin. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /** The prefix of every file the page loads. */
    public static final String PREFIX = "/console/";

    /** The files of the console, next to this class under {@code web/}; the page is {@code index.html}. */
    static final List<String> FILES = List.of(
            "index.html",
            "console.css",
            "app.js",
            "dom.js",
            "i18n.js",
            "api.js",
            "rpc.js",
            "markdown.js",
            "chat.js",
            "account.js",
            "admin.js",
            "chart.js",
            "favicon.svg");

    private static final String LONG_CACHE = "public, max-age=31536000, immutable";

    private final String version;
    private final byte[] page;
    private final Map<String, byte[]> files;

    private Console(String version, byte[] page, Map<String, byte[]> files) {
        this.version = version;
        this.page = page;
        this.files = files;
    }

    /** Reads the console's files from the class path; fails if one is missing. */
    public static Console load() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String name : FILES) {
            byte[] bytes = read(name);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(bytes);
            files.put(name, bytes);
        }
        String version = HexFormat.of().formatHex(digest.digest(), 0, 6);
        byte[] page = new String(files.remove("index.html"), StandardCharsets.UTF_8)
                .replace("{{assets}}", PREFIX + version)
                .getBytes(StandardCharsets.UTF_8);
        return new Console(version, page, Map.copyOf(files));
    }

    private static byte[] read(String name) {
        try (InputStream in = Console.class.getResourceAsStream("web/" + name)) {
            if (in == null)
                throw new IllegalStateException("the console file web/" + name + " is missing from the build");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hash in the files' URLs, e.g. {@code 3f9a0c1b22de}. */
    public String version() {
        return version;
    }

    /** Adds {@code GET /} and {@code GET /console/<version>/<file>}. */
    public void mount(JavalinConfig config) {
        config.routes.get("/", ctx -> answer(ctx, "text/html; charset=utf-8", page, "no-cache"));
        config.routes.get(PREFIX + "{version}/{file}", this::file);
    }

    private void file(Context ctx) {
        byte[] bytes = files.get(ctx.pathParam("file"));
        if (bytes == null) {
            ctx.header("Content-Security-Policy", CSP).status(404).result("not found");
            return;
        }
        // An old page asking for its own version gets today's file, which it must not keep.
        String cache = version.equals(ctx.pathParam("version")) ? LONG_CACHE : "no-cache";
        answer(ctx, contentType(ctx.pathParam("file")), bytes, cache);
    }

    private static void answer(Context ctx, String type, byte[] body, String cache) {
        ctx.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", cache)
                .contentType(type)
                .result(body);
    }

    static String contentType(String file) {
        if (file.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (file.endsWith(".css")) return "text/css; charset=utf-8";
        if (file.endsWith(".svg")) return "image/svg+xml";
        return "application/octet-stream";
    }
}
