package io.connectorhub.channel.telegram;

import io.connectorhub.core.ModuleState;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each reply's delivery got, kept in this channel's own table ({@code db/telegram/}): Telegram has no idempotency key, so a reply
 * delivered again after a stop must skip what Telegram already shows (the parts it accepted, and a streamed
 * preview edited into the first part). Rows of replies that never finished are forgotten after {@link #KEEP}.
 * A failing write is logged, not thrown: the reply is still delivered, only a later redelivery may repeat it.
 */
final class ReplyProgress {
    private static final Logger log = LoggerFactory.getLogger(ReplyProgress.class);
    static final Duration KEEP = Duration.ofDays(7);

    /**
     * @param previewId the message showing the streamed reply, still to be edited into the first part, or null
     * @param partsSent how many parts of the final reply Telegram accepted
     */
    record Done(Integer previewId, int partsSent) {}

    /** The module whose migration scripts create the table. */
    static final String MODULE = "telegram";

    private final Function<String, ModuleState> states;
    private final Clock clock;
    private volatile ModuleState store;

    /** @param states opens the channel's tables ({@link #MODULE}); called by {@link #open}, not here */
    ReplyProgress(Function<String, ModuleState> states, Clock clock) {
        this.states = states;
        this.clock = clock;
    }

    /** Creates the table if needed and forgets stale progress; call before use (at channel start, not creation). */
    void open() {
        store = states.apply(MODULE);
        int old = store.write(h -> h.createUpdate("DELETE FROM telegram_reply_progress WHERE updated_at < :cutoff")
                .bind("cutoff", clock.millis() - KEEP.toMillis())
                .execute());
        if (old > 0) log.debug("Forgot the delivery progress of {} Telegram replies that never finished", old);
    }

    Optional<Done> of(String replyId) {
        return store.read(h -> h.createQuery(
                        "SELECT preview_id, parts_sent FROM telegram_reply_progress WHERE reply_id = :id")
                .bind("id", replyId)
                .map((rs, ctx) -> {
                    int preview = rs.getInt(1);
                    return new Done(rs.wasNull() ? null : preview, rs.getInt(2));
                })
                .findOne());
    }

    void save(String replyId, Integer previewId, int partsSent) {
        try {
            store.write(h -> h.createUpdate(
                            "INSERT INTO telegram_reply_progress (reply_id, preview_id, parts_sent, updated_at) "
                                    + "VALUES (:id, :preview, :parts, :now) ON CONFLICT (reply_id) DO UPDATE SET "
                                    + "preview_id = :preview, parts_sent = :parts, updated_at = :now")
                    .bind("id", replyId)
                    .bind("preview", previewId)
                    .bind("parts", partsSent)
                    .bind("now", clock.millis())
                    .execute());
        } catch (RuntimeException e) {
            log.warn("Could not record the delivery progress of Telegram reply {}: {}", replyId, e.getMessage());
        }
    }

    void forget(String replyId) {
        try {
            store.write(h -> h.createUpdate("DELETE FROM telegram_reply_progress WHERE reply_id = :id")
                    .bind("id", replyId)
                    .execute());
        } catch (RuntimeException e) {
            log.warn("Could not forget the delivery progress of Telegram reply {}: {}", replyId, e.getMessage());
        }
    }
}
