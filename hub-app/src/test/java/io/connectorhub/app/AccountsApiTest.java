package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.core.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users' accounts in the assembled hub: sign-in, tokens, admins' user management, devices. */
class AccountsApiTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private AdminHarness hub;

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
    }

    private void start(String registration) throws Exception {
        hub = AdminHarness.start(dir, "auth:\n  registration: " + registration + "\n", Clock.systemUTC());
    }

    private AdminHarness.Reply post(String path, String token, Object body) throws Exception {
        return hub.call("POST", path, token, body);
    }

    private JsonNode register(String username) throws Exception {
        AdminHarness.Reply r = post("/api/v1/auth/register", null, Map.of("username", username, "password", PASSWORD));
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    private static String access(JsonNode signedIn) {
        return signedIn.get("access_token").asText();
    }

    @Test
    void firstRunCreatesAnAdminWhosePasswordAnAdminCanResetAndWhoseTokenOpensTheAdminApi() throws Exception {
        start("closed");
        JsonNode users = hub.ok("GET", "/api/v1/users", null).get("users");
        assertEquals(1, users.size());
        assertEquals("admin", users.get(0).get("username").asText());
        assertEquals("admin", users.get(0).get("role").asText());
        assertFalse(users.get(0).has("password"), "a listed user shows no password");

        String id = users.get(0).get("id").asText();
        String password = hub.ok("POST", "/api/v1/users/" + id + "/reset-password", null)
                .get("password")
                .asText();
        AdminHarness.Reply login = post("/api/v1/auth/login", null, Map.of("username", "ADMIN", "password", password));
        assertEquals(200, login.status(), login.body());
        assertEquals("Bearer", login.json().get("token_type").asText());
        assertEquals(900, login.json().get("expires_in").asInt());
        assertEquals("admin", login.json().get("user").get("role").asText());

        String token = access(login.json());
        assertEquals(200, hub.call("GET", "/api/v1/status", token, null).status());
        assertEquals(201, post("/api/v1/invites", token, null).status());
    }

    @Test
    void registersSignsInRotatesRefreshTokensAndRevokesTheFamilyWhenOneIsUsedTwice() throws Exception {
        start("open");
        JsonNode ann = register("ann");
        assertEquals("user", ann.get("user").get("role").asText());
        JsonNode me = hub.call("GET", "/api/v1/auth/me", access(ann), null).json();
        assertEquals("ann", me.get("username").asText());
        assertEquals("active", me.get("status").asText());

        String first = ann.get("refresh_token").asText();
        AdminHarness.Reply rotated = post("/api/v1/auth/refresh", null, Map.of("refresh_token", first));
        assertEquals(200, rotated.status(), rotated.body());
        String second = rotated.json().get("refresh_token").asText();
        assertNotEquals(first, second);

        AdminHarness.Reply reused = post("/api/v1/auth/refresh", null, Map.of("refresh_token", first));
        assertEquals(401, reused.status());
        assertTrue(reused.json().get("error").asText().contains("used before"), reused.body());
        assertEquals(
                401,
                post("/api/v1/auth/refresh", null, Map.of("refresh_token", second))
                        .status());
        assertEquals(
                401,
                hub.call("GET", "/api/v1/auth/me", access(rotated.json()), null).status(),
                "the access tokens of a revoked sign-in session stop working at once");
    }

    @Test
    void logoutEndsTheSignInSession() throws Exception {
        start("open");
        JsonNode ann = register("ann");
        String refresh = ann.get("refresh_token").asText();
        assertEquals(
                204,
                post("/api/v1/auth/logout", null, Map.of("refresh_token", refresh))
                        .status());
        assertEquals(
                401,
                post("/api/v1/auth/refresh", null, Map.of("refresh_token", refresh))
                        .status());
        assertEquals(401, hub.call("GET", "/api/v1/auth/me", access(ann), null).status());
    }

    @Test
    void aPasswordChangeEndsTheOtherSignInSessionsAndKeepsThisOne() throws Exception {
        start("open");
        JsonNode here = register("ann");
        JsonNode elsewhere = post("/api/v1/auth/login", null, Map.of("username", "ann", "password", PASSWORD))
                .json();
        AdminHarness.Reply wrong = post(
                "/api/v1/auth/password",
                access(here),
                Map.of("current_password", "not the password", "new_password", "another long secret"));
        assertEquals(403, wrong.status());
        assertEquals(
                400,
                post(
                                "/api/v1/auth/password",
                                access(here),
                                Map.of("current_password", PASSWORD, "new_password", "password123"))
                        .status(),
                "a common password is refused");
        assertEquals(
                204,
                post(
                                "/api/v1/auth/password",
                                access(here),
                                Map.of("current_password", PASSWORD, "new_password", "another long secret"))
                        .status());

        assertEquals(200, hub.call("GET", "/api/v1/auth/me", access(here), null).status());
        assertEquals(
                401, hub.call("GET", "/api/v1/auth/me", access(elsewhere), null).status());
        assertEquals(
                401,
                post(
                                "/api/v1/auth/refresh",
                                null,
                                Map.of(
                                        "refresh_token",
                                        elsewhere.get("refresh_token").asText()))
                        .status());
        assertEquals(
                401,
                post("/api/v1/auth/login", null, Map.of("username", "ann", "password", PASSWORD))
                        .status());
        assertEquals(
                200,
                post("/api/v1/auth/login", null, Map.of("username", "ann", "password", "another long secret"))
                        .status());
    }

    @Test
    void registrationFollowsTheSetting() throws Exception {
        start("invite");
        Map<String, String> bob = Map.of("username", "bob", "password", PASSWORD);
        assertEquals(403, post("/api/v1/auth/register", null, bob).status(), "no invite");
        AdminHarness.Reply wrongCode = post(
                "/api/v1/auth/register", null, Map.of("username", "bob", "password", PASSWORD, "invite", "ABCD-EFGH"));
        assertEquals(403, wrongCode.status());

        JsonNode invite = hub.ok("POST", "/api/v1/invites", null);
        assertTrue(invite.has("expires_at"));
        Map<String, String> withInvite = Map.of(
                "username",
                "bob",
                "password",
                PASSWORD,
                "invite",
                invite.get("code").asText());
        assertEquals(201, post("/api/v1/auth/register", null, withInvite).status());
        Map<String, String> again = Map.of(
                "username",
                "cy",
                "password",
                PASSWORD,
                "invite",
                invite.get("code").asText());
        assertEquals(403, post("/api/v1/auth/register", null, again).status(), "an invite works once");
    }

    @Test
    void closedRegistrationRefusesEveryoneAndAdminsAddUsers() throws Exception {
        start("closed");
        AdminHarness.Reply refused =
                post("/api/v1/auth/register", null, Map.of("username", "ann", "password", PASSWORD));
        assertEquals(403, refused.status());
        assertTrue(refused.json().get("error").asText().contains("auth.registration"));

        JsonNode created = hub.ok("POST", "/api/v1/users", Map.of("username", "ann", "display_name", "Ann"));
        assertEquals("Ann", created.get("display_name").asText());
        String password = created.get("password").asText();
        assertEquals(
                200,
                post("/api/v1/auth/login", null, Map.of("username", "ann", "password", password))
                        .status());
        assertEquals(
                409,
                hub.call("POST", "/api/v1/users", AdminHarness.WRITE, Map.of("username", "Ann"))
                        .status(),
                "usernames are unique whatever their case");
        assertEquals(
                400,
                hub.call("POST", "/api/v1/users", AdminHarness.WRITE, Map.of("username", "x y"))
                        .status());
    }

    @Test
    void aDisabledUserIsCutOffAtOnceAndAUsersTokenDoesNotOpenTheAdminApi() throws Exception {
        start("open");
        JsonNode ann = register("ann");
        String id = ann.get("user").get("id").asText();
        assertEquals(403, hub.call("GET", "/api/v1/status", access(ann), null).status());
        assertEquals(403, hub.call("GET", "/api/v1/users", access(ann), null).status());

        JsonNode disabled = hub.ok("PATCH", "/api/v1/users/" + id, Map.of("status", "disabled"));
        assertEquals("disabled", disabled.get("status").asText());
        assertEquals(401, hub.call("GET", "/api/v1/auth/me", access(ann), null).status());
        assertEquals(
                401,
                post(
                                "/api/v1/auth/refresh",
                                null,
                                Map.of("refresh_token", ann.get("refresh_token").asText()))
                        .status());
        assertEquals(
                401,
                post("/api/v1/auth/login", null, Map.of("username", "ann", "password", PASSWORD))
                        .status());

        hub.ok("PATCH", "/api/v1/users/" + id, Map.of("status", "active"));
        assertEquals(
                200,
                post("/api/v1/auth/login", null, Map.of("username", "ann", "password", PASSWORD))
                        .status());
        hub.ok("DELETE", "/api/v1/users/" + id, null);
        assertEquals(
                404,
                hub.call("GET", "/api/v1/users/" + id, AdminHarness.READ, null).status());
    }

    @Test
    void theLastActiveAdminCannotBeDisabledDemotedOrDeleted() throws Exception {
        start("closed");
        String id = hub.ok("GET", "/api/v1/users", null)
                .get("users")
                .get(0)
                .get("id")
                .asText();
        assertEquals(
                409,
                hub.call("PATCH", "/api/v1/users/" + id, AdminHarness.WRITE, Map.of("status", "disabled"))
                        .status());
        assertEquals(
                409,
                hub.call("PATCH", "/api/v1/users/" + id, AdminHarness.WRITE, Map.of("role", "user"))
                        .status());
        assertEquals(
                409,
                hub.call("DELETE", "/api/v1/users/" + id, AdminHarness.WRITE, null)
                        .status());
    }

    @Test
    void tamperedForeignAndUnsignedTokensAreRefused() throws Exception {
        start("open");
        String token = access(register("ann"));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String adminPayload = b64(payload.replace("\"role\":\"user\"", "\"role\":\"admin\""));
        List<String> forged = List.of(
                parts[0] + "." + adminPayload + "." + parts[2],
                b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + adminPayload + ".",
                parts[0] + "." + parts[1] + "." + flipped(parts[2], 10));
        for (String bad : forged) {
            assertEquals(401, hub.call("GET", "/api/v1/auth/me", bad, null).status(), bad);
            assertEquals(401, hub.call("GET", "/api/v1/status", bad, null).status(), bad);
        }

        // A token of another hub: its own signing key.
        try (AdminHarness other = AdminHarness.start(
                Files.createDirectories(dir.resolve("other")), "auth: {registration: open}", Clock.systemUTC())) {
            AdminHarness.Reply r =
                    other.call("POST", "/api/v1/auth/register", null, Map.of("username", "ann", "password", PASSWORD));
            assertEquals(
                    401,
                    hub.call("GET", "/api/v1/auth/me", access(r.json()), null).status());
        }
    }

    /**
     * {@code base64url} with the character at {@code i} changed: every bit of a character inside the text is used, so
     * the decoded bytes change too (not so for the last character, whose low bits may be padding).
     */
    private static String flipped(String base64url, int i) {
        char c = base64url.charAt(i);
        return base64url.substring(0, i) + (c == 'A' ? 'B' : 'A') + base64url.substring(i + 1);
    }

    @Test
    void aRefusedTokenIsToldItIsNotValidWithoutSayingWhyAndNoTokenIsToldToSignIn() throws Exception {
        start("open");
        JsonNode ann = register("ann");
        String token = access(ann);
        String[] parts = token.split("\\.");
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + ".";
        String badSignature = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertEquals(
                204,
                post(
                                "/api/v1/auth/logout",
                                null,
                                Map.of("refresh_token", ann.get("refresh_token").asText()))
                        .status());
        for (String refused : List.of(unsigned, badSignature, token)) {
            AdminHarness.Reply r = hub.call("GET", "/api/v1/auth/me", refused, null);
            assertEquals(401, r.status(), r.body());
            assertEquals(
                    "the access token is not valid: sign in again",
                    r.json().get("error").asText());
        }
        AdminHarness.Reply none = hub.call("GET", "/api/v1/auth/me", null, null);
        assertEquals(401, none.status());
        assertEquals(
                "sign in first: send Authorization: Bearer <access_token>",
                none.json().get("error").asText());
    }

    @Test
    void aUsersAndADevicesCreatedAtReadTheSameWhenCreatedAsWhenReadBack() throws Exception {
        start("closed");
        JsonNode created = hub.call(
                        "POST", "/api/v1/users", AdminHarness.WRITE, Map.of("username", "ann", "password", PASSWORD))
                .json();
        String createdAt = created.get("created_at").asText();
        assertTrue(createdAt.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"), createdAt);
        assertEquals(
                createdAt,
                hub.ok("GET", "/api/v1/users/" + created.get("id").asText(), null)
                        .get("created_at")
                        .asText());

        String ann = access(post("/api/v1/auth/login", null, Map.of("username", "ann", "password", PASSWORD))
                .json());
        String key = publicKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        JsonNode device = post("/api/v1/me/devices", ann, Map.of("name", "tablet", "public_key", key))
                .json();
        assertEquals(
                device.get("created_at").asText(),
                hub.call("GET", "/api/v1/me/devices", ann, null)
                        .json()
                        .get("devices")
                        .get(0)
                        .get("created_at")
                        .asText());
    }

    @Test
    void failedSignInsAreThrottledPerUsernameAndAnUnknownUserGetsTheSameAnswer() throws Exception {
        start("open");
        register("ann");
        AdminHarness.Reply unknown =
                post("/api/v1/auth/login", null, Map.of("username", "nobody", "password", PASSWORD));
        AdminHarness.Reply wrong = null;
        for (int i = 0; i < 5; i++)
            wrong = post("/api/v1/auth/login", null, Map.of("username", "ann", "password", "wrong password!"));
        assertEquals(401, wrong.status());
        assertEquals(unknown.body(), wrong.body());
        AdminHarness.Reply locked = post("/api/v1/auth/login", null, Map.of("username", "ann", "password", PASSWORD));
        assertEquals(429, locked.status(), "even the right password waits out the lockout");
        assertTrue(locked.headers().containsKey("retry-after"), locked.headers().toString());
    }

    @Test
    void aDeviceSignsInWithItsKeyOnceAndNotAfterItWasRemoved() throws Exception {
        start("open");
        String user = access(register("ann"));
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        AdminHarness.Reply added =
                post("/api/v1/me/devices", user, Map.of("name", "kitchen tablet", "public_key", publicKey(pair)));
        assertEquals(201, added.status(), added.body());
        String device = added.json().get("id").asText();
        assertEquals(
                1,
                hub.call("GET", "/api/v1/me/devices", user, null)
                        .json()
                        .get("devices")
                        .size());

        String nonce = challenge(device);
        Map<String, String> login = Map.of("device_id", device, "nonce", nonce, "signature", sign(pair, device, nonce));
        AdminHarness.Reply signedIn = post("/api/v1/auth/device/login", null, login);
        assertEquals(200, signedIn.status(), signedIn.body());
        assertEquals("ann", signedIn.json().get("user").get("username").asText());
        assertEquals(401, post("/api/v1/auth/device/login", null, login).status(), "a replayed nonce");

        String other = challenge(device);
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertEquals(
                401,
                post(
                                "/api/v1/auth/device/login",
                                null,
                                Map.of("device_id", device, "nonce", other, "signature", sign(stranger, device, other)))
                        .status(),
                "a signature of another key");

        assertEquals(
                204,
                hub.call("DELETE", "/api/v1/me/devices/" + device, user, null).status());
        assertEquals(
                401,
                hub.call("GET", "/api/v1/auth/me", access(signedIn.json()), null)
                        .status());
        String last = challenge(device);
        assertEquals(
                401,
                post(
                                "/api/v1/auth/device/login",
                                null,
                                Map.of("device_id", device, "nonce", last, "signature", sign(pair, device, last)))
                        .status(),
                "a removed device");
    }

    @Test
    void passwordsAndTokensNeverReachTheLog() throws Exception {
        start("open");
        try (LogCapture log = new LogCapture()) {
            JsonNode ann = register("ann");
            post("/api/v1/auth/login", null, Map.of("username", "ann", "password", "wrong password!"));
            String refresh = ann.get("refresh_token").asText();
            post("/api/v1/auth/refresh", null, Map.of("refresh_token", refresh));
            post("/api/v1/auth/refresh", null, Map.of("refresh_token", refresh));
            String reset = hub.ok(
                            "POST", "/api/v1/users/" + ann.get("user").get("id").asText() + "/reset-password", null)
                    .get("password")
                    .asText();
            String all = String.join("\n", log.messages());
            assertTrue(all.contains("ann"), "the sign-ins were logged: " + all);
            for (String secret : List.of(PASSWORD, "wrong password!", refresh, access(ann), reset))
                assertFalse(all.contains(secret), "a secret in the log");
        }
    }

    private String challenge(String device) throws Exception {
        AdminHarness.Reply r = post("/api/v1/auth/device/challenge", null, Map.of("device_id", device));
        assertEquals(200, r.status(), r.body());
        assertEquals(60, r.json().get("expires_in").asInt());
        return r.json().get("nonce").asText();
    }

    /** The base64url of the raw 32 bytes of {@code pair}'s public key, as devices register it. */
    private static String publicKey(KeyPair pair) {
        byte[] encoded = pair.getPublic().getEncoded();
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    private static String sign(KeyPair pair, String device, String nonce) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(("connector-hub-device-login:" + device + ":" + nonce).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
