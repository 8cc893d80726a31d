package io.connectorhub.accounts;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refresh token of a browser, kept in a cookie the page's scripts cannot read ({@code HttpOnly}), that no other
 * site's request carries ({@code SameSite=Strict}) and that only the refresh route receives ({@code Path}). Reading it
 * also wants the {@link #CSRF_HEADER} header, which a form on another site cannot send, and a same-origin
 * {@code Origin} when there is one. Stateless.
 */
final class RefreshCookie {
    static final String NAME = "hub_refresh";
    static final String PATH = "/api/v1/auth/refresh";
    static final String CSRF_HEADER = "X-Hub-CSRF";

    private RefreshCookie() {}

    /** Sets the cookie to {@code signedIn}'s refresh token and answers the rest, without the refresh token. */
    static Map<String, Object> set(Context ctx, Accounts.SignedIn signedIn) {
        ctx.header("Set-Cookie", cookie(ctx, signedIn.refreshToken(), ""));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", signedIn.accessToken());
        body.put("token_type", signedIn.tokenType());
        body.put("expires_in", signedIn.expiresIn());
        body.put("user", signedIn.user());
        return body;
    }

    /** Removes the cookie from the browser. */
    static void clear(Context ctx) {
        ctx.header("Set-Cookie", cookie(ctx, "", "; Max-Age=0"));
    }

    /** The refresh token in the cookie, after the CSRF checks; null when the request has no cookie. */
    static String read(Context ctx) {
        String token = ctx.cookie(NAME);
        if (token == null || token.isEmpty()) return null;
        if (!"1".equals(ctx.header(CSRF_HEADER)))
            throw new AccountError(403, "the refresh cookie needs the header " + CSRF_HEADER + ": 1");
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && (host == null || !origin.equals(ctx.scheme() + "://" + host)))
            throw new AccountError(403, "the refresh cookie is only accepted from this hub's own pages");
        return token;
    }

    private static String cookie(Context ctx, String value, String extra) {
        return NAME + "=" + value + "; Path=" + PATH + "; HttpOnly; SameSite=Strict"
                + ("https".equals(ctx.scheme()) ? "; Secure" : "") + extra;
    }
}
