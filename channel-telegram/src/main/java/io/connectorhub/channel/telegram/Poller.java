package io.connectorhub.channel.telegram;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import okhttp3.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Long polling with {@code getUpdates}, driven here rather than by the library's poller so that the offset, which
 * confirms updates to Telegram, only moves past an update once {@link Intake#take} returned (the update is in the
 * inbox). Errors back off exponentially; 409 Conflict and refused tokens are reported once with the fix. A
 * watchdog cancels a poll that hangs past its timeout and restarts a poll thread that died. Start and stop may be
 * called repeatedly (webhook registration stops polling, removal starts it again); one loop polls at a time: a
 * loop belongs to one start (its generation) and ends as soon as that start is stopped, and start waits for the
 * last loop to end (or refuses), so two loops never share the offset.
 */
final class Poller {
    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    /** Stores one update; throws if it could not, so the update is not confirmed. */
    interface Intake {
        void take(Update update) throws Exception;
    }

    private final TelegramClient client;
    private final Dispatcher dispatcher;
    private final Duration timeout;
    private final Intake intake;
    private final Consumer<String> reportError;
    private final IntervalFunction backoff;
    private final LongSupplier nowMillis;
    private volatile boolean running;
    /** Counts starts and stops; a loop or watchdog of an older generation ends at its next check. */
    private volatile int generation;

    private volatile long pollStartedAt;
    private volatile boolean restarted;
    private volatile Thread thread;
    private Thread watchdog;
    private volatile Integer offset;
    private volatile int reported;

    Poller(
            TelegramClient client,
            Dispatcher dispatcher,
            Duration timeout,
            Intake intake,
            Consumer<String> reportError,
            IntervalFunction backoff,
            LongSupplier nowMillis) {
        this.client = client;
        this.dispatcher = dispatcher;
        this.timeout = timeout;
        this.intake = intake;
        this.reportError = reportError;
        this.backoff = backoff;
        this.nowMillis = nowMillis;
    }

    /**
     * Starts polling. If the loop of the last start is still ending (a stop waits only a few seconds, for example
     * while the inbox stores an update), waits for it a little longer and refuses if it still runs.
     */
    synchronized void start() {
        if (running) return;
        for (Thread t : new Thread[] {thread, watchdog}) {
            if (t == null || !t.isAlive()) continue;
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive())
                throw new IllegalStateException("Telegram polling was stopped but its last poll has not ended yet"
                        + " (an update is still being stored); try again in a few seconds");
        }
        int current = ++generation;
        running = true;
        thread = Thread.ofVirtual().name("telegram-poll").start(() -> loop(current));
        watchdog = Thread.ofVirtual().name("telegram-poll-watchdog").start(() -> watch(current));
    }

    private boolean current(int loopGeneration) {
        return running && generation == loopGeneration;
    }

    boolean running() {
        return running;
    }

    /** Stops polling; an update fetched but not yet stored is left unconfirmed, so Telegram delivers it again. */
    synchronized void stop() {
        if (!running) return;
        running = false;
        generation++;
        dispatcher.cancelAll();
        for (Thread t : new Thread[] {thread, watchdog}) {
            if (t == null) continue;
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop(int gen) {
        int failures = 0;
        while (current(gen)) {
            List<Update> updates;
            TelegramApiException error = null;
            try {
                pollStartedAt = nowMillis.getAsLong();
                updates = client.execute(GetUpdates.builder()
                        .offset(offset)
                        .timeout((int) timeout.toSeconds())
                        .allowedUpdates(List.of("message"))
                        .build());
            } catch (TelegramApiException e) {
                updates = null;
                error = e;
            } finally {
                pollStartedAt = 0;
            }
            if (error != null) {
                if (!current(gen)) return;
                if (restarted) {
                    restarted = false; // the watchdog cancelled this poll and has said so: poll again at once
                    continue;
                }
                failures++;
                failed(error, failures);
                if (!pause(backoff.apply(failures), gen)) return;
                continue;
            }
            if (reported != 0) {
                log.info("Telegram polling works again");
                reportError.accept(null);
                reported = 0;
            }
            failures = 0;
            for (Update update : updates) {
                if (!current(gen)) return;
                try {
                    intake.take(update);
                    if (!current(gen)) return; // stopped meanwhile: the next start fetches it again, de-duplicated
                    offset = update.getUpdateId() + 1;
                } catch (Exception e) {
                    // Not stored: the offset stays, so the next getUpdates delivers this update again.
                    failures++;
                    log.warn(
                            "Could not store Telegram update {}; it will be fetched again: {}",
                            update.getUpdateId(),
                            e.getMessage());
                    if (!pause(backoff.apply(failures), gen)) return;
                    break;
                }
            }
        }
    }

    private void failed(TelegramApiException e, int failures) {
        Integer code = e instanceof TelegramApiRequestException r ? r.getErrorCode() : null;
        String problem;
        if (code != null && code == 409) {
            problem = "Telegram answered 409 Conflict to getUpdates: another process is polling with this bot token,"
                    + " or a webhook is set for it. Stop the other process, or remove the webhook (admin API, or the"
                    + " Bot API's deleteWebhook), or set channels.telegram.mode: webhook. Retrying with backoff.";
        } else if (code != null && (code == 401 || code == 404)) {
            problem = "Telegram refused the bot token (" + code + "): set a valid token from @BotFather in"
                    + " channels.telegram.token or TELEGRAM_BOT_TOKEN. Retrying with backoff.";
        } else if (code != null) {
            problem = "Telegram answered getUpdates with error " + code + ": " + e.getMessage();
        } else {
            problem = "Cannot reach the Telegram Bot API (check the network and channels.telegram.apiUrl): "
                    + rootMessage(e);
        }
        int kind = code == null ? -1 : code;
        if (reported != kind) {
            log.warn(problem);
            reportError.accept(problem);
            reported = kind;
        } else {
            log.debug("getUpdates failed again ({} in a row): {}", failures, e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private boolean pause(long millis, int gen) {
        try {
            Thread.sleep(millis);
            return current(gen);
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Cancels a poll that hangs well past its timeout, and restarts the poll thread if it died. */
    private void watch(int gen) {
        long stuckAfter = timeout.toMillis() * 2 + 5_000;
        while (current(gen)) {
            if (!pause(Math.min(2_000, timeout.toMillis()), gen)) return;
            long started = pollStartedAt;
            if (started != 0 && nowMillis.getAsLong() - started > stuckAfter) {
                log.warn("Telegram getUpdates has hung for over {}s; cancelling it to poll again", stuckAfter / 1000);
                restarted = true;
                dispatcher.cancelAll();
            }
            Thread t = thread;
            if (current(gen) && t != null && !t.isAlive()) {
                log.warn("The Telegram poll thread stopped unexpectedly; restarting it");
                thread = Thread.ofVirtual().name("telegram-poll").start(() -> loop(gen));
            }
        }
    }
}
