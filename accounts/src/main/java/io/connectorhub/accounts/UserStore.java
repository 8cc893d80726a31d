package io.connectorhub.accounts;

import io.connectorhub.core.ModuleState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The accounts module's tables ({@value #MODULE}, scripts under {@code db/accounts/}): users and their devices.
 * Usernames and emails are unique whatever their case. Thread-safe.
 */
public final class UserStore {
    /** The module whose migration scripts create these tables. */
    public static final String MODULE = "accounts";

    /** A registered device; its public key is not secret. */
    public record Device(String id, String userId, String name, String publicKey, Instant createdAt) {}

    private final ModuleState state;

    public UserStore(ModuleState state) {
        this.state = state;
    }

    /** Adds {@code user}; false if its username or email is taken. */
    public boolean insert(User user) {
        return state.write(h -> {
            if (taken(h, user.username(), user.email(), null)) return false;
            // ON CONFLICT: another instance may store the same name between the check and this insert
            return h.createUpdate("INSERT INTO users (id, username, username_key, password_hash, email, email_key,"
                                    + " display_name, role, status, created_at) VALUES (:id, :username, :username_key,"
                                    + " :hash, :email, :email_key, :display_name, :role, :status, :created_at)"
                                    + " ON CONFLICT DO NOTHING")
                            .bind("id", user.id())
                            .bind("username", user.username())
                            .bind("username_key", key(user.username()))
                            .bind("hash", user.passwordHash())
                            .bind("email", user.email())
                            .bind("email_key", key(user.email()))
                            .bind("display_name", user.displayName())
                            .bind("role", user.role().wireName())
                            .bind("status", status(user.active()))
                            .bind("created_at", user.createdAt().toEpochMilli())
                            .execute()
                    == 1;
        });
    }

    public long count() {
        return state.read(h ->
                h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    public Optional<User> byId(String id) {
        return one("id = :v", id);
    }

    /** The user named {@code username}, whatever its case. */
    public Optional<User> byUsername(String username) {
        return one("username_key = :v", key(username));
    }

    /** Every user, oldest first. */
    public List<User> list() {
        return state.read(h -> h.createQuery("SELECT * FROM users ORDER BY created_at, id")
                .map((rs, ctx) -> user(rs))
                .list());
    }

    /**
     * Changes what is not null ({@code email} and {@code displayName} empty: removed). Empty if no such user; throws
     * {@link IllegalArgumentException} if the email is another user's.
     */
    public Optional<User> update(String id, Boolean active, Role role, String email, String displayName) {
        return state.write(h -> {
            if (email != null && !email.isEmpty() && taken(h, null, email, id))
                throw new IllegalArgumentException("email is another user's");
            if (active != null) {
                set(h, id, "status", status(active));
                CutOff.announceUser(state, h, id, active);
            }
            if (role != null) set(h, id, "role", role.wireName());
            if (email != null) {
                set(h, id, "email", email.isEmpty() ? null : email);
                set(h, id, "email_key", email.isEmpty() ? null : key(email));
            }
            if (displayName != null) set(h, id, "display_name", displayName.isEmpty() ? null : displayName);
            return h.createQuery("SELECT * FROM users WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> user(rs))
                    .findOne();
        });
    }

    public void setPasswordHash(String id, String hash) {
        state.write(h -> h.execute("UPDATE users SET password_hash = ? WHERE id = ?", hash, id));
    }

    public void touchLogin(String id, Instant at) {
        state.write(h -> h.execute("UPDATE users SET last_login_at = ? WHERE id = ?", at.toEpochMilli(), id));
    }

    /** Deletes the user with their devices and sign-in sessions; false if there is no such user. */
    public boolean delete(String id) {
        return state.write(h -> {
            h.execute("DELETE FROM refresh_tokens WHERE user_id = ?", id);
            h.execute("DELETE FROM refresh_families WHERE user_id = ?", id);
            h.execute("DELETE FROM devices WHERE user_id = ?", id);
            CutOff.announceUser(state, h, id, false);
            return h.execute("DELETE FROM users WHERE id = ?", id) > 0;
        });
    }

    // Devices

    public void insertDevice(Device d) {
        state.write(h -> h.createUpdate("INSERT INTO devices (id, user_id, name, public_key, created_at)"
                        + " VALUES (:id, :user_id, :name, :public_key, :created_at)")
                .bind("id", d.id())
                .bind("user_id", d.userId())
                .bind("name", d.name())
                .bind("public_key", d.publicKey())
                .bind("created_at", d.createdAt().toEpochMilli())
                .execute());
    }

    public Optional<Device> device(String id) {
        return state.read(h -> h.createQuery("SELECT * FROM devices WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> device(rs))
                .findOne());
    }

    public List<Device> devicesOf(String userId) {
        return state.read(h -> h.createQuery("SELECT * FROM devices WHERE user_id = :u ORDER BY created_at, id")
                .bind("u", userId)
                .map((rs, ctx) -> device(rs))
                .list());
    }

    /** Removes device {@code id} of {@code userId}; the ids of its sign-in sessions, or empty if there was none. */
    public Optional<List<String>> deleteDevice(String userId, String id) {
        return state.write(h -> {
            if (h.execute("DELETE FROM devices WHERE id = ? AND user_id = ?", id, userId) == 0) return Optional.empty();
            return Optional.of(h.createQuery("SELECT id FROM refresh_families WHERE device_id = :d")
                    .bind("d", id)
                    .mapTo(String.class)
                    .list());
        });
    }

    private Optional<User> one(String where, String value) {
        return state.read(h -> h.createQuery("SELECT * FROM users WHERE " + where)
                .bind("v", value)
                .map((rs, ctx) -> user(rs))
                .findOne());
    }

    private static boolean taken(Handle h, String username, String email, String exceptId) {
        return h.createQuery("SELECT COUNT(*) FROM users WHERE (username_key = :u OR email_key = :e) AND id <> :x")
                        .bind("u", key(username))
                        .bind("e", key(email))
                        .bind("x", exceptId == null ? "" : exceptId)
                        .mapTo(Long.class)
                        .one()
                > 0;
    }

    /** Sets {@code column} (a name of this class, never input) of user {@code id} to {@code value} (null: NULL). */
    private static void set(Handle h, String id, String column, String value) {
        h.createUpdate("UPDATE users SET " + column + " = :v WHERE id = :id")
                .bind("v", value)
                .bind("id", id)
                .execute();
    }

    private static String key(String text) {
        return text == null ? null : text.strip().toLowerCase(Locale.ROOT);
    }

    private static String status(boolean active) {
        return active ? "active" : "disabled";
    }

    private static User user(ResultSet rs) throws SQLException {
        long lastLogin = rs.getLong("last_login_at");
        boolean neverLoggedIn = rs.wasNull();
        return new User(
                rs.getString("id"),
                rs.getString("username"),
                rs.getString("password_hash"),
                rs.getString("email"),
                rs.getString("display_name"),
                Role.parse(rs.getString("role")).orElse(Role.USER),
                "active".equals(rs.getString("status")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                neverLoggedIn ? null : Instant.ofEpochMilli(lastLogin));
    }

    private static Device device(ResultSet rs) throws SQLException {
        return new Device(
                rs.getString("id"),
                rs.getString("user_id"),
                rs.getString("name"),
                rs.getString("public_key"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
