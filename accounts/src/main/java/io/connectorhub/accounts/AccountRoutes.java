package io.connectorhub.accounts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.connectorhub.core.AgentDirectory;
import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.Json;
import io.connectorhub.core.Principal;
import io.connectorhub.core.SessionStore;
import io.connectorhub.core.UserTokens;
import io.connectorhub.core.internal.AdminAuth;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.NotFoundResponse;
import java.time.Instant;
import java.util.Map;

/**
 * The accounts' HTTP routes: {@code /api/v1/auth/…} (anyone; the bearer of an access token for {@code me} and {@code
 * password}), {@code /api/v1/me/devices…} (a signed-in user) and {@code /api/v1/users…}, {@code /api/v1/invites}
 * (admins, through {@link AdminAuth}). Bodies and answers use snake_case field names.
 */
public final class AccountRoutes {
    /** snake_case, as OAuth2 token responses and the WebSocket protocol. */
    static final ObjectMapper JSON = Json.newMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Accounts accounts;
    private final AuthFailures failures;
    private final MySessions sessions;

    /**
     * @param sessions where users' WebSocket and linked sessions are, for {@code /api/v1/me/sessions}
     * @param agents the agents a user may choose for a session
     */
    public AccountRoutes(Accounts accounts, AuthFailures failures, SessionStore sessions, AgentDirectory agents) {
        this.accounts = accounts;
        this.failures = failures;
        this.sessions = new MySessions(sessions, accounts.links(), agents);
    }

    /** @param cookie true: the refresh token goes into {@link RefreshCookie} instead of the answer */
    record Credentials(String username, String password, String email, String invite, Boolean cookie) {}

    record RefreshRequest(String refreshToken) {}

    record PasswordChange(String currentPassword, String newPassword) {}

    record NewUser(String username, String password, String role, String email, String displayName) {}

    record UserPatch(String status, String role, String email, String displayName) {}

    record NewDevice(String name, String publicKey) {}

    record SessionTitle(String title, String agent) {}

    record DeviceLogin(String deviceId, String nonce, String signature) {}

    /** A user as admins and the user themselves see them; {@code password} only when one was generated. */
    record UserJson(
            String id,
            String username,
            String role,
            String status,
            String email,
            String displayName,
            Instant createdAt,
            Instant lastLoginAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String password) {
        static UserJson of(User u, String password) {
            return new UserJson(
                    u.id(),
                    u.username(),
                    u.role().wireName(),
                    u.active() ? "active" : "disabled",
                    u.email(),
                    u.displayName(),
                    u.createdAt(),
                    u.lastLoginAt(),
                    password);
        }
    }

    public void mount(JavalinConfig config, AdminAuth admin) {
        var r = config.routes;
        r.exception(AccountError.class, (e, ctx) -> {
            if (e.retryAfter() != null)
                ctx.header(
                        "Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            answer(ctx.status(e.status()), Map.of("error", e.getMessage()));
        });
        r.post("/api/v1/auth/register", ctx -> {
            Credentials c = body(ctx, Credentials.class);
            answer(ctx.status(201), accounts.register(c.username(), c.password(), c.email(), c.invite(), ctx.ip()));
        });
        r.post("/api/v1/auth/login", ctx -> {
            Credentials c = body(ctx, Credentials.class);
            Accounts.SignedIn signedIn = accounts.login(c.username(), c.password(), ctx.ip());
            answer(ctx, Boolean.TRUE.equals(c.cookie()) ? RefreshCookie.set(ctx, signedIn) : signedIn);
        });
        r.post("/api/v1/auth/refresh", ctx -> {
            String token = body(ctx, RefreshRequest.class).refreshToken();
            if (token != null) {
                answer(ctx, accounts.refresh(token));
                return;
            }
            String cookie = RefreshCookie.read(ctx);
            if (cookie == null) throw new AccountError(401, "refresh_token is required: send it, or sign in again");
            answer(ctx, RefreshCookie.set(ctx, accounts.refresh(cookie)));
        });
        r.delete("/api/v1/auth/refresh", ctx -> {
            accounts.logout(RefreshCookie.read(ctx));
            RefreshCookie.clear(ctx);
            ctx.status(204);
        });
        r.post("/api/v1/auth/logout", ctx -> {
            accounts.logout(body(ctx, RefreshRequest.class).refreshToken());
            ctx.status(204);
        });
        r.get("/api/v1/auth/me", signedIn(ctx -> answer(ctx, UserJson.of(accounts.signedIn(principal(ctx)), null))));
        r.post("/api/v1/auth/password", signedIn(ctx -> {
            PasswordChange p = body(ctx, PasswordChange.class);
            accounts.changePassword(principal(ctx), p.currentPassword(), p.newPassword());
            ctx.status(204);
        }));
        r.post("/api/v1/auth/device/challenge", ctx -> {
            var challenge = accounts.challenge(body(ctx, DeviceLogin.class).deviceId());
            answer(ctx, Map.of("nonce", challenge.nonce(), "expires_in", DeviceChallenges.VALIDITY.toSeconds()));
        });
        r.post("/api/v1/auth/device/login", ctx -> {
            DeviceLogin d = body(ctx, DeviceLogin.class);
            answer(ctx, accounts.deviceLogin(d.deviceId(), d.nonce(), d.signature(), ctx.ip()));
        });
        r.get(
                "/api/v1/me/devices",
                signedIn(ctx -> answer(
                        ctx,
                        Map.of(
                                "devices",
                                accounts.devices(principal(ctx)).stream()
                                        .map(AccountRoutes::device)
                                        .toList()))));
        r.post("/api/v1/me/devices", signedIn(ctx -> {
            NewDevice d = body(ctx, NewDevice.class);
            answer(ctx.status(201), device(accounts.addDevice(principal(ctx), d.name(), d.publicKey())));
        }));
        r.delete("/api/v1/me/devices/{id}", signedIn(ctx -> {
            accounts.removeDevice(principal(ctx), ctx.pathParam("id"));
            ctx.status(204);
        }));

        r.post("/api/v1/me/links", signedIn(ctx -> {
            OneTimeCodes.Issued code = accounts.linkCode(principal(ctx));
            answer(ctx.status(201), Map.of("code", code.code(), "expires_at", code.expiresAt()));
        }));
        r.get(
                "/api/v1/me/links",
                signedIn(ctx -> answer(
                        ctx,
                        Map.of(
                                "links",
                                accounts.linksOf(principal(ctx)).stream()
                                        .map(l -> Map.of(
                                                "id", l.channel() + ":" + l.senderId(),
                                                "channel", l.channel(),
                                                "sender_id", l.senderId(),
                                                "linked_at", l.linkedAt()))
                                        .toList()))));
        r.delete("/api/v1/me/links/{id}", signedIn(ctx -> {
            // A link's id is <channel>:<sender id>; channel names hold no colon, sender ids may.
            String id = ctx.pathParam("id");
            int colon = id.indexOf(':');
            if (colon <= 0) throw new NotFoundResponse("no linked account " + id);
            accounts.unlink(principal(ctx), id.substring(0, colon), id.substring(colon + 1));
            ctx.status(204);
        }));

        r.get(
                "/api/v1/me/sessions",
                signedIn(ctx -> answer(
                        ctx,
                        Map.of("sessions", sessions.list(principal(ctx), search(ctx), before(ctx), limit(ctx, 100))))));
        r.post("/api/v1/me/sessions", signedIn(ctx -> {
            SessionTitle s = body(ctx, SessionTitle.class);
            answer(ctx.status(201), sessions.create(principal(ctx), s.title(), s.agent()));
        }));
        r.get("/api/v1/me/sessions/{key}", signedIn(ctx -> {
            String key = ctx.pathParam("key");
            answer(
                    ctx,
                    sessions.get(principal(ctx), key)
                            .orElseThrow(() -> new AccountError(404, "session " + key + " not found")));
        }));
        r.patch(
                "/api/v1/me/sessions/{key}",
                signedIn(ctx -> answer(
                        ctx,
                        sessions.rename(
                                principal(ctx),
                                ctx.pathParam("key"),
                                body(ctx, SessionTitle.class).title()))));
        r.get("/api/v1/me/sessions/{key}/messages", signedIn(ctx -> {
            String key = ctx.pathParam("key");
            String before = ctx.queryParam("before");
            var messages = sessions.messages(
                            principal(ctx), key, before == null || before.isEmpty() ? null : before, limit(ctx, 50))
                    .orElseThrow(() -> new AccountError(404, "session " + key + " not found"));
            answer(ctx, Map.of("session_key", key, "messages", messages));
        }));
        r.delete("/api/v1/me/sessions/{key}", signedIn(ctx -> {
            if (!sessions.delete(principal(ctx), ctx.pathParam("key")))
                throw new AccountError(404, "session " + ctx.pathParam("key") + " not found");
            ctx.status(204);
        }));

        r.post("/api/v1/users", admin.write(ctx -> {
            NewUser u = body(ctx, NewUser.class);
            Accounts.Created created =
                    accounts.create(u.username(), u.password(), role(u.role(), Role.USER), u.email(), u.displayName());
            answer(ctx.status(201), UserJson.of(created.user(), created.password()));
        }));
        r.get(
                "/api/v1/users",
                admin.read(ctx -> answer(
                        ctx,
                        Map.of(
                                "users",
                                accounts.users().list().stream()
                                        .map(u -> UserJson.of(u, null))
                                        .toList()))));
        r.get("/api/v1/users/{id}", admin.read(ctx -> answer(ctx, UserJson.of(user(ctx.pathParam("id")), null))));
        r.patch("/api/v1/users/{id}", admin.write(ctx -> {
            UserPatch p = body(ctx, UserPatch.class);
            Boolean active = p.status() == null
                    ? null
                    : switch (p.status()) {
                        case "active" -> true;
                        case "disabled" -> false;
                        default -> throw new AccountError(400, "status must be active or disabled");
                    };
            User user = accounts.update(ctx.pathParam("id"), active, role(p.role(), null), p.email(), p.displayName());
            answer(ctx, UserJson.of(user, null));
        }));
        r.delete("/api/v1/users/{id}", admin.write(ctx -> {
            accounts.delete(ctx.pathParam("id"));
            ctx.status(204);
        }));
        r.post(
                "/api/v1/users/{id}/reset-password",
                admin.write(ctx -> answer(ctx, Map.of("password", accounts.resetPassword(ctx.pathParam("id"))))));
        r.post("/api/v1/auth/rotate-key", admin.write(ctx -> {
            accounts.accessTokens().rotateKey();
            answer(ctx, Map.of("key_ids", accounts.signingKeyIds()));
        }));
        r.post("/api/v1/invites", admin.write(ctx -> {
            OneTimeCodes.Issued invite = accounts.invite("admin");
            answer(ctx.status(201), Map.of("code", invite.code(), "expires_at", invite.expiresAt()));
        }));
    }

    /** The {@code limit} query parameter, 1 to 1000, else {@code fallback}. */
    private static int limit(Context ctx, int fallback) {
        String raw = ctx.queryParam("limit");
        if (raw == null) return fallback;
        if (raw.matches("[0-9]{1,4}") && Integer.parseInt(raw) >= 1 && Integer.parseInt(raw) <= 1000)
            return Integer.parseInt(raw);
        throw new AccountError(400, "limit must be a number from 1 to 1000");
    }

    /** The {@code q} query parameter: 1-200 characters, or null. */
    private static String search(Context ctx) {
        String q = ctx.queryParam("q");
        if (q == null || q.isEmpty()) return null;
        if (q.length() > 200) throw new AccountError(400, "q must be at most 200 characters");
        return q;
    }

    /** The {@code before} query parameter: an ISO-8601 instant such as a listed session's updated_at, or null. */
    private static Instant before(Context ctx) {
        String raw = ctx.queryParam("before");
        if (raw == null || raw.isEmpty()) return null;
        try {
            return Instant.parse(raw);
        } catch (java.time.format.DateTimeParseException e) {
            throw new AccountError(
                    400, "before must be an instant such as 2026-11-30T10:00:00Z (a session's updated_at)");
        }
    }

    private User user(String id) {
        return accounts.users().byId(id).orElseThrow(() -> new AccountError(404, "user " + id + " not found"));
    }

    private static Map<String, Object> device(UserStore.Device d) {
        return Map.of("id", d.id(), "name", d.name(), "public_key", d.publicKey(), "created_at", d.createdAt());
    }

    private static Role role(String name, Role fallback) {
        if (name == null) return fallback;
        return Role.parse(name).orElseThrow(() -> new AccountError(400, "role must be admin or user"));
    }

    /**
     * {@code handler} for the bearer of a valid access token of an active user (other modules' routes for users use
     * it too); without one, 401, and a forged token counts toward the per-IP lockout.
     */
    public Handler signedIn(Handler handler) {
        return ctx -> {
            if (failures.refuse(ctx)) return;
            String header = ctx.header("Authorization");
            String token = header != null && header.startsWith("Bearer ")
                    ? header.substring(7).strip()
                    : null;
            switch (token == null ? new UserTokens.Check.Invalid() : accounts.check(token)) {
                case UserTokens.Check.Valid(Principal p) -> {
                    ctx.attribute(PRINCIPAL, p);
                    handler.handle(ctx);
                }
                case UserTokens.Check.Expired e ->
                    unauthorized(ctx, "the access token expired: refresh it at /api/v1/auth/refresh");
                case UserTokens.Check.Invalid i -> {
                    if (token == null) {
                        unauthorized(ctx, "sign in first: send Authorization: Bearer <access_token>");
                    } else {
                        failures.record(ctx.ip());
                        // Never which check failed: a forger learns nothing.
                        unauthorized(ctx, "the access token is not valid: sign in again");
                    }
                }
            }
        };
    }

    private static final String PRINCIPAL = "connectorhub.principal";

    private static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    private static void unauthorized(Context ctx, String message) {
        ctx.header("WWW-Authenticate", "Bearer");
        answer(ctx.status(401), Map.of("error", message));
    }

    private static <T> T body(Context ctx, Class<T> type) {
        String body = ctx.body();
        try {
            return JSON.readValue(body.isBlank() ? "{}" : body, type);
        } catch (Exception e) {
            throw new AccountError(400, "body is not a JSON object with the fields of this route: see the README");
        }
    }

    private static void answer(Context ctx, Object value) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write an answer as JSON", e);
        }
    }
}
