package io.connectorhub.core.internal;

import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.Principal;
import io.connectorhub.core.UserTokens;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication for admin routes. Wrap each admin handler with {@link #read} or {@link #write}: a
 * request without a valid token gets 401, a token without the scope 403, and a client IP that fails too often gets
 * 429 for the rest of the minute: a wrong token counts toward the hub's one {@link AuthFailures} lockout, which the
 * routes and channels with their own secrets share. An admin user's access token has both scopes; a valid access
 * token of a user who is not an admin gets 403, and an expired one 401 without counting as a failure. Tokens are
 * compared in constant time and never logged. Thread-safe.
 */
public final class AdminAuth {
    private static final Logger log = LoggerFactory.getLogger(AdminAuth.class);
    public static final String READ = "admin.read";
    public static final String WRITE = "admin.write";

    /** One admin token and what it may do. */
    public record Token(String token, Set<String> scopes) {
        public Token {
            scopes = Set.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "Token[scopes=" + scopes + "]";
        }
    }

    private static final Token ADMIN_USER = new Token("", Set.of(READ, WRITE));
    private static final Token EXPIRED = new Token("", Set.of());
    private static final Token NOT_ADMIN = new Token("", Set.of());

    private final List<Token> tokens;
    private final AuthFailures failures;
    private final UserTokens users;

    /** With admin tokens only. */
    public AdminAuth(List<Token> tokens, AuthFailures failures) {
        this(tokens, failures, UserTokens.none());
    }

    /**
     * @param failures the hub's per-IP lockout, which wrong admin tokens count toward
     * @param users checks users' access tokens: an admin user's may be used like an admin token with both scopes
     */
    public AdminAuth(List<Token> tokens, AuthFailures failures, UserTokens users) {
        this.tokens = List.copyOf(tokens);
        this.failures = failures;
        this.users = users;
    }

    /** The per-IP lockout these routes count toward. */
    public AuthFailures failures() {
        return failures;
    }

    /** {@code handler}, for tokens with {@code admin.read}. */
    public Handler read(Handler handler) {
        return guard(READ, handler);
    }

    /** {@code handler}, for tokens with {@code admin.write}. */
    public Handler write(Handler handler) {
        return guard(WRITE, handler);
    }

    private Handler guard(String scope, Handler handler) {
        return ctx -> {
            String client = ctx.ip();
            if (failures.refuse(ctx)) return;
            Token token = authenticate(ctx);
            if (token == EXPIRED) {
                ctx.status(401)
                        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                        .json(Map.of("error", "the access token expired: refresh it at /api/v1/auth/refresh"));
                return;
            }
            if (token == NOT_ADMIN) {
                ctx.status(403).json(Map.of("error", "this route needs an admin: the signed-in user is not one"));
                return;
            }
            if (token == null) {
                failures.record(client);
                log.info(
                        "Admin request {} {} from {} refused: missing or wrong token",
                        ctx.method(),
                        ctx.path(),
                        client);
                ctx.status(401)
                        .header("WWW-Authenticate", "Bearer")
                        .json(Map.of("error", "missing or wrong admin token: send Authorization: Bearer <token>"));
                return;
            }
            if (!token.scopes().contains(scope)) {
                ctx.status(403).json(Map.of("error", "this token lacks the " + scope + " scope"));
                return;
            }
            handler.handle(ctx);
        };
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null without one. */
    public static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.startsWith("Bearer ")
                ? header.substring(7).strip()
                : null;
    }

    private Token authenticate(Context ctx) {
        String presented = bearer(ctx);
        if (presented == null) return null;
        Token match = null;
        for (Token t : tokens) {
            // Check every token, so the time taken does not tell which one nearly matched.
            if (GeneratedSecret.matches(t.token(), presented)) match = t;
        }
        if (match != null || presented.indexOf('.') < 0) return match;
        return switch (users.check(presented)) {
            case UserTokens.Check.Valid(Principal p) -> p.isAdmin() ? ADMIN_USER : NOT_ADMIN;
            case UserTokens.Check.Expired e -> EXPIRED;
            case UserTokens.Check.Invalid i -> null;
        };
    }
}
