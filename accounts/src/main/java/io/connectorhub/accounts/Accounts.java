package io.connectorhub.accounts;

import io.connectorhub.config.AuthConfig;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.ModuleState;
import io.connectorhub.core.Principal;
import io.connectorhub.core.UserTokens;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and their sign-ins: registration, password and device sign-in, refresh, sign-out, password changes, and the
 * admins' management of users and invites. Checks access tokens for the rest of the hub ({@link UserTokens}): a token
 * of a user disabled or of a sign-in session revoked since it was issued is refused at once. Failures are {@link
 * AccountError}s. Thread-safe. Passwords, tokens and codes are never logged.
 */
public final class Accounts implements UserTokens {
    private static final Logger log = LoggerFactory.getLogger(Accounts.class);

    /** What the first admin is called. */
    public static final String FIRST_ADMIN = "admin";
    /** How long an invite code is valid. */
    public static final Duration INVITE_TTL = Duration.ofDays(7);

    static final String INVITE = "invite";
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{2,32}");
    private static final String WRONG_LOGIN = "wrong username or password";

    /** A user as the API shows them. */
    public record UserView(String id, String username, String role) {}

    /** The answer to a sign-in or a refresh (OAuth2's token response, with the user). */
    public record SignedIn(String accessToken, String refreshToken, String tokenType, long expiresIn, UserView user) {
        @Override
        public String toString() {
            return "SignedIn[user=" + user + "]";
        }
    }

    /** A user made by an admin, with the password generated for them (shown once), or null if they chose one. */
    public record Created(User user, String password) {
        @Override
        public String toString() {
            return "Created[" + user + "]";
        }
    }

    private final UserStore users;
    private final SqlRefreshTokenStore refreshStore;
    private final Passwords passwords;
    private final PasswordPolicy policy;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final LoginThrottle throttle;
    private final OneTimeCodes codes;
    private final Links links;
    private final DeviceChallenges challenges;
    private final CutOff cutOff;
    private final SigningKeys keys;
    private final AuthConfig.Registration registration;
    private final InstantSource clock;

    public Accounts(
            ModuleState state,
            SigningKeys keys,
            Passwords passwords,
            AuthConfig settings,
            LoginThrottle throttle,
            Throttle wrongCodes,
            InstantSource clock) {
        this.users = new UserStore(state);
        this.refreshStore = new SqlRefreshTokenStore(state);
        this.passwords = passwords;
        this.policy = PasswordPolicy.standard();
        this.accessTokens = new AccessTokens(keys, settings.accessTokenTtl(), clock);
        this.refreshTokens = new RefreshTokens(refreshStore, settings.refreshTokenTtl(), clock);
        this.throttle = throttle;
        this.codes = new OneTimeCodes(new SqlCodeStore(state), wrongCodes, clock);
        this.links = new Links(state, codes, clock);
        this.challenges = new DeviceChallenges(new SqlDeviceNonces(state, clock), clock);
        this.cutOff = new CutOff(settings.accessTokenTtl().plus(AccessTokens.CLOCK_SKEW), clock);
        this.registration = settings.registration();
        this.keys = keys;
        this.clock = clock;
    }

    public UserStore users() {
        return users;
    }

    public AccessTokens accessTokens() {
        return accessTokens;
    }

    /** The ids of the keys that verify access tokens, the one that signs first. */
    public List<String> signingKeyIds() {
        return keys.keyIds();
    }

    /**
     * With no user at all, creates {@value #FIRST_ADMIN} with a generated password and prints it once on {@code
     * console}; otherwise does nothing, also when another instance on the same database created it meanwhile.
     */
    public void createFirstAdmin(PrintStream console) {
        if (users.count() > 0) return;
        Created created;
        try {
            created = create(FIRST_ADMIN, null, Role.ADMIN, null, null);
        } catch (AccountError e) {
            if (users.count() > 0) return; // instances started together: the first to store it made it
            throw e;
        }
        console.println("Created the user " + FIRST_ADMIN + " with a generated password (shown this once):");
        console.println("  " + created.password());
        console.println("Sign in with POST /api/v1/auth/login; ./hub users reset-password " + FIRST_ADMIN
                + " makes a new one.");
    }

    // Signing in

    /** Signs in with a password from client IP {@code ip}. */
    public SignedIn login(String username, String password, String ip) {
        if (username == null || username.isBlank()) throw new AccountError(400, "username is required");
        if (password == null) throw new AccountError(400, "password is required");
        throttle.retryAfter(ip, username).ifPresent(wait -> {
            throw new AccountError(429, "too many failed sign-ins: retry later", wait);
        });
        User user = users.byUsername(username).orElse(null);
        Passwords.Check check =
                user == null ? passwords.verifyUnknownUser(password) : passwords.verify(password, user.passwordHash());
        if (check == Passwords.Check.BUSY) throw busy();
        if (check != Passwords.Check.MATCH || !user.active()) {
            throttle.failed(ip, username);
            log.info("Sign-in refused from {}: wrong username or password, or a disabled user", ip);
            throw new AccountError(401, WRONG_LOGIN);
        }
        throttle.succeeded(username);
        if (passwords.needsRehash(user.passwordHash())) users.setPasswordHash(user.id(), hash(password));
        return signIn(user, refreshTokens.start(user.id()));
    }

    /** Creates a user who registers themselves, as {@code auth.registration} allows, and signs them in. */
    public SignedIn register(String username, String password, String email, String invite, String ip) {
        if (registration == AuthConfig.Registration.CLOSED)
            throw new AccountError(403, "registration is closed: ask an admin for an account (auth.registration)");
        checkNew(username, password, email);
        if (users.byUsername(username).isPresent()) throw taken();
        if (registration == AuthConfig.Registration.INVITE) {
            if (invite == null || invite.isBlank())
                throw new AccountError(403, "registration needs an invite code: ask an admin for one (invite)");
            switch (codes.redeem(INVITE, invite, ip)) {
                case OneTimeCodes.Redemption.Redeemed r -> {}
                case OneTimeCodes.Redemption.Refused r ->
                    throw new AccountError(403, "invite is wrong, used or expired: ask an admin for a new one");
                case OneTimeCodes.Redemption.Throttled t ->
                    throw new AccountError(429, "too many wrong invite codes: retry later", t.retryAfter());
            }
        }
        User user = insert(username, hash(password), Role.USER, email, null);
        log.info("User {} ({}) registered from {}", user.username(), user.id(), ip);
        return signIn(user, refreshTokens.start(user.id()));
    }

    /** Exchanges a refresh token for new tokens; a token used before revokes its whole sign-in session. */
    public SignedIn refresh(String refreshToken) {
        return switch (refreshTokens.refresh(refreshToken)) {
            case RefreshTokens.Outcome.Rotated(RefreshTokens.Issued next) -> {
                User user = users.byId(next.userId()).filter(User::active).orElse(null);
                if (user == null) {
                    endSession(next.familyId());
                    throw new AccountError(401, "the user is disabled or deleted: sign in again");
                }
                yield signIn(user, next);
            }
            case RefreshTokens.Outcome.Reused reused -> {
                cutOff.session(reused.familyId());
                throw new AccountError(
                        401, "refresh_token was used before, so its sign-in session is revoked: sign in again");
            }
            case RefreshTokens.Outcome.Refused refused ->
                throw new AccountError(401, "refresh_token is wrong, expired or revoked: sign in again");
        };
    }

    /** Signs out the sign-in session of {@code refreshToken}; false if no such token is stored. */
    public boolean logout(String refreshToken) {
        if (refreshToken == null || refreshToken.isEmpty()) return false;
        Optional<RefreshToken> token = refreshStore.find(Hashes.sha256(refreshToken));
        token.ifPresent(t -> endSession(t.familyId()));
        return token.isPresent();
    }

    /** Changes {@code who}'s password; their other sign-in sessions end. */
    public void changePassword(Principal who, String current, String replacement) {
        User user = signedIn(who);
        if (current == null) throw new AccountError(400, "current_password is required");
        Passwords.Check check = passwords.verify(current, user.passwordHash());
        if (check == Passwords.Check.BUSY) throw busy();
        if (check != Passwords.Check.MATCH) throw new AccountError(403, "current_password is wrong");
        policy.problem(replacement).ifPresent(p -> {
            throw new AccountError(400, "new_" + p);
        });
        users.setPasswordHash(user.id(), hash(replacement));
        for (String family : refreshStore.liveFamiliesOf(user.id())) {
            if (!family.equals(who.sessionId())) endSession(family);
        }
        log.info("User {} changed their password; their other sign-in sessions ended", user.id());
    }

    /** The user {@code who} names, if still there and active. */
    public User signedIn(Principal who) {
        return users.byId(who.userId())
                .filter(User::active)
                .orElseThrow(() -> new AccountError(401, "the user is disabled or deleted: sign in again"));
    }

    @Override
    public Check check(String token) {
        return switch (accessTokens.verify(token)) {
            case TokenCheck.Valid(AccessClaims c) ->
                cutOff.refuses(c.userId(), c.sessionId())
                        ? new Check.Invalid()
                        : new Check.Valid(new Principal(c.userId(), c.role().wireName(), c.sessionId(), c.expiresAt()));
            case TokenCheck.Expired e -> new Check.Expired();
            case TokenCheck.Invalid i -> new Check.Invalid();
        };
    }

    /** Whether {@code who}'s user was disabled or their sign-in session revoked since their token was issued. */
    public boolean revoked(Principal who) {
        return cutOff.refuses(who.userId(), who.sessionId());
    }

    /**
     * Takes in a notice sent on {@link io.connectorhub.core.Revocations#CHANNEL} by the instance (maybe this one) that
     * disabled, deleted or enabled a user or revoked a sign-in session, so that this instance's tokens and connections
     * of theirs are cut off too.
     */
    public void heard(String notice) {
        cutOff.heard(notice);
    }

    // Users, for admins

    /** A new user; without {@code password} one is generated and returned once. */
    public Created create(String username, String password, Role role, String email, String displayName) {
        String chosen = password == null ? policy.generate() : password;
        checkNew(username, chosen, email);
        User user = insert(username, hash(chosen), role, email, displayName);
        log.info("Created user {} ({}, {})", user.username(), user.id(), role.wireName());
        return new Created(user, password == null ? chosen : null);
    }

    /** Changes what is not null; disabling ends the user's sign-in sessions and cuts off their tokens. */
    public User update(String id, Boolean active, Role role, String email, String displayName) {
        if (email != null && !email.isEmpty()) checkEmail(email);
        User before = users.byId(id).orElseThrow(() -> notFound(id));
        if (before.role() == Role.ADMIN && before.active() && (Boolean.FALSE.equals(active) || role == Role.USER))
            requireAnotherAdmin(id);
        User after;
        try {
            after = users.update(id, active, role, email, displayName).orElseThrow(() -> notFound(id));
        } catch (IllegalArgumentException e) {
            throw new AccountError(409, "email is another user's: choose another");
        }
        if (before.active() && !after.active()) {
            cutOff.user(id);
            refreshTokens.revokeAllOf(id, null);
            log.info("Disabled user {}: their sign-in sessions ended", id);
        } else if (!before.active() && after.active()) {
            cutOff.restore(id);
        }
        return after;
    }

    public void delete(String id) {
        User user = users.byId(id).orElseThrow(() -> notFound(id));
        if (user.role() == Role.ADMIN && user.active()) requireAnotherAdmin(id);
        cutOff.user(id);
        users.delete(id);
        log.info("Deleted user {}", id);
    }

    /** A new generated password for user {@code id} (returned once); their sign-in sessions end. */
    public String resetPassword(String id) {
        users.byId(id).orElseThrow(() -> notFound(id));
        String password = policy.generate();
        users.setPasswordHash(id, hash(password));
        for (String family : refreshStore.liveFamiliesOf(id)) endSession(family);
        log.info("Reset the password of user {}: their sign-in sessions ended", id);
        return password;
    }

    /** An invite code for {@code auth.registration: invite}, valid {@link #INVITE_TTL}, made by {@code by}. */
    public OneTimeCodes.Issued invite(String by) {
        return codes.issue(INVITE, by, INVITE_TTL);
    }

    // Linked chat accounts

    /** The chat accounts linked to users, for the agent loop. */
    public Links links() {
        return links;
    }

    /** A one-time code that links the chat account which sends {@code /link CODE} to {@code who}. */
    public OneTimeCodes.Issued linkCode(Principal who) {
        return links.code(signedIn(who).id());
    }

    public List<Links.Link> linksOf(Principal who) {
        return links.of(signedIn(who).id());
    }

    /** Unlinks {@code who}'s chat account {@code senderId} on {@code channel}. */
    public void unlink(Principal who, String channel, String senderId) {
        if (!links.unlink(signedIn(who).id(), channel, senderId))
            throw new AccountError(404, "no " + channel + " account " + senderId + " is linked to you");
    }

    // Devices

    public UserStore.Device addDevice(Principal who, String name, String publicKey) {
        User user = signedIn(who);
        if (name == null || name.isBlank() || name.length() > 100)
            throw new AccountError(400, "name is required: 1-100 characters naming the device");
        DeviceKey key;
        try {
            key = DeviceKey.parse(publicKey);
        } catch (RuntimeException e) {
            throw new AccountError(400, "public_key: " + e.getMessage());
        }
        var device = new UserStore.Device(
                "dev_" + GeneratedSecret.random(12), user.id(), name.strip(), key.encoded(), storedNow());
        users.insertDevice(device);
        log.info("User {} registered device {}", user.id(), device.id());
        return device;
    }

    public List<UserStore.Device> devices(Principal who) {
        return users.devicesOf(signedIn(who).id());
    }

    /** Removes {@code who}'s device {@code id}; its sign-in sessions end. */
    public void removeDevice(Principal who, String id) {
        List<String> families = users.deleteDevice(who.userId(), id)
                .orElseThrow(() -> new AccountError(404, "device " + id + " not found"));
        families.forEach(this::endSession);
        log.info("User {} removed device {}", who.userId(), id);
    }

    /** A challenge for device {@code deviceId} (also for an unknown one, which then fails like a wrong signature). */
    public DeviceChallenges.Challenge challenge(String deviceId) {
        if (deviceId == null || deviceId.isBlank() || deviceId.length() > 64)
            throw new AccountError(400, "device_id is required");
        return challenges.issue(deviceId);
    }

    /** Signs device {@code deviceId} in with its signature over the challenge {@code nonce}. */
    public SignedIn deviceLogin(String deviceId, String nonce, String signature, String ip) {
        if (deviceId == null || deviceId.isBlank()) throw new AccountError(400, "device_id is required");
        String key = "device:" + deviceId;
        throttle.retryAfter(ip, key).ifPresent(wait -> {
            throw new AccountError(429, "too many failed sign-ins: retry later", wait);
        });
        UserStore.Device device = users.device(deviceId).orElse(null);
        User user = device == null
                ? null
                : users.byId(device.userId()).filter(User::active).orElse(null);
        DeviceChallenges.Check check = device == null
                ? DeviceChallenges.Check.UNKNOWN_NONCE
                : challenges.verify(deviceId, DeviceKey.parse(device.publicKey()), nonce, signature);
        if (check != DeviceChallenges.Check.SIGNED || user == null) {
            throttle.failed(ip, key);
            log.info("Device sign-in refused from {}: {}", ip, user == null ? "unknown device or user" : check);
            throw new AccountError(401, "the device, nonce or signature is wrong: ask for a new challenge");
        }
        RefreshTokens.Issued session = refreshTokens.start(user.id());
        refreshStore.attachDevice(session.familyId(), deviceId);
        return signIn(user, session);
    }

    // Helpers

    private SignedIn signIn(User user, RefreshTokens.Issued session) {
        users.touchLogin(user.id(), clock.instant());
        AccessToken access = accessTokens.issue(user.id(), user.role(), session.familyId());
        return new SignedIn(
                access.value(),
                session.token(),
                "Bearer",
                accessTokens.ttl().toSeconds(),
                new UserView(user.id(), user.username(), user.role().wireName()));
    }

    /** Now, to the millisecond the database keeps: an answer shows a time as it will be read back. */
    private Instant storedNow() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void endSession(String familyId) {
        refreshTokens.revokeFamily(familyId);
        cutOff.session(familyId);
    }

    private User insert(String username, String passwordHash, Role role, String email, String displayName) {
        User user = new User(
                "usr_" + GeneratedSecret.random(12),
                username.strip(),
                passwordHash,
                email == null || email.isBlank() ? null : email.strip(),
                displayName == null || displayName.isBlank() ? null : displayName.strip(),
                role,
                true,
                storedNow(),
                null);
        if (!users.insert(user)) throw taken();
        return user;
    }

    private void checkNew(String username, String password, String email) {
        if (username == null || !USERNAME.matcher(username.strip()).matches())
            throw new AccountError(400, "username must be 2-32 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        policy.problem(password).ifPresent(p -> {
            throw new AccountError(400, p);
        });
        if (email != null && !email.isBlank()) checkEmail(email);
    }

    private static void checkEmail(String email) {
        String e = email.strip();
        if (e.length() > 254 || e.indexOf('@') < 1 || e.indexOf('@') == e.length() - 1 || e.contains(" "))
            throw new AccountError(400, "email is not an email address such as ann@example.com");
    }

    private void requireAnotherAdmin(String id) {
        boolean another =
                users.list().stream().anyMatch(u -> u.active() && u.role() == Role.ADMIN && !u.id().equals(id));
        if (!another) throw new AccountError(409, "this is the last active admin: make another user admin first");
    }

    private String hash(String password) {
        try {
            return passwords.hash(password);
        } catch (Passwords.BusyException e) {
            throw busy();
        }
    }

    private static AccountError busy() {
        return new AccountError(503, "password hashing is busy: retry in a moment", Duration.ofSeconds(1));
    }

    private static AccountError taken() {
        return new AccountError(409, "username or email is taken: choose another");
    }

    private static AccountError notFound(String id) {
        return new AccountError(404, "user " + id + " not found");
    }
}
