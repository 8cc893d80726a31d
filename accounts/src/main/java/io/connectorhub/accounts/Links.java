package io.connectorhub.accounts;

import io.connectorhub.core.LinkedSenders;
import io.connectorhub.core.ModuleState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat accounts linked to users (the table {@code links}): a signed-in user asks for a one-time code, sends {@code
 * /link CODE} to the bot, and that sender id on that channel is theirs until unlinked. Only an active user's links
 * count. Wrong codes are throttled per sender. Codes are never logged. Thread-safe.
 */
public final class Links implements LinkedSenders {
    private static final Logger log = LoggerFactory.getLogger(Links.class);

    /** How long a link code is valid. */
    public static final Duration CODE_TTL = Duration.ofMinutes(10);

    static final String PURPOSE = "link";

    /**
     * A linked chat account.
     *
     * @param directSession the key of its direct conversation with the bot; null until the hub has handled a direct
     *     message from it
     */
    public record Link(String channel, String senderId, Instant linkedAt, String directSession) {}

    private final ModuleState state;
    private final OneTimeCodes codes;
    private final InstantSource clock;

    Links(ModuleState state, OneTimeCodes codes, InstantSource clock) {
        this.state = state;
        this.codes = codes;
        this.clock = clock;
    }

    /** A new code that links the chat account which sends it to user {@code userId}, valid {@link #CODE_TTL}. */
    OneTimeCodes.Issued code(String userId) {
        return codes.issue(PURPOSE, userId, CODE_TTL);
    }

    /** The chat accounts linked to user {@code userId}, most recent first. */
    List<Link> of(String userId) {
        return state.read(h -> h.createQuery(
                        "SELECT channel, sender_id, linked_at, direct_session FROM links WHERE user_id = :user"
                                + " ORDER BY linked_at DESC")
                .bind("user", userId)
                .map((rs, ctx) -> new Link(
                        rs.getString("channel"),
                        rs.getString("sender_id"),
                        Instant.ofEpochMilli(rs.getLong("linked_at")),
                        rs.getString("direct_session")))
                .list());
    }

    /** Unlinks {@code senderId} on {@code channel} from user {@code userId}; false if it was not theirs. */
    boolean unlink(String userId, String channel, String senderId) {
        int removed = state.write(h -> h.createUpdate(
                        "DELETE FROM links WHERE user_id = :user AND channel = :channel AND sender_id = :sender")
                .bind("user", userId)
                .bind("channel", channel)
                .bind("sender", senderId)
                .execute());
        if (removed > 0) log.info("User {} unlinked {} sender {}", userId, channel, senderId);
        return removed > 0;
    }

    @Override
    public String userOf(String channel, String senderId) {
        return state.read(h -> h.createQuery("SELECT l.user_id FROM links l JOIN users u ON u.id = l.user_id"
                        + " WHERE l.channel = :channel AND l.sender_id = :sender AND u.status = 'active'")
                .bind("channel", channel)
                .bind("sender", senderId)
                .mapTo(String.class)
                .findOne()
                .orElse(null));
    }

    /** {@inheritDoc} Written only when it changed: a DM channel stays the same, so this is a read per message. */
    @Override
    public void direct(String channel, String senderId, String sessionKey) {
        boolean known = state.read(h -> h.createQuery(
                        "SELECT COALESCE(direct_session, '') FROM links WHERE channel = :channel AND sender_id = :sender")
                .bind("channel", channel)
                .bind("sender", senderId)
                .mapTo(String.class)
                .findOne()
                .map(sessionKey::equals)
                .orElse(true)); // not linked: nothing to record
        if (known) return;
        state.write(h -> h.createUpdate(
                        "UPDATE links SET direct_session = :key WHERE channel = :channel AND sender_id = :sender")
                .bind("key", sessionKey)
                .bind("channel", channel)
                .bind("sender", senderId)
                .execute());
    }

    @Override
    public String link(String channel, String senderId, String code) {
        if (code.isEmpty()) return "Send /link and the code from your account, e.g. /link K7MQX2PA.";
        return switch (codes.redeem(PURPOSE, code, channel + ":" + senderId)) {
            case OneTimeCodes.Redemption.Redeemed r -> {
                String userId = r.subject();
                state.write(h -> h.createUpdate("INSERT INTO links (channel, sender_id, user_id, linked_at)"
                                + " VALUES (:channel, :sender, :user, :now) ON CONFLICT (channel, sender_id)"
                                + " DO UPDATE SET user_id = :user, linked_at = :now")
                        .bind("channel", channel)
                        .bind("sender", senderId)
                        .bind("user", userId)
                        .bind("now", clock.instant().toEpochMilli())
                        .execute());
                log.info("Linked {} sender {} to user {}", channel, senderId, userId);
                yield "Linked: this account now chats as your hub user.";
            }
            case OneTimeCodes.Redemption.Refused r -> {
                log.info("Refused a wrong, used or expired link code from {} sender {}", channel, senderId);
                yield "That link code is wrong, used or expired: make a new one in your account and send it again.";
            }
            case OneTimeCodes.Redemption.Throttled t ->
                "Too many wrong link codes: try again in "
                        + Math.max(1, t.retryAfter().toMinutes()) + " minutes.";
        };
    }
}
