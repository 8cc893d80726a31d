package io.connectorhub.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Json;
import io.connectorhub.core.MediaRef;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.PlatformWebhook;
import io.github.resilience4j.core.IntervalFunction;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.objects.File;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * A Telegram bot. Receives by long polling, or by a webhook at {@value #WEBHOOK_PATH} on the hub's port (set in
 * the configuration or registered through the admin API); an update is confirmed to Telegram only after it is in
 * the inbox. Sends through {@link Sender}. Never logs the bot token or Bot API URLs (they contain it).
 */
public final class TelegramChannel extends BaseChannel implements PlatformWebhook {
    public static final String NAME = "telegram";
    public static final String WEBHOOK_PATH = "/telegram/webhook";
    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final Logger log = LoggerFactory.getLogger(TelegramChannel.class);
    private static final String NOT_AN_UPDATE =
            "not a Telegram update: the body must be a JSON object with an integer update_id";

    private final TelegramSettings config;
    private final ChannelContext context;
    private final UpdateReader reader;
    private final TelegramClient client;
    private final Dispatcher pollDispatcher = new Dispatcher();
    private final Poller poller;
    private final ReplyProgress progress;
    private final Sender sender;
    private final WebhookSwitch webhooks;
    private static final ObjectMapper JSON = Json.newMapper();
    private volatile boolean identified;
    /** Whether this instance holds the bot's receiving connection (see {@link #openConnection}). */
    private volatile boolean held;

    public TelegramChannel(CommonChannelSettings common, TelegramSettings config, ChannelContext context) {
        super(NAME, common.allowList());
        this.config = config;
        this.context = context;
        this.reader = new UpdateReader(NAME, common.groupPolicy(), this::isAllowed);
        TelegramUrl url = telegramUrl(config.apiUrl());
        this.client = new OkHttpTelegramClient(context.http(), config.token(), url);
        OkHttpClient pollHttp = context.http()
                .newBuilder()
                .dispatcher(pollDispatcher)
                .readTimeout(config.pollTimeout().plus(Duration.ofSeconds(15)))
                .build();
        this.poller = new Poller(
                new OkHttpTelegramClient(pollHttp, config.token(), url),
                pollDispatcher,
                config.pollTimeout(),
                this::take,
                this::reportError,
                IntervalFunction.ofExponentialRandomBackoff(Duration.ofSeconds(1), 2.0, 0.2, Duration.ofMinutes(1)),
                context.clock()::millis);
        this.progress = new ReplyProgress(context::state, context.clock());
        this.sender = new Sender(
                client,
                SendLimiter.telegramDefaults(),
                Thread::sleep,
                context.clock()::millis,
                config.replyQuote(),
                progress);
        OkHttpClient webhookHttp = context.http()
                .newBuilder()
                .addInterceptor(WebhookSwitch::botApiRepliesOnly)
                .build();
        this.webhooks = new WebhookSwitch(
                config,
                new OkHttpTelegramClient(webhookHttp, config.token(), url),
                poller,
                context.dataDir(),
                context.secrets(),
                this::reportError);
    }

    /** Prepares sending; with a configured webhook also receives, otherwise {@link #openConnection} does. */
    @Override
    public void start() throws Exception {
        progress.open();
        identify();
        if (config.webhookMode()) webhooks.start();
    }

    /** Long polling ({@code getUpdates}) may run once per bot; a configured webhook receives on every instance. */
    @Override
    public boolean singleConnection() {
        return !config.webhookMode();
    }

    /**
     * Receives the way the last run did: long polling, or the webhook registered through the admin API. Polling
     * resumes with the updates Telegram holds unconfirmed, so a new holder misses none.
     */
    @Override
    public void openConnection() {
        held = true;
        webhooks.start();
        if (!webhooks.mode().webhook()) log.info("Telegram bot @{} receives by long polling", reader.botUsername());
    }

    @Override
    public void closeConnection() {
        held = false;
        poller.stop();
    }

    @Override
    public void stop() {
        closeConnection();
        sender.close();
        pollDispatcher.executorService().shutdown();
    }

    @Override
    public void send(OutboundMessage message) throws Exception {
        sender.send(message);
    }

    @Override
    public void mount(JavalinConfig http) {
        http.routes.post(WEBHOOK_PATH, this::webhook);
    }

    /** Telegram's webhook delivery: answered 200 only once the update is in the inbox. */
    private void webhook(Context ctx) {
        String secret = webhooks.mode().secret();
        if (secret == null || !GeneratedSecret.matches(secret, ctx.header(SECRET_HEADER))) {
            ctx.status(401).json(Map.of("error", "missing or wrong " + SECRET_HEADER));
            return;
        }
        Update update = update(ctx.bodyAsBytes());
        if (update == null) {
            log.warn("Refused a Telegram webhook delivery of {} bytes: {}", ctx.bodyAsBytes().length, NOT_AN_UPDATE);
            ctx.status(400).json(Map.of("error", NOT_AN_UPDATE));
            return;
        }
        try {
            take(update);
            ctx.status(200).result("");
        } catch (Exception e) {
            log.warn(
                    "Could not store Telegram update {}; Telegram will retry: {}",
                    update.getUpdateId(),
                    e.getMessage());
            ctx.status(503).json(Map.of("error", "not stored, retry later"));
        }
    }

    /** The update in a webhook body, or null unless the body is a JSON object with an integer update_id. */
    private static Update update(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) return null;
            JsonNode id = node.get("update_id");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToInt()) return null;
            return JSON.treeToValue(node, Update.class);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Hands one update to the inbox (or decides it is not for the bot); throws if it was not stored. */
    private void take(Update update) throws Exception {
        if (!identified) {
            identify();
            // Without the bot's username a group mention cannot be recognised: leave the update unconfirmed.
            if (!identified) throw new HubException("the bot's identity is not known yet (getMe failed)");
        }
        InboundMessage message = reader.read(update);
        if (message != null) context.inbound().accept(message);
    }

    /** Learns the bot's id and username (for mentions in groups); only a refused token is fatal. */
    private void identify() throws HubException {
        try {
            User me = client.execute(new GetMe());
            reader.identity(me.getId(), me.getUserName());
            identified = true;
        } catch (TelegramApiRequestException e) {
            Integer code = e.getErrorCode();
            if (code != null && (code == 401 || code == 404))
                throw new HubException("Telegram refused the bot token (" + code + "): set a valid token from"
                        + " @BotFather in channels.telegram.token or TELEGRAM_BOT_TOKEN");
            log.warn("Telegram getMe failed, will ask again: {}", e.getMessage());
        } catch (TelegramApiException e) {
            log.warn(
                    "Cannot reach the Telegram Bot API yet (channels.telegram.apiUrl), will retry: {}", e.getMessage());
        }
    }

    @Override
    public Status webhookStatus() {
        WebhookSwitch.Mode mode = webhooks.mode();
        return new Status(
                mode.webhook() ? "webhook" : "polling",
                mode.webhook() ? mode.url() : null,
                mode.verified(),
                lastError());
    }

    @Override
    public void registerWebhook(String publicUrl) {
        requireHeld();
        webhooks.webhook(publicUrl);
    }

    @Override
    public void unregisterWebhook() {
        requireHeld();
        webhooks.poll();
    }

    /** Only the holder changes how the bot receives: a standby instance must not start polling beside it. */
    private void requireHeld() {
        if (singleConnection() && !held)
            throw new IllegalStateException("this instance does not hold the Telegram channel (it is in standby):"
                    + " send the request to the instance named as its holder in GET /api/v1/status");
    }

    /**
     * Downloads a file the bot received to {@code <dataDir>/media} and returns its path; refuses files larger than
     * {@code channels.telegram.mediaMaxBytes}.
     */
    public Path downloadMedia(MediaRef media) throws Exception {
        long cap = config.mediaMaxBytes();
        if (media.size() > cap) throw tooLarge(media.size(), cap);
        File file = client.execute(GetFile.builder().fileId(media.ref()).build());
        if (file.getFileSize() != null && file.getFileSize() > cap) throw tooLarge(file.getFileSize(), cap);
        Path dir = context.dataDir().resolve("media");
        Files.createDirectories(dir);
        String path = file.getFilePath() == null ? "" : file.getFilePath();
        String extension =
                path.contains(".") ? path.substring(path.lastIndexOf('.')).replaceAll("[^.\\w]", "") : "";
        String unique = file.getFileUniqueId() != null
                ? file.getFileUniqueId()
                : Integer.toHexString(media.ref().hashCode());
        Path target = dir.resolve(unique.replaceAll("[^\\w-]", "_") + extension);
        Path partial = Files.createTempFile(dir, "download", ".part");
        // Not the library's download: it always goes to api.telegram.org, ignoring channels.telegram.apiUrl.
        Request request = new Request.Builder()
                .url(config.apiUrl().replaceAll("/+$", "") + "/file/bot" + config.token() + "/" + path)
                .build();
        try (Response response = context.http().newCall(request).execute();
                OutputStream out = Files.newOutputStream(partial)) {
            if (!response.isSuccessful())
                throw new HubException("Telegram answered " + response.code() + " to a file download");
            InputStream in = response.body().byteStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > cap) throw tooLarge(total, cap);
                out.write(buffer, 0, n);
            }
        } catch (Exception e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static HubException tooLarge(long size, long cap) {
        return new HubException(
                "the Telegram file has " + size + " bytes or more, over channels.telegram.mediaMaxBytes (" + cap
                        + "); raise that setting to download it");
    }

    static TelegramUrl telegramUrl(String apiUrl) {
        URI uri = URI.create(apiUrl);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return new TelegramUrl(uri.getScheme(), uri.getHost(), port, false);
    }
}
