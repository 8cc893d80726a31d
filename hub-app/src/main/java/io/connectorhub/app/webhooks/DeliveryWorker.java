package io.connectorhub.app.webhooks;

import io.connectorhub.app.webhooks.WebhookDeliveries.Attempt;
import io.connectorhub.app.webhooks.WebhookDeliveries.Delivery;
import io.connectorhub.app.webhooks.WebhookEndpoints.Endpoint;
import io.connectorhub.core.RetryAfter;
import io.connectorhub.core.Service;
import io.connectorhub.core.internal.net.TargetGuard;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the deliveries of the outbox table: each one when it is due by the clock, signed afresh on every attempt
 * with the same {@code webhook-id}. A 2xx ends it; 410 disables the endpoint; anything else (3xx included: redirects
 * are not followed, and no response at all) is retried on {@link #schedule}, waiting at least what
 * {@code Retry-After} asks, until {@code maxAttempts}. An endpoint that has failed without one success for
 * {@code disableAfter} is disabled. Runs on its own thread; deliveries go out concurrently on virtual threads.
 */
public final class DeliveryWorker implements Service {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);
    private static final int MAX_IN_FLIGHT = 64;

    /** What the worker needs from the configuration. */
    public record Settings(int maxAttempts, List<Duration> schedule, Duration disableAfter) {}

    private final WebhookDeliveries deliveries;
    private final WebhookEndpoints endpoints;
    private final Hooks hooks;
    private final OkHttpClient http;
    private final Clock clock;
    private final Settings settings;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final Object wake = new Object();
    private ExecutorService senders;
    private Thread loop;
    private volatile boolean running;
    private volatile Runnable onDisable = () -> {};

    /** @param http a client that does not follow redirects and connects through a {@link TargetGuard} */
    public DeliveryWorker(
            WebhookDeliveries deliveries,
            WebhookEndpoints endpoints,
            Hooks hooks,
            OkHttpClient http,
            Clock clock,
            Settings settings) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.hooks = hooks;
        this.http = http;
        this.clock = clock;
        this.settings = settings;
    }

    /** A client for deliveries derived from the hub's: no redirects, only where the guard allows, the timeout. */
    public static OkHttpClient client(OkHttpClient shared, TargetGuard guard, Duration timeout) {
        return guard.apply(shared.newBuilder())
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout.multipliedBy(2))
                .build();
    }

    /** Called after the worker disabled an endpoint (410, or failing too long). */
    public void onDisable(Runnable listener) {
        this.onDisable = listener;
    }

    private void disable(Endpoint endpoint, String reason) {
        endpoints.disable(endpoint.id(), reason);
        log.warn("Disabled webhook endpoint {}: {}", endpoint.id(), reason);
        onDisable.run();
    }

    @Override
    public void start() {
        running = true;
        senders = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("webhook-send-", 0).factory());
        loop = Thread.ofPlatform().name("webhook-deliveries").daemon().start(this::run);
    }

    /** Looks for due deliveries now rather than at the next poll (after an enqueue, or a clock change in tests). */
    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                try {
                    sendDue();
                } catch (RuntimeException e) {
                    // e.g. the database is unreachable: try again at the next poll, not at once in a tight loop
                    log.error("Webhook delivery loop failed; retrying in {} ms", POLL.toMillis(), e);
                }
                synchronized (wake) {
                    wake.wait(POLL.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sendDue() throws InterruptedException {
        for (Delivery d : deliveries.due(clock.instant(), MAX_IN_FLIGHT)) {
            if (!running) return;
            if (!inFlight.add(d.id())) continue;
            slots.acquire();
            senders.submit(() -> {
                try {
                    attempt(d);
                } catch (RuntimeException e) {
                    log.error("Webhook delivery {} failed unexpectedly", d.id(), e);
                } finally {
                    inFlight.remove(d.id());
                    slots.release();
                }
            });
        }
    }

    private void attempt(Delivery listed) {
        Instant now = clock.instant();
        // The list may have been read while this delivery's previous attempt was being recorded: go by the row.
        Delivery d = deliveries.find(listed.id()).orElse(null);
        if (d == null
                || !d.state().equals("pending")
                || d.attempts() != listed.attempts()
                || d.nextAttemptAt().isAfter(now)) return;
        Endpoint endpoint = null;
        List<String> secrets;
        String url = d.url();
        if (d.endpointId() != null) {
            Optional<Endpoint> found = endpoints.find(d.endpointId());
            if (found.isEmpty() || !found.get().enabled()) {
                deliveries.abandon(d.id(), "endpoint " + d.endpointId() + " is deleted or disabled");
                return;
            }
            endpoint = found.get();
            secrets = endpoint.signingSecrets(now);
            url = endpoint.url();
        } else {
            Optional<Hooks.Hook> hook = hooks.find(d.hookId());
            if (hook.isEmpty()) {
                deliveries.abandon(d.id(), "hook " + d.hookId() + " was deleted");
                return;
            }
            secrets = List.of(hook.get().secret());
        }
        long timestamp = now.getEpochSecond();
        Request request = new Request.Builder()
                .url(url)
                .header("webhook-id", d.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.header(secrets, d.id(), timestamp, d.payload()))
                .header("User-Agent", "connector-hub-webhooks")
                .post(RequestBody.create(d.payload(), JSON))
                .build();
        int number = d.attempts() + 1;
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        Duration retryAfter = null;
        try (Response response = http.newCall(request).execute()) {
            status = response.code();
            if (!response.isSuccessful()) {
                error = response.isRedirect()
                        ? "redirect to " + response.header("Location") + " not followed"
                        : "HTTP " + status;
                retryAfter = RetryAfter.parse(response.header("Retry-After"), clock, MAX_RETRY_AFTER)
                        .orElse(null);
            }
        } catch (IOException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        Attempt attempt = new Attempt(number, now, status, error, ms);
        String target = endpoint != null ? "endpoint " + endpoint.id() : "hook " + d.hookId() + " callback";
        if (error == null) {
            deliveries.recordAttempt(d, attempt, "delivered", null);
            // Unconditionally: another delivery may have started a failure streak since this one began.
            if (endpoint != null) endpoints.succeeded(endpoint.id());
            log.debug("Delivered {} {} to {} (attempt {})", d.eventType(), d.id(), target, number);
            return;
        }
        if (status != null && status == 410) {
            deliveries.recordAttempt(d, attempt, "failed", null);
            if (endpoint != null) {
                disable(endpoint, "the receiver answered 410 Gone");
            }
            return;
        }
        Instant next = null;
        if (number < settings.maxAttempts()) {
            Duration wait = settings.schedule()
                    .get(Math.min(number - 1, settings.schedule().size() - 1));
            if (retryAfter != null && retryAfter.compareTo(wait) > 0) wait = retryAfter;
            next = now.plus(wait);
        }
        deliveries.recordAttempt(d, attempt, "failed", next);
        log.info(
                "Webhook {} {} to {} failed (attempt {}): {}{}",
                d.eventType(),
                d.id(),
                target,
                number,
                error,
                next == null ? "; giving up" : "; next attempt at " + next);
        if (endpoint != null) {
            Instant since = endpoints.failingSince(endpoint.id(), now);
            if (!now.isBefore(since.plus(settings.disableAfter()))) {
                disable(endpoint, "deliveries failed without a success since " + since);
            }
        }
    }

    /** Stops taking deliveries; those being sent finish (bounded); the rest stay pending for the next start. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        wake();
        try {
            loop.join(Duration.ofSeconds(2));
            senders.shutdown();
            if (senders.awaitTermination(5, TimeUnit.SECONDS)) log.info("Stopping: webhook deliveries stopped");
            else
                log.warn(
                        "Stopping: webhook deliveries still being sent are cut off; they are sent again after the next start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
    }
}
