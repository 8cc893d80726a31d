package io.connectorhub.core.internal.store;

import io.connectorhub.core.Admission;
import io.connectorhub.core.Admission.State;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Inbox;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The inbox in the {@link Store}, SQLite or PostgreSQL (the same SQL on both). {@code owner} names this hub instance in leases; it must be stable across restarts of the
 * same instance (so {@link #releaseOwnLeases()} can take back what a crash left behind) and distinct between
 * instances sharing a database.
 *
 * <p><b>One session at a time, in order.</b> A {@link #claim} is refused while a message of the same session must be
 * answered first: an older one not finished (pending, or held by any instance, a dead one's included), or one
 * another instance is answering. The worker that finishes a message then takes the session's next one
 * ({@link #nextPending}), so a message that arrived on one instance while an older one of its chat was answered, or
 * waited to be taken over, on another is answered after it. On PostgreSQL the admissions of one session take turns
 * (a transaction-scoped advisory lock on the session key), so each sees the one before it.
 *
 * <p><b>Claim on admission.</b> With an {@code admissionLease}, a new message whose session has no unfinished message
 * is stored already claimed by this instance, for that lease and a tenth more (else pending, for the claim to
 * check its turn), and the first {@link #claim} of it in this process takes that claim over
 * without a second write while at least a whole lease is left (one write fewer per message, and one wait for the
 * store's writer fewer on the way to the agent). That is right only when the instance that admits a message is the
 * one whose agent loop takes it from the bus, as with the in-process bus; with a bus shared between instances, pass
 * no lease and messages are admitted pending, to be claimed by whichever instance takes them. Other copies of the
 * message (the sweep, a restart) find it processing under this instance's lease, as if claimed by the agent loop; a
 * redelivery that arrives before the first claim is reported pending, so it is queued too (its publishing may
 * succeed where the first copy's fails), and the claims let one copy through. A crash leaves the messages admitted
 * but not yet claimed under this instance's lease: its next start takes them back at once, another instance
 * ({@link #takeOver}) once this one's heartbeat is older than {@code cluster.deadAfter}. {@link #releaseUnclaimed()}
 * hands them back on a clean stop, and on PostgreSQL wakes the other instances for them ({@link #WAKE_CHANNEL}).
 */
public final class StoreInbox implements Inbox {
    private final Store store;
    private final String owner;
    private final Clock clock;
    private final Duration admissionLease;
    /** Messages this process admitted claimed and has not handed to a claim yet, with the lease end written. */
    private final Map<Key, Long> claimedAtAdmission = new ConcurrentHashMap<>();

    /** Names the inbox row of a message. */
    private record Key(String channel, String id) {
        static Key of(InboundMessage message) {
            return new Key(message.channel(), message.id());
        }
    }

    /** The row is still as this instance's admission left it: no claim, release or takeover changed it since. */
    private static final String AS_ADMITTED = "WHERE channel = :channel AND message_id = :id "
            + "AND state = 'processing' AND owner = :owner AND lease_until = :admittedUntil";

    /**
     * A message of the same session that must be answered first: an unfinished older one (pending, or processing
     * wherever, also under a lease that ran out), or one another instance is answering now.
     */
    private static final String BEFORE_IT = "(SELECT 1 FROM inbox o WHERE o.session_key = inbox.session_key "
            + "AND o.state IN ('pending', 'processing') AND NOT (o.channel = inbox.channel AND o.message_id = inbox.message_id) "
            + "AND (o.received_at < inbox.received_at OR (o.received_at = inbox.received_at AND o.rowid < inbox.rowid) "
            + "OR (o.state = 'processing' AND o.owner <> :owner)))";

    /** The PostgreSQL channel on which an instance names the messages it made pending for the others to take. */
    public static final String WAKE_CHANNEL = "hub_inbox";

    /** Rows that may be taken: pending, or processing under a lease that ran out. */
    private static final String TAKEABLE = "(state = 'pending' OR (state = 'processing' AND lease_until < :now))";

    public StoreInbox(Store store, String owner, Clock clock) {
        this(store, owner, clock, null);
    }

    /** @param admissionLease if not null, new messages are admitted claimed for this long (see the class comment) */
    public StoreInbox(Store store, String owner, Clock clock, Duration admissionLease) {
        this.store = store;
        this.owner = owner;
        this.clock = clock;
        this.admissionLease = admissionLease;
    }

    /**
     * {@inheritDoc} A new message is reported {@link State#PENDING} (for the agent loop to take) even when it is
     * stored claimed at admission.
     */
    @Override
    public Admission admit(InboundMessage message) {
        String payload = Codec.encode(message); // here, not on the store's one writer thread
        long now = clock.millis();
        Long leaseUntil = admissionLease == null ? null : now + admissionLease.toMillis() * 11 / 10;
        boolean[] claimed = {false};
        Admission admission = store.write(h -> {
            if (store.dialect().equals("postgresql")) {
                // admissions of one session queue here across instances, so the check below sees the one before
                h.createQuery("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                        .bind("key", "connector-hub session " + message.sessionKey())
                        .mapTo(String.class)
                        .one();
            }
            boolean claim = leaseUntil != null
                    && !h.createQuery("SELECT EXISTS (SELECT 1 FROM inbox WHERE session_key = :session "
                                    + "AND state IN ('pending', 'processing'))")
                            .bind("session", message.sessionKey())
                            .mapTo(Boolean.class)
                            .one();
            int inserted = h.createUpdate("INSERT INTO inbox "
                            + "(channel, message_id, session_key, payload, state, owner, lease_until, received_at) "
                            + "VALUES (:channel, :id, :session, :payload, :state, :owner, :until, :now) "
                            + "ON CONFLICT (channel, message_id) DO NOTHING")
                    .bind("channel", message.channel())
                    .bind("id", message.id())
                    .bind("session", message.sessionKey())
                    .bind("payload", payload)
                    .bind("state", claim ? "processing" : "pending")
                    .bind("owner", claim ? owner : null)
                    .bind("until", claim ? leaseUntil : null)
                    .bind("now", now)
                    .execute();
            claimed[0] = claim && inserted == 1;
            if (inserted == 1) return new Admission(State.PENDING, false, message);
            return h.createQuery("SELECT state, payload FROM inbox WHERE channel = :channel AND message_id = :id")
                    .bind("channel", message.channel())
                    .bind("id", message.id())
                    .map((rs, ctx) -> new Admission(
                            claimedAtAdmission.containsKey(Key.of(message))
                                    ? State.PENDING
                                    : state(rs.getString("state")),
                            true,
                            Codec.decode(rs.getString("payload"), InboundMessage.class)))
                    .one();
        });
        if (claimed[0]) claimedAtAdmission.put(Key.of(message), leaseUntil);
        return admission;
    }

    /**
     * {@inheritDoc} The first claim of a message this instance admitted claimed takes that claim over: without a
     * write while at least {@code lease} is left of it, else by renewing the lease (unless it ran out and another
     * worker took the message meanwhile).
     */
    @Override
    public boolean claim(InboundMessage message, Duration lease) {
        long now = clock.millis();
        Long admittedUntil = claimedAtAdmission.remove(Key.of(message));
        if (admittedUntil != null) {
            if (admittedUntil - now >= lease.toMillis()) return true;
            return store.write(h -> h.createUpdate("UPDATE inbox SET lease_until = :until " + AS_ADMITTED)
                            .bind("until", now + lease.toMillis())
                            .bind("channel", message.channel())
                            .bind("id", message.id())
                            .bind("owner", owner)
                            .bind("admittedUntil", admittedUntil)
                            .execute())
                    == 1;
        }
        return store.write(h -> h.createUpdate(
                                "UPDATE inbox SET state = 'processing', owner = :owner, lease_until = :until "
                                        + "WHERE channel = :channel AND message_id = :id AND " + TAKEABLE
                                        + " AND NOT EXISTS " + BEFORE_IT)
                        .bind("owner", owner)
                        .bind("until", now + lease.toMillis())
                        .bind("now", now)
                        .bind("channel", message.channel())
                        .bind("id", message.id())
                        .execute())
                == 1;
    }

    @Override
    public void release(InboundMessage message) {
        Key key = Key.of(message);
        Long admittedUntil = claimedAtAdmission.remove(key);
        if (admittedUntil != null) release(Map.of(key, admittedUntil));
    }

    /**
     * Makes pending again every message this process admitted claimed that no claim has taken yet (queued when the
     * agent loop stopped), so that another instance need not wait for the lease. (None of them waits behind an older
     * message of its session: a message is admitted claimed only when its session has no unfinished one.) Call when
     * stopping, after the agent loop and the channels stopped. Returns how many.
     */
    public int releaseUnclaimed() {
        Map<Key, Long> left = new HashMap<>();
        for (Key key : List.copyOf(claimedAtAdmission.keySet())) {
            Long admittedUntil = claimedAtAdmission.remove(key);
            if (admittedUntil != null) left.put(key, admittedUntil);
        }
        return left.isEmpty() ? 0 : release(left);
    }

    /**
     * Makes the given admissions (key → lease end written) pending again unless a claim changed them since, oldest
     * first, and wakes the other instances for them.
     */
    private int release(Map<Key, Long> admitted) {
        return store.write(h -> {
            List<Key> oldestFirst = h.createQuery("SELECT channel, message_id FROM inbox "
                            + "WHERE state = 'processing' AND owner = :owner ORDER BY received_at, rowid")
                    .bind("owner", owner)
                    .map((rs, ctx) -> new Key(rs.getString(1), rs.getString(2)))
                    .filter(admitted::containsKey)
                    .list();
            List<Key> released = new ArrayList<>();
            for (Key key : oldestFirst) {
                int changed = h.createUpdate(
                                "UPDATE inbox SET state = 'pending', owner = NULL, lease_until = NULL " + AS_ADMITTED)
                        .bind("channel", key.channel())
                        .bind("id", key.id())
                        .bind("owner", owner)
                        .bind("admittedUntil", admitted.get(key))
                        .execute();
                if (changed == 1) released.add(key);
            }
            wake(h, released);
            return released.size();
        });
    }

    /**
     * On PostgreSQL, tells the other instances ({@link #WAKE_CHANNEL}) that these messages are pending now: the
     * payload is {@code <instance> <channel> <message id>}, delivered when the transaction commits.
     */
    private void wake(Handle h, List<Key> pending) {
        if (!store.dialect().equals("postgresql")) return;
        for (Key key : pending) PostgresStore.notify(h, WAKE_CHANNEL, owner + " " + key.channel() + " " + key.id());
    }

    /**
     * Makes pending again, oldest first, the messages held by instances that stopped beating for {@code deadAfter}
     * (see {@link Instances}), whatever their lease, and returns them for this instance to queue. On PostgreSQL two
     * instances taking over at once take each message once: the second waits for the first's row lock, and then the
     * row no longer matches.
     */
    public List<InboundMessage> takeOver(Duration deadAfter) {
        record Taken(InboundMessage message, long receivedAt, long rowid) {}
        return store
                .write(h -> h.createQuery("UPDATE inbox SET state = 'pending', owner = NULL, lease_until = NULL "
                                + "WHERE state = 'processing' AND owner <> :owner "
                                + "AND owner NOT IN (SELECT id FROM instances WHERE last_seen >= :cutoff) "
                                + "RETURNING payload, received_at, rowid")
                        .bind("owner", owner)
                        .bind("cutoff", clock.millis() - deadAfter.toMillis())
                        .map((rs, ctx) -> new Taken(
                                Codec.decode(rs.getString(1), InboundMessage.class), rs.getLong(2), rs.getLong(3)))
                        .list())
                .stream()
                .sorted(Comparator.comparingLong(Taken::receivedAt).thenComparingLong(Taken::rowid))
                .map(Taken::message)
                .toList();
    }

    /** The message if it is stored and pending (no worker holds it), for a wake-up naming it. */
    public Optional<InboundMessage> pending(String channel, String id) {
        return store.read(h -> h.createQuery(
                        "SELECT payload FROM inbox WHERE channel = :channel AND message_id = :id AND state = 'pending'")
                .bind("channel", channel)
                .bind("id", id)
                .map((rs, ctx) -> Codec.decode(rs.getString(1), InboundMessage.class))
                .findOne());
    }

    @Override
    public Optional<InboundMessage> nextPending(String sessionKey) {
        return store.read(h -> h.createQuery("SELECT state, payload FROM inbox WHERE session_key = :session "
                        + "AND state IN ('pending', 'processing') ORDER BY received_at, rowid LIMIT 1")
                .bind("session", sessionKey)
                .map((rs, ctx) ->
                        rs.getString(1).equals("pending") ? Codec.decode(rs.getString(2), InboundMessage.class) : null)
                .findFirst()
                .filter(Objects::nonNull));
    }

    @Override
    public void finish(InboundMessage message, State state) {
        store.write(h -> h.createUpdate(
                        "UPDATE inbox SET state = :state, completed_at = :now, owner = NULL, lease_until = NULL "
                                + "WHERE channel = :channel AND message_id = :id")
                .bind("state", state.name().toLowerCase(Locale.ROOT))
                .bind("now", clock.millis())
                .bind("channel", message.channel())
                .bind("id", message.id())
                .execute());
    }

    @Override
    public List<InboundMessage> unfinished(Duration olderThan, int limit) {
        return store.read(h -> h.createQuery("SELECT payload FROM inbox "
                        + "WHERE (state = 'pending' AND received_at <= :cutoff) "
                        + "OR (state = 'processing' AND lease_until < :now) "
                        + "ORDER BY received_at, rowid LIMIT :limit")
                .bind("now", clock.millis())
                .bind("cutoff", clock.millis() - olderThan.toMillis())
                .bind("limit", limit)
                .map((rs, ctx) -> Codec.decode(rs.getString(1), InboundMessage.class))
                .list());
    }

    /**
     * Returns to {@code pending} the messages this instance was processing when it last stopped (a crash or a
     * kill), so they are processed again. Call once at start-up, before anything is claimed.
     */
    public int releaseOwnLeases() {
        return store.write(h -> h.createUpdate("UPDATE inbox SET state = 'pending', owner = NULL, lease_until = NULL "
                        + "WHERE state = 'processing' AND owner = :owner")
                .bind("owner", owner)
                .execute());
    }

    /**
     * Marks {@code expired} the unfinished messages (pending, or processing under a lease that ran out) stored more
     * than {@code olderThan} ago, so they are never answered; they are kept and pruned like answered ones. A message
     * a worker holds under a live lease is left alone. Returns their ids per channel.
     */
    public Map<String, List<String>> expire(Duration olderThan) {
        long now = clock.millis();
        // state IN (...) first, so that the index of unfinished messages serves this every sweep
        return store.write(h -> h.createQuery(
                        "UPDATE inbox SET state = 'expired', completed_at = :now, owner = NULL, lease_until = NULL "
                                + "WHERE state IN ('pending', 'processing') AND received_at < :cutoff AND "
                                + TAKEABLE + " RETURNING channel, message_id")
                .bind("now", now)
                .bind("cutoff", now - olderThan.toMillis())
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList()))));
    }

    /** Forgets finished messages older than {@code retention}; a redelivery after that would be handled again. */
    public int prune(Duration retention) {
        return store.write(
                h -> h.createUpdate("DELETE FROM inbox WHERE completed_at IS NOT NULL AND completed_at < :cutoff")
                        .bind("cutoff", clock.millis() - retention.toMillis())
                        .execute());
    }

    static State state(String stored) {
        return State.valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
