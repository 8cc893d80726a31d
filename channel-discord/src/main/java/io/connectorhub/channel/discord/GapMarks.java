package io.connectorhub.channel.discord;

import io.connectorhub.core.ModuleState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link GapRecovery}'s marks (the newest message seen per Discord channel) in this module's table
 * {@code discord_gap_marks} ({@code db/discord/}), so that the instance that opens the gateway next, this one after a
 * restart or another one after a take-over, fetches what was written since. A stored mark only moves forward.
 * Thread-safe.
 */
final class GapMarks {
    /** The module whose migration scripts create the table. */
    static final String MODULE = "discord";

    private final ModuleState store;
    private final LongSupplier nowMillis;

    GapMarks(ModuleState store, LongSupplier nowMillis) {
        this.store = store;
        this.nowMillis = nowMillis;
    }

    /** The stored marks, at most {@link GapRecovery#CHANNELS}, of the channels written in most recently. */
    Map<String, GapRecovery.Seen> load() {
        Map<String, GapRecovery.Seen> marks = new LinkedHashMap<>();
        store.read(h -> h.createQuery("SELECT channel_id, message_id, dm_user_id FROM discord_gap_marks"
                        + " ORDER BY updated_at DESC LIMIT :limit")
                .bind("limit", GapRecovery.CHANNELS)
                .map((rs, ctx) -> marks.put(rs.getString(1), new GapRecovery.Seen(rs.getLong(2), rs.getString(3))))
                .list());
        return marks;
    }

    /** Stores {@code marks}, keeping a newer one already stored. */
    void save(Map<String, GapRecovery.Seen> marks) {
        if (marks.isEmpty()) return;
        long now = nowMillis.getAsLong();
        store.write(h -> {
            var batch = h.prepareBatch("INSERT INTO discord_gap_marks (channel_id, message_id, dm_user_id, updated_at)"
                    + " VALUES (:channel, :message, :dm, :now) ON CONFLICT (channel_id) DO UPDATE SET"
                    + " message_id = CASE WHEN excluded.message_id > discord_gap_marks.message_id"
                    + " THEN excluded.message_id ELSE discord_gap_marks.message_id END,"
                    + " dm_user_id = COALESCE(excluded.dm_user_id, discord_gap_marks.dm_user_id),"
                    + " updated_at = excluded.updated_at");
            marks.forEach((channel, seen) -> batch.bind("channel", channel)
                    .bind("message", seen.messageId())
                    .bind("dm", seen.dmUserId())
                    .bind("now", now)
                    .add());
            return batch.execute();
        });
    }
}
