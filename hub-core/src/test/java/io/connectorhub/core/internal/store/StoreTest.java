package io.connectorhub.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.Admission;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.MediaRef;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.testing.MutableClock;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The inbox, outbox and sessions, the same on SQLite and on PostgreSQL. */
@ExtendWith(TestPostgres.class)
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class StoreTest {
    @Parameter
    String dialect;

    @TempDir
    Path dir;

    private final List<Store> open = new ArrayList<>();
    private TestStore database;
    private Store store;
    private MutableClock clock;
    private StoreInbox inbox;
    private StoreOutbox outbox;
    private StoreSessions sessions;

    @BeforeEach
    void open(TestDatabase postgres) {
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        database = new TestStore(dialect, dir, postgres);
        store = reopen();
        inbox = new StoreInbox(store, "instance-a", clock);
        outbox = new StoreOutbox(store, "instance-a", clock);
        sessions = new StoreSessions(store, clock);
    }

    /** Another store on the same database, as after a restart. */
    private Store reopen() {
        Store s = database.open();
        open.add(s);
        return s;
    }

    @AfterEach
    void close() {
        open.forEach(Store::close);
    }

    private static InboundMessage message(String id, String text) {
        return InboundMessage.builder("telegram", id)
                .sender("42")
                .chat("7")
                .content(text)
                .media(List.of(MediaRef.of("image", "file-1")))
                .metadata(Map.of("messageId", "99"))
                .build();
    }

    @Test
    void aFailedStatementNamesTheStatementButNoValueBoundToIt() {
        String secret = "a-value-that-must-not-reach-the-log";
        String insert = "INSERT INTO inbox (channel, message_id, session_key, payload, state, received_at)"
                + " VALUES ('telegram', 'dup', 'telegram:7', :payload, 'pending', 0)";
        store.write(h -> h.createUpdate(insert).bind("payload", secret).execute());
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> store.write(
                        h -> h.createUpdate(insert).bind("payload", secret).execute()));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), t.toString());
        }
        assertTrue(e.getMessage().contains("INSERT INTO inbox"), e.getMessage());
    }

    @Test
    void admitsAMessageOnceAndReturnsTheOriginalOnARepeat() {
        Admission first = inbox.admit(message("1", "hello"));
        assertFalse(first.duplicate());
        assertEquals(Admission.State.PENDING, first.state());

        Admission again = inbox.admit(message("1", "changed on redelivery"));
        assertTrue(again.duplicate());
        assertEquals("hello", again.message().content());
        assertEquals(List.of(MediaRef.of("image", "file-1")), again.message().media());
        assertEquals("99", again.message().platformMessageId());
    }

    @Test
    void letsOneWorkerClaimAMessageUntilItsLeaseRunsOut() {
        InboundMessage m = message("1", "hello");
        inbox.admit(m);
        assertTrue(inbox.claim(m, Duration.ofMinutes(1)));
        assertFalse(inbox.claim(m, Duration.ofMinutes(1)), "claimed twice");
        assertEquals(Admission.State.PROCESSING, inbox.admit(m).state());

        clock.advance(Duration.ofMinutes(2));
        assertEquals(
                List.of(m.id()),
                inbox.unfinished(10).stream().map(InboundMessage::id).toList());
        assertTrue(inbox.claim(m, Duration.ofMinutes(1)), "an expired lease is taken over");
    }

    /** An inbox that claims what it admits, as the hub's own (its bus is in-process). */
    private StoreInbox claimingInbox(String instance) {
        return new StoreInbox(store, instance, clock, Duration.ofMinutes(10));
    }

    private static List<String> ids(List<InboundMessage> messages) {
        return messages.stream().map(InboundMessage::id).toList();
    }

    @Test
    void aMessageAdmittedClaimedIsTakenByItsFirstClaimHereAndNoOtherCopy() {
        StoreInbox claiming = claimingInbox("instance-a");
        StoreInbox otherInstance = new StoreInbox(store, "instance-b", clock);
        InboundMessage m = message("1", "hello");
        assertEquals(Admission.State.PENDING, claiming.admit(m).state(), "to be handed to the agent loop");
        assertEquals(Admission.State.PENDING, claiming.admit(m).state(), "a redelivery before the claim: queued too");
        assertTrue(claiming.unfinished(10).isEmpty(), "claimed, so not for the sweep");

        assertFalse(otherInstance.claim(m, Duration.ofMinutes(10)), "another instance waits for the lease");
        assertTrue(claiming.claim(m, Duration.ofMinutes(10)), "the first copy");
        assertFalse(claiming.claim(m, Duration.ofMinutes(10)), "a second copy here");
        assertEquals(Admission.State.PROCESSING, claiming.admit(m).state(), "a redelivery after the claim");

        clock.advance(Duration.ofMinutes(12));
        assertEquals(List.of("1"), ids(claiming.unfinished(10)), "a lease that ran out is swept as before");
        assertTrue(otherInstance.claim(m, Duration.ofMinutes(10)));
    }

    @Test
    void aMessageThatWaitedLongAfterItsClaimedAdmissionGetsAFreshLease() {
        StoreInbox claiming = claimingInbox("instance-a");
        InboundMessage m = message("1", "hello");
        claiming.admit(m);
        clock.advance(Duration.ofMinutes(8)); // queued behind a busy session
        assertTrue(claiming.claim(m, Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(5)); // 13 min after admission, 5 after the claim
        assertTrue(claiming.unfinished(10).isEmpty(), "the lease runs from the claim");
        assertFalse(new StoreInbox(store, "instance-b", clock).claim(m, Duration.ofMinutes(10)));
    }

    @Test
    void aClaimTakenOverFromTheAdmissionHasAWholeLeaseLeft() {
        StoreInbox claiming = claimingInbox("instance-a");
        InboundMessage m = message("1", "hello");
        claiming.admit(m);
        clock.advance(Duration.ofSeconds(59)); // queued for a while
        assertTrue(claiming.claim(m, Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(10).minusSeconds(1)); // not yet 10 min since the claim
        assertFalse(new StoreInbox(store, "instance-b", clock).claim(m, Duration.ofMinutes(10)));
    }

    @Test
    void aCleanStopLeavesTheQueuedAdmissionsPendingAndTheClaimedOnesAlone() {
        StoreInbox claiming = claimingInbox("instance-a");
        InboundMessage answered = message("1", "in the works");
        InboundMessage queued = inChat("8", message("2", "still queued"));
        claiming.admit(answered);
        claiming.admit(queued);
        assertTrue(claiming.claim(answered, Duration.ofMinutes(10)));

        assertEquals(1, claiming.releaseUnclaimed());
        assertEquals(0, claiming.releaseUnclaimed());
        assertEquals(List.of("2"), ids(claiming.unfinished(10)), "another instance's sweep takes it at once");
        assertEquals(Admission.State.PROCESSING, claiming.admit(answered).state());
    }

    @Test
    void aMessageBehindAnUnfinishedOneOfItsSessionWaitsForItEvenAcrossACleanStopAndATakeOver() {
        StoreInbox claiming = claimingInbox("instance-a");
        InboundMessage answered = message("1", "in the works");
        InboundMessage behind = message("2", "same chat, queued behind it");
        claiming.admit(answered);
        clock.advance(Duration.ofMillis(1));
        claiming.admit(behind);
        assertTrue(claiming.claim(answered, Duration.ofMinutes(10)));

        assertEquals(0, claiming.releaseUnclaimed(), "admitted pending: its session had a message unfinished");
        StoreInbox b = new StoreInbox(store, "instance-b", clock);
        assertFalse(b.claim(behind, Duration.ofMinutes(10)), "instance-a still holds the message before it");
        assertEquals(Optional.empty(), b.nextPending(behind.sessionKey()), "the oldest is held, not pending");

        Instances instances = new Instances(store, clock);
        instances.beat("instance-b", clock.instant(), new Instances.Queues(0, 0));
        assertEquals(
                List.of("1"),
                ids(b.takeOver(Duration.ofSeconds(20))),
                "instance-a removed its heartbeat when it stopped: its message is taken over");
        assertFalse(b.claim(behind, Duration.ofMinutes(10)), "the older one comes first");
        assertTrue(b.claim(answered, Duration.ofMinutes(10)));
        b.finish(answered, Admission.State.DONE);
        assertEquals(
                List.of("2"),
                b.nextPending(behind.sessionKey()).stream()
                        .map(InboundMessage::id)
                        .toList());
        assertTrue(b.claim(behind, Duration.ofMinutes(10)));
    }

    @Test
    void aMessageOnALiveInstanceWaitsForAnOlderOneOfItsSessionHeldByADeadInstance() {
        StoreInbox dead = claimingInbox("instance-a");
        StoreInbox live = claimingInbox("instance-b");
        Instances instances = new Instances(store, clock);
        InboundMessage first = message("1", "received by instance-a, which then died");
        InboundMessage second = message("2", "received by instance-b after the take-over of the chat");
        dead.admit(first);
        instances.beat("instance-a", clock.instant(), new Instances.Queues(1, 0));
        clock.advance(Duration.ofSeconds(1));
        live.admit(second);

        assertFalse(live.claim(second, Duration.ofMinutes(10)), "not before the older message of its chat");
        clock.advance(Duration.ofSeconds(21));
        instances.beat("instance-b", clock.instant(), new Instances.Queues(1, 0));
        assertEquals(List.of("1"), ids(live.takeOver(Duration.ofSeconds(20))));
        assertTrue(live.claim(first, Duration.ofMinutes(10)));
        live.finish(first, Admission.State.DONE);
        assertEquals(
                List.of("2"), ids(live.nextPending(second.sessionKey()).stream().toList()));
        assertTrue(live.claim(second, Duration.ofMinutes(10)));
    }

    @Test
    void twoInstancesNeverAnswerOneSessionAtOnce() {
        StoreInbox a = claimingInbox("instance-a");
        StoreInbox b = claimingInbox("instance-b");
        InboundMessage first = message("1", "on instance-a");
        InboundMessage second = message("2", "on instance-b");
        InboundMessage otherChat = inChat("8", message("3", "another chat on instance-b"));
        a.admit(first);
        b.admit(second);
        b.admit(otherChat);
        assertTrue(a.claim(first, Duration.ofMinutes(10)));
        assertFalse(b.claim(second, Duration.ofMinutes(10)), "instance-a is answering its session");
        assertTrue(b.claim(otherChat, Duration.ofMinutes(10)), "other sessions go on");

        a.finish(first, Admission.State.DONE);
        InboundMessage next = a.nextPending(first.sessionKey()).orElseThrow();
        assertEquals("2", next.id());
        assertTrue(a.claim(next, Duration.ofMinutes(10)), "the instance that finished the first answers the second");
        assertFalse(b.claim(second, Duration.ofMinutes(10)), "once");
    }

    @Test
    void takesOverTheMessagesOfAnInstanceThatStoppedBeatingOnceAndOldestFirstWithoutWaitingForTheLease() {
        StoreInbox a = claimingInbox("instance-a");
        StoreInbox b = new StoreInbox(store, "instance-b", clock);
        Instances instances = new Instances(store, clock);
        InboundMessage answering = message("1", "being answered when it died");
        InboundMessage queued = inChat("8", message("2", "queued when it died"));
        a.admit(answering);
        clock.advance(Duration.ofMillis(1));
        a.admit(queued);
        assertTrue(a.claim(answering, Duration.ofMinutes(10)));
        instances.beat("instance-a", clock.instant(), new Instances.Queues(1, 0));
        instances.beat("instance-b", clock.instant(), new Instances.Queues(0, 0));

        clock.advance(Duration.ofSeconds(20));
        assertEquals(List.of(), b.takeOver(Duration.ofSeconds(20)), "instance-a beat 20 s ago: alive");

        clock.advance(Duration.ofSeconds(1));
        instances.beat("instance-b", clock.instant(), new Instances.Queues(0, 0));
        assertEquals(List.of("1", "2"), ids(b.takeOver(Duration.ofSeconds(20))));
        assertEquals(List.of(), b.takeOver(Duration.ofSeconds(20)), "taken once");
        assertTrue(b.claim(answering, Duration.ofMinutes(10)), "pending again, long before the 10 min lease ran out");
        assertEquals(List.of("instance-a"), instances.forgetDead(Duration.ofSeconds(20)));
        assertEquals(
                List.of("instance-b"),
                instances.list().stream().map(Instances.Instance::id).toList());
    }

    @Test
    void keepsEachInstancesLatestHeartbeatWithItsQueuesUntilItStopsCleanly() {
        Instances instances = new Instances(store, clock);
        Instant started = clock.instant();
        instances.beat("instance-a", started, new Instances.Queues(0, 0));
        clock.advance(Duration.ofSeconds(5));
        instances.beat("instance-a", started, new Instances.Queues(3, 1));

        assertEquals(
                List.of(new Instances.Instance("instance-a", started, clock.instant(), new Instances.Queues(3, 1))),
                instances.list());
        instances.remove("instance-a");
        assertEquals(List.of(), instances.list());
    }

    private static InboundMessage inChat(String chat, InboundMessage m) {
        return InboundMessage.builder(m.channel(), m.id())
                .sender(m.senderId())
                .chat(chat)
                .content(m.content())
                .build();
    }

    @Test
    void aClaimedAdmissionWhoseLeaseRanOutAndWasTakenOverIsNotAnsweredHereToo() {
        StoreInbox claiming = claimingInbox("instance-a");
        InboundMessage m = message("1", "hello");
        claiming.admit(m);
        clock.advance(Duration.ofMinutes(12));
        assertTrue(new StoreInbox(store, "instance-b", clock).claim(m, Duration.ofMinutes(10)));
        assertFalse(claiming.claim(m, Duration.ofMinutes(10)), "instance-b holds it now");
    }

    @Test
    void aReleasedAdmissionIsPendingAgainForARedeliveryOrTheSweep() {
        StoreInbox claiming = claimingInbox("instance-a");
        InboundMessage m = message("1", "hello");
        claiming.admit(m);
        claiming.release(m); // the bus was full
        assertEquals(Admission.State.PENDING, claiming.admit(m).state(), "a redelivery is queued");
        assertEquals(List.of("1"), ids(claiming.unfinished(10)));
        assertTrue(claiming.claim(m, Duration.ofMinutes(10)));
        claiming.release(m); // nothing to give back: the claim stands
        assertFalse(claiming.claim(m, Duration.ofMinutes(10)));
    }

    @Test
    void aClaimedAdmissionLeftByACrashIsTakenBackAtTheNextStart() {
        claimingInbox("instance-a").admit(message("1", "hello"));
        StoreInbox restarted = claimingInbox("instance-a");
        assertEquals(1, restarted.releaseOwnLeases());
        InboundMessage m = restarted.unfinished(10).get(0);
        assertTrue(restarted.claim(m, Duration.ofMinutes(10)), "recovered copies are claimed in the store");
    }

    @Test
    void finishesATurnAtomicallyWithHistoryOutboxAndInbox() {
        InboundMessage m = message("1", "hello");
        inbox.admit(m);
        inbox.claim(m, Duration.ofMinutes(1));
        OutboundMessage reply = OutboundMessage.replyTo(m, "r1", "hi there");
        sessions.completeTurn(m, reply, true);

        assertEquals(Admission.State.DONE, inbox.admit(m).state());
        assertFalse(inbox.claim(m, Duration.ofMinutes(1)));
        assertTrue(inbox.unfinished(10).isEmpty());
        List<ChatMessage> history = sessions.history(m.sessionKey(), 10);
        assertEquals(
                List.of("hello", "hi there"),
                history.stream().map(ChatMessage::content).toList());
        assertEquals(
                List.of("r1"),
                outbox.unsent(10).stream().map(OutboundMessage::id).toList());
        assertEquals("99", outbox.unsent(10).get(0).replyTo());
        assertEquals("hi there", outbox.replyTo("telegram", "1").orElseThrow().content());

        outbox.markSent("r1");
        assertTrue(outbox.unsent(10).isEmpty());
        assertEquals(2, sessions.list("telegram:", 10).get(0).messageCount());
    }

    @Test
    void holdsAReplyForTheInstanceThatAnsweredAndHandsItToOneOtherOnceThatInstanceStoppedBeating() {
        StoreInbox a = claimingInbox("instance-a");
        InboundMessage m = message("1", "hello");
        a.admit(m);
        assertTrue(a.claim(m, Duration.ofMinutes(10)));
        sessions.completeTurn(m, OutboundMessage.replyTo(m, "r1", "hi"), true);
        Instances instances = new Instances(store, clock);
        instances.beat("instance-a", clock.instant(), new Instances.Queues(0, 1));
        instances.beat("instance-b", clock.instant(), new Instances.Queues(0, 0));
        StoreOutbox b = new StoreOutbox(store, "instance-b", clock);
        StoreOutbox c = new StoreOutbox(store, "instance-c", clock);
        assertEquals(List.of("r1"), replyIds(outbox.held()), "held by instance-a, whose worker answered");
        assertEquals(List.of(), b.takeOver(Duration.ofSeconds(20), Set.of()), "instance-a is alive");

        clock.advance(Duration.ofSeconds(21));
        instances.beat("instance-b", clock.instant(), new Instances.Queues(0, 0));
        instances.beat("instance-c", clock.instant(), new Instances.Queues(0, 0));
        assertEquals(List.of("r1"), replyIds(b.takeOver(Duration.ofSeconds(20), Set.of())));
        assertEquals(List.of(), c.takeOver(Duration.ofSeconds(20), Set.of()), "taken once");
        assertEquals(List.of(), outbox.held());
        assertEquals(List.of("r1"), replyIds(b.held()));
    }

    @Test
    void aCleanStopGivesBackItsUnsentRepliesForOneOtherInstanceToTake() {
        OutboundMessage unasked = OutboundMessage.to("telegram", "7", "unasked");
        outbox.enqueue(unasked);
        StoreOutbox b = new StoreOutbox(store, "instance-b", clock);
        StoreOutbox c = new StoreOutbox(store, "instance-c", clock);
        assertEquals(List.of(unasked.id()), replyIds(outbox.held()));
        assertTrue(b.take(unasked.id(), Set.of()).isEmpty(), "instance-a holds it");

        assertEquals(1, outbox.release());
        assertEquals(List.of(), outbox.held());
        assertEquals("unasked", b.take(unasked.id(), Set.of()).orElseThrow().content());
        assertTrue(c.take(unasked.id(), Set.of()).isEmpty(), "taken once");
        new Instances(store, clock).beat("instance-b", clock.instant(), new Instances.Queues(0, 0));
        assertEquals(List.of(), c.takeOver(Duration.ofSeconds(20), Set.of()), "instance-b holds it");
        assertEquals(List.of(unasked.id()), replyIds(b.held()));
    }

    @Test
    void aReplyGivenBackIsTakenOnlyByAnInstanceThatCanSendOnItsChannel() {
        OutboundMessage reply = OutboundMessage.to("discord", "7", "for the gateway holder");
        outbox.enqueue(reply);
        StoreOutbox standby = new StoreOutbox(store, "instance-b", clock);
        assertFalse(standby.giveBack(reply.id()), "instance-a holds it");
        assertTrue(outbox.giveBack(reply.id()));

        StoreOutbox holder = new StoreOutbox(store, "instance-c", clock);
        assertEquals(List.of(), outbox.held());
        assertTrue(standby.take(reply.id(), Set.of("discord")).isEmpty(), "instance-b cannot send on discord");
        assertEquals(List.of(), standby.takeOver(Duration.ofSeconds(20), Set.of("discord", "feishu")));
        assertEquals(List.of(reply.id()), replyIds(holder.takeOver(Duration.ofSeconds(20), Set.of("feishu"))));
        assertTrue(standby.take(reply.id(), Set.of()).isEmpty(), "taken once");
        assertEquals(List.of(reply.id()), replyIds(holder.held()));
    }

    private static List<String> replyIds(List<OutboundMessage> messages) {
        return messages.stream().map(OutboundMessage::id).toList();
    }

    @Test
    void keepsCommandsAndApologiesOutOfTheHistory() {
        InboundMessage m = message("1", "/reset");
        inbox.admit(m);
        sessions.completeTurn(m, OutboundMessage.replyTo(m, "r1", "forgotten"), false);
        assertTrue(sessions.history(m.sessionKey(), 10).isEmpty());
        assertEquals(1, outbox.unsent(10).size());
    }

    @Test
    void returnsTheLastMessagesOldestFirst() {
        for (int i = 0; i < 5; i++) {
            InboundMessage m = message("m" + i, "q" + i);
            inbox.admit(m);
            sessions.completeTurn(m, OutboundMessage.replyTo(m, "r" + i, "a" + i), true);
        }
        assertEquals(
                List.of("q4", "a4"),
                sessions.history("telegram:7", 2).stream()
                        .map(ChatMessage::content)
                        .toList());
        assertTrue(sessions.clear("telegram:7"));
        assertTrue(sessions.history("telegram:7", 10).isEmpty());
        assertTrue(sessions.delete("telegram:7"));
        assertFalse(sessions.delete("telegram:7"));
    }

    @Test
    void givesBackTheLeasesOfTheSameInstanceAfterARestart() {
        InboundMessage m = message("1", "hello");
        inbox.admit(m);
        inbox.claim(m, Duration.ofHours(1));
        assertTrue(inbox.unfinished(10).isEmpty(), "a live lease is not unfinished work");

        StoreInbox otherInstance = new StoreInbox(reopen(), "instance-b", clock);
        assertEquals(0, otherInstance.releaseOwnLeases());
        StoreInbox restarted = new StoreInbox(reopen(), "instance-a", clock);
        assertEquals(1, restarted.releaseOwnLeases());
        assertEquals(
                List.of("1"),
                restarted.unfinished(10).stream().map(InboundMessage::id).toList());
    }

    @Test
    void prunesFinishedMessagesAfterTheRetention() {
        InboundMessage m = message("1", "hello");
        inbox.admit(m);
        inbox.finish(m, Admission.State.DENIED);
        assertEquals(0, inbox.prune(Duration.ofDays(7)));
        clock.advance(Duration.ofDays(8));
        assertEquals(1, inbox.prune(Duration.ofDays(7)));
        assertFalse(inbox.admit(m).duplicate());
    }

    @Test
    void expiresUnansweredMessagesStoredLongerAgoThanTheLimitAndKeepsThemForTheRetention() {
        InboundMessage old = message("old", "stored before the outage");
        InboundMessage held = inChat("8", message("held", "a worker holds it"));
        inbox.admit(old);
        inbox.admit(held);
        inbox.claim(held, Duration.ofHours(2));
        clock.advance(Duration.ofSeconds(2));
        InboundMessage young = message("young", "stored a little later");
        inbox.admit(young);
        clock.advance(Duration.ofHours(1).minusSeconds(1)); // old: 1h 1s ago, young: 59m 59s ago

        assertEquals(Map.of("telegram", List.of("old")), inbox.expire(Duration.ofHours(1)));
        assertEquals(Admission.State.EXPIRED, inbox.admit(old).state());
        assertFalse(inbox.claim(old, Duration.ofMinutes(1)), "an expired message is never answered");
        assertEquals(
                List.of("young"),
                inbox.unfinished(10).stream().map(InboundMessage::id).toList());
        assertEquals(Map.of(), inbox.expire(Duration.ofHours(1)), "counted once");

        clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertEquals(1, inbox.prune(Duration.ofDays(7)), "kept for the retention like an answered one");
    }

    @Test
    void expiresUnsentRepliesStoredLongerAgoThanTheLimit() {
        OutboundMessage old = OutboundMessage.to("telegram", "7", "stale");
        OutboundMessage sent = OutboundMessage.to("telegram", "7", "delivered");
        outbox.enqueue(old);
        outbox.enqueue(sent);
        outbox.markSent(sent.id());
        clock.advance(Duration.ofSeconds(2));
        OutboundMessage young = OutboundMessage.to("telegram", "7", "recent");
        outbox.enqueue(young);
        clock.advance(Duration.ofHours(1).minusSeconds(1));

        assertEquals(Map.of("telegram", List.of(old.id())), outbox.expire(Duration.ofHours(1)));
        assertEquals(
                List.of(young.id()),
                outbox.unsent(10).stream().map(OutboundMessage::id).toList());
        assertFalse(outbox.expire(young.id(), Duration.ofHours(1)), "59m 59s old");
        clock.advance(Duration.ofSeconds(1));
        assertFalse(outbox.expire(young.id(), Duration.ofHours(1)), "exactly 1h old is not older than 1h");
        clock.advance(Duration.ofMillis(1));
        assertTrue(outbox.expire(young.id(), Duration.ofHours(1)));
        assertTrue(outbox.unsent(10).isEmpty());

        clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertEquals(3, outbox.prune(Duration.ofDays(7)), "expired replies are pruned like sent ones");
    }

    @Test
    void migratesOnlyOnce() {
        Store again = reopen();
        again.state("core");
        assertEquals(
                List.of("1", "2", "3", "4", "5", "6", "7"),
                again.read(h -> h.createQuery(
                                "SELECT version FROM flyway_core_history WHERE success ORDER BY installed_rank")
                        .mapTo(String.class)
                        .list()));
    }
}
