package io.connectorhub.channel.telegram;

import io.connectorhub.core.GeneratedSecrets;
import io.connectorhub.core.HubException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * How Telegram delivers the bot's updates, by long polling or to a webhook, and the changes between the two. A
 * change the Bot API refuses or leaves without an answer is rolled back: the bot receives as it did before (and
 * Telegram is asked to restore that if the change may have taken effect), and the problem, with Telegram's answer
 * but never the bot token, becomes the channel's last error and is thrown. Changes are serialised; thread-safe.
 */
final class WebhookSwitch {
    /** Where Telegram delivers: to {@code url} with {@code secret}, or (secret null) nowhere, the bot polls. */
    record Mode(String url, String secret, boolean verified) {
        static final Mode POLLING = new Mode("", null, false);

        boolean webhook() {
            return secret != null;
        }

        boolean sameDelivery(Mode other) {
            return url.equals(other.url) && Objects.equals(secret, other.secret);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WebhookSwitch.class);
    private static final List<String> UPDATES = List.of("message");

    private final TelegramSettings config;
    private final TelegramClient client;
    private final Poller poller;
    private final WebhookState state;
    private final Consumer<String> reportError;
    private volatile Mode mode = Mode.POLLING;

    /** @param client a Bot API client whose HTTP answers pass {@link #botApiRepliesOnly} */
    WebhookSwitch(
            TelegramSettings config,
            TelegramClient client,
            Poller poller,
            Path dataDir,
            GeneratedSecrets secrets,
            Consumer<String> reportError) {
        this.config = config;
        this.client = client;
        this.poller = poller;
        this.state = new WebhookState(dataDir, secrets);
        this.reportError = reportError;
    }

    Mode mode() {
        return mode;
    }

    /**
     * Receives the way the last run did: by polling, or through the configured webhook or the one registered with
     * the admin API. That webhook is registered again; Telegram may still deliver to it, so its deliveries are
     * accepted at once, and still after a failed registration (which is reported).
     */
    synchronized void start() {
        String url = config.webhookMode() ? config.webhookUrl() : state.registeredUrl();
        if (url.isEmpty()) {
            poller.start();
            return;
        }
        requireHttps(url);
        mode = new Mode(url, secret(), false);
        try {
            webhook(url);
        } catch (HubException e) {
            // Reported as the last error; the deliveries of the last run's registration are still accepted.
        }
    }

    /** Asks Telegram to deliver to {@code url} with the webhook secret, instead of polling or another webhook. */
    synchronized void webhook(String url) {
        requireHttps(url);
        Mode before = mode;
        Mode target = new Mode(url, secret(), false);
        poller.stop();
        mode = target; // accept deliveries before Telegram sends the first one
        try {
            client.execute(setWebhook(target));
        } catch (TelegramApiException e) {
            throw rollBack("setWebhook for " + url, e, before, target);
        }
        mode = new Mode(url, target.secret(), true);
        changed(url);
        log.info("Telegram delivers to the webhook at {}", url);
    }

    /** Asks Telegram to stop delivering to the webhook, and polls. */
    synchronized void poll() {
        Mode before = mode;
        try {
            client.execute(new DeleteWebhook());
        } catch (TelegramApiException e) {
            throw rollBack("deleteWebhook", e, before, Mode.POLLING);
        }
        mode = Mode.POLLING;
        changed(null);
        try {
            poller.start();
        } catch (IllegalStateException stuck) {
            reportError.accept(stuck.getMessage());
            throw stuck;
        }
        log.info("Telegram webhook removed; receiving by long polling");
    }

    /** Receives as {@code before} again after {@code call} failed; returns the problem, already reported. */
    private HubException rollBack(String call, TelegramApiException e, Mode before, Mode target) {
        StringBuilder problem = new StringBuilder(call).append(" failed: ").append(answer(e));
        boolean undone = true;
        if (mayHaveTakenEffect(e) && !before.sameDelivery(target)) {
            try {
                if (before.webhook()) client.execute(setWebhook(before));
                else client.execute(new DeleteWebhook());
            } catch (TelegramApiException undo) {
                undone = false;
                problem.append("; restoring the previous ")
                        .append(before.webhook() ? "webhook with setWebhook" : "polling with deleteWebhook")
                        .append(" failed too: ")
                        .append(answer(undo));
            }
        }
        mode = undone ? before : new Mode(before.url(), before.secret(), false);
        if (before.webhook()) {
            problem.append(
                    undone
                            ? ". The bot still receives through the webhook at " + before.url()
                            : ". The hub still accepts deliveries for the webhook at " + before.url()
                                    + ", but Telegram may deliver elsewhere now");
        } else {
            problem.append(
                    undone
                            ? ". The bot still receives by long polling"
                            : ". The bot polls again, which Telegram answers with 409 Conflict while it keeps a"
                                    + " webhook");
            try {
                poller.start();
            } catch (IllegalStateException stuck) {
                problem.append(", once polling can start again: ").append(stuck.getMessage());
            }
        }
        String text = problem.append("; try again once the cause is fixed").toString();
        text = text.replace(config.token(), "<token>");
        log.warn("Telegram webhook change failed: {}", text);
        reportError.accept(text);
        return new HubException(text); // without the cause: its message may hold a Bot API URL, and so the token
    }

    /** False only if Telegram answered that it refused the call (a 4xx error), which leaves everything as it was. */
    private static boolean mayHaveTakenEffect(TelegramApiException e) {
        return !(e instanceof TelegramApiRequestException r && r.getErrorCode() != null && r.getErrorCode() < 500);
    }

    /** What came back from the Bot API: Telegram's error code and description, or why there was no reply. */
    private static String answer(TelegramApiException e) {
        if (e instanceof TelegramApiRequestException r && r.getErrorCode() != null)
            return "Telegram answered " + r.getErrorCode() + " " + r.getApiResponse();
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        if (root instanceof NoBotApiReply) return root.getMessage();
        String message = root.getMessage() == null
                ? ""
                : ": " + root.getMessage().lines().findFirst().orElse("");
        return "no Bot API reply (" + root.getClass().getSimpleName() + message + "); check the network and"
                + " channels.telegram.apiUrl";
    }

    private void changed(String url) {
        reportError.accept(null);
        if (config.webhookMode()) return; // the configured webhook is registered at every start
        try {
            state.registered(url);
        } catch (HubException e) {
            String problem = e.getMessage() + "; until then a restart goes back to how the bot received before";
            log.warn(problem);
            reportError.accept(problem);
        }
    }

    private SetWebhook setWebhook(Mode webhook) {
        return SetWebhook.builder()
                .url(webhook.url())
                .secretToken(webhook.secret())
                .allowedUpdates(UPDATES)
                .build();
    }

    private String secret() {
        return config.webhookSecret().isEmpty() ? state.secret() : config.webhookSecret();
    }

    private static void requireHttps(String url) {
        if (url == null || !url.matches("(?i)https://\\S+"))
            throw new IllegalArgumentException("the Telegram webhook URL must start with https:// (Telegram delivers"
                    + " webhooks only over HTTPS), is " + url + ": put an HTTPS reverse proxy in front of the hub"
                    + " and give its https:// URL reaching " + TelegramChannel.WEBHOOK_PATH
                    + " (channels.telegram.webhookUrl or the admin API)");
    }

    /**
     * An OkHttp interceptor that turns an HTTP error without a Bot API reply (a proxy's error page) into an error
     * naming the HTTP status, which the Bot API client would only report as an unreadable answer.
     */
    static Response botApiRepliesOnly(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        MediaType type = response.body().contentType();
        if (response.isSuccessful() || type != null && type.subtype().equals("json")) return response;
        response.close();
        throw new NoBotApiReply("the Bot API answered HTTP " + response.code()
                + (response.message().isEmpty() ? "" : " " + response.message())
                + " without a Bot API reply (a proxy or gateway in front of channels.telegram.apiUrl failed?)");
    }

    private static final class NoBotApiReply extends IOException {
        NoBotApiReply(String message) {
            super(message);
        }
    }
}
