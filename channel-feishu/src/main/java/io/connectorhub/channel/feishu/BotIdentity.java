package io.connectorhub.channel.feishu;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's own open_id, from {@code GET /open-apis/bot/v3/info}, which tells a group mention of the bot from a
 * mention of someone else. Read once at start; if that fails, it is read again when a group message with mentions
 * arrives, at most once per {@link #retryEvery} and on a thread of its own, the caller waiting only briefly for it.
 * While it stays unknown, no mention counts as one of the bot (the bot stays quiet in groups rather than answering
 * every @person), and the channel status says so. Thread-safe.
 */
final class BotIdentity {
    private static final Logger log = LoggerFactory.getLogger(BotIdentity.class);

    /** Reads the open_id from the platform. */
    interface Fetch {
        String openId() throws Exception;
    }

    private final Fetch fetch;
    private final Clock clock;
    private final Consumer<String> onKnown;
    private final Consumer<String> onProblem;
    private final Duration retryEvery;
    private volatile String openId;
    private Instant lastAttempt; // guarded by this
    private CompletableFuture<String> inFlight; // guarded by this

    /**
     * @param retryEvery the least time between two reads while the open_id is unknown
     * @param onKnown told the open_id once it is known
     * @param onProblem told what went wrong and how to fix it, or null once it is resolved
     */
    BotIdentity(Fetch fetch, Clock clock, Duration retryEvery, Consumer<String> onKnown, Consumer<String> onProblem) {
        this.fetch = fetch;
        this.clock = clock;
        this.retryEvery = retryEvery;
        this.onKnown = onKnown;
        this.onProblem = onProblem;
    }

    /** Reads the open_id on the caller's thread (at start); a failure is reported, not thrown. */
    void fetchNow() {
        CompletableFuture<String> started = new CompletableFuture<>();
        synchronized (this) {
            lastAttempt = clock.instant();
            inFlight = started; // an event arriving meanwhile waits for this read like for any other
        }
        run(started);
    }

    /**
     * The open_id, or null while unknown. If unknown and no attempt was made within {@link #retryEvery}, starts one
     * in the background; waits up to {@code wait} for an attempt under way.
     */
    String get(Duration wait) {
        String known = openId;
        if (known != null) return known;
        CompletableFuture<String> attempt;
        synchronized (this) {
            if (openId != null) return openId;
            Instant now = clock.instant();
            if (inFlight == null && (lastAttempt == null || !now.isBefore(lastAttempt.plus(retryEvery)))) {
                lastAttempt = now;
                CompletableFuture<String> started = new CompletableFuture<>();
                inFlight = started;
                Thread.ofVirtual().name("feishu-bot-info").start(() -> run(started));
            }
            attempt = inFlight;
        }
        if (attempt == null) return null;
        try {
            return attempt.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("The bot's open_id is still being read; this message is handled without it");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private void run(CompletableFuture<String> started) {
        String id = null;
        try {
            id = attempt();
        } finally {
            // Cleared before completing, so whoever sees the result may start the next attempt.
            synchronized (this) {
                if (inFlight == started) inFlight = null;
            }
            started.complete(id);
        }
    }

    private String attempt() {
        try {
            String id = fetch.openId();
            if (id == null || id.isEmpty()) throw new IllegalStateException("the answer has no bot.open_id");
            openId = id;
            onKnown.accept(id);
            onProblem.accept(null);
            log.info("Feishu bot open_id is {}", id);
            return id;
        } catch (Exception e) {
            String problem = "could not read the bot's open_id from /open-apis/bot/v3/info (" + e.getMessage()
                    + "), so group mentions are not recognised and the bot stays quiet in groups (private chats"
                    + " work); it is read again when a group message mentions someone, at most once per"
                    + " channels.feishu.botInfoRetry ("
                    + retryEvery.toString().substring(2).toLowerCase()
                    + "). Fix: enable the Bot feature under Add Features in the developer"
                    + " console and publish a new version, and check channels.feishu.appId and appSecret";
            log.warn(problem);
            onProblem.accept(problem);
            return null;
        }
    }
}
