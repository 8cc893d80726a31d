package io.connectorhub.channel.telegram;

import io.connectorhub.core.OutboundMessage;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.ParseMode;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.ReplyParameters;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Delivers outbound messages: Markdown as Telegram HTML split into 4096-character parts (each part resent as plain
 * text if Telegram cannot parse it), typing hints, and streamed replies shown in one message that is edited at
 * most about once a second and finally replaced by the whole reply. The progress of each reply is recorded in
 * {@link ReplyProgress} until its last part is delivered, so a reply sent again (after a failure or a stop) only
 * delivers the rest and edits, rather than repeats, its preview. Waits exactly {@code retry_after} on 429 and
 * keeps to {@link SendLimiter}'s limits. Safe for concurrent use on different chats (one chat at a time, as
 * {@code BaseChannel#send} is called).
 */
final class Sender {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final int MAX_429_RETRIES = 5;
    private static final long EDIT_INTERVAL_MILLIS = 1_000;
    private static final long TYPING_REPEAT_MILLIS = 4_000;
    private static final Duration TYPING_AT_MOST = Duration.ofMinutes(5);

    /** A reply being streamed into one Telegram message. Touched by one chat's sends only. */
    private static final class Stream {
        final StringBuilder text = new StringBuilder();
        Integer messageId;
        String shown = "";
        boolean recorded;
        long shownAt;
    }

    private final TelegramClient client;
    private final SendLimiter limiter;
    private final SendLimiter.Sleeper sleeper;
    private final LongSupplier nowMillis;
    private final boolean replyQuote;
    private final ReplyProgress progress;
    private final Map<String, Boolean> typing = new ConcurrentHashMap<>();
    private final Map<String, Stream> streams = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Stream> eldest) {
            return size() > 1_000;
        }
    });

    Sender(
            TelegramClient client,
            SendLimiter limiter,
            SendLimiter.Sleeper sleeper,
            LongSupplier nowMillis,
            boolean replyQuote,
            ReplyProgress progress) {
        this.client = client;
        this.limiter = limiter;
        this.sleeper = sleeper;
        this.nowMillis = nowMillis;
        this.replyQuote = replyQuote;
        this.progress = progress;
    }

    void send(OutboundMessage message) throws TelegramApiException, InterruptedException {
        switch (message.kind()) {
            case TYPING -> typing(message);
            case DELTA -> delta(message);
            case MESSAGE -> complete(message);
        }
    }

    /**
     * Shows "typing…" and repeats it every few seconds (Telegram shows it for five) until the reply is sent, for at
     * most {@link #TYPING_AT_MOST}.
     */
    private void typing(OutboundMessage message) {
        if (!sendTyping(message) || typing.putIfAbsent(message.id(), Boolean.TRUE) != null) return;
        Thread.ofVirtual().name("telegram-typing").start(() -> {
            long until = nowMillis.getAsLong() + TYPING_AT_MOST.toMillis();
            try {
                while (true) {
                    Thread.sleep(TYPING_REPEAT_MILLIS);
                    if (!typing.containsKey(message.id()) || nowMillis.getAsLong() > until) break;
                    sendTyping(message);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                typing.remove(message.id());
            }
        });
    }

    /** Stops every repeating typing hint. */
    void close() {
        typing.clear();
    }

    private boolean sendTyping(OutboundMessage message) {
        try {
            client.execute(SendChatAction.builder()
                    .chatId(message.chatId())
                    .action("typing")
                    .messageThreadId(threadId(message))
                    .build());
            return true;
        } catch (TelegramApiException e) {
            log.debug("Typing hint to Telegram chat {} failed: {}", message.chatId(), e.getMessage());
            return false;
        }
    }

    /** Best effort: a delta that would have to wait for a rate limit is only remembered, not shown yet. */
    private void delta(OutboundMessage message) {
        Stream stream = streams.computeIfAbsent(message.id(), id -> new Stream());
        stream.text.append(message.content());
        String shown = preview(stream.text);
        long now = nowMillis.getAsLong();
        try {
            if (stream.messageId == null) {
                if (shown.isBlank() || !limiter.tryAcquire(message.chatId())) return;
                Message sent = client.execute(newMessage(message, shown, null, true));
                stream.messageId = sent.getMessageId();
                progress.save(message.id(), stream.messageId, 0);
                stream.recorded = true;
            } else {
                if (shown.equals(stream.shown) || now - stream.shownAt < EDIT_INTERVAL_MILLIS) return;
                if (!limiter.tryAcquire(message.chatId())) return;
                client.execute(edit(message.chatId(), stream.messageId, shown, null));
            }
            stream.shown = shown;
            stream.shownAt = now;
        } catch (TelegramApiException e) {
            log.debug("Streaming update to Telegram chat {} skipped: {}", message.chatId(), e.getMessage());
        }
    }

    /**
     * Delivers the whole reply, starting where an earlier attempt at the same reply stopped: its streamed preview
     * is edited into the first part unless that was done, and parts Telegram accepted are not sent again. The
     * progress is forgotten only once the last part is delivered.
     */
    private void complete(OutboundMessage message) throws TelegramApiException, InterruptedException {
        String id = message.id();
        typing.remove(id);
        List<String> parts = TelegramSplitter.split(TelegramFormat.toHtml(message.content()));
        Stream stream = streams.get(id);
        ReplyProgress.Done done = progress.of(id).orElse(null);
        boolean recorded = done != null || (stream != null && stream.recorded);
        int sent = done == null ? 0 : done.partsSent();
        Integer preview =
                stream != null && stream.messageId != null ? stream.messageId : done == null ? null : done.previewId();
        if (preview != null && sent == 0 && !parts.isEmpty()) {
            if (replaceStreamed(message.chatId(), preview, parts.getFirst())) sent = 1;
            // Edited into the first part, or not editable (then the whole reply follows as new messages).
            if (stream != null) stream.messageId = null;
            if (parts.size() > sent) {
                progress.save(id, null, sent);
                recorded = true;
            }
        }
        for (int i = sent; i < parts.size(); i++) {
            String html = parts.get(i);
            limiter.acquire(message.chatId());
            try {
                call(newMessage(message, html, ParseMode.HTML, i == 0));
            } catch (TelegramApiRequestException e) {
                if (!unparsable(e)) throw e;
                log.info(
                        "Telegram could not parse a reply part for chat {} as HTML; sent it as plain text",
                        message.chatId());
                call(newMessage(message, TelegramFormat.toPlain(html), null, i == 0));
            }
            if (i + 1 < parts.size()) {
                progress.save(id, null, i + 1);
                recorded = true;
            }
        }
        streams.remove(id);
        if (recorded) progress.forget(id);
    }

    /**
     * Edits the streamed preview into the first part of the reply; false if that message cannot be edited (deleted,
     * too old), so the caller sends the reply as new messages instead.
     */
    private boolean replaceStreamed(String chatId, int previewId, String html)
            throws TelegramApiException, InterruptedException {
        limiter.acquire(chatId);
        try {
            call(edit(chatId, previewId, html, ParseMode.HTML));
            return true;
        } catch (TelegramApiRequestException e) {
            if (notModified(e)) return true;
            if (!unparsable(e)) return cannotEdit(chatId, e);
        }
        try {
            call(edit(chatId, previewId, TelegramFormat.toPlain(html), null));
            return true;
        } catch (TelegramApiRequestException e) {
            return notModified(e) || cannotEdit(chatId, e);
        }
    }

    private static boolean cannotEdit(String chatId, TelegramApiRequestException e) throws TelegramApiRequestException {
        if (e.getErrorCode() == null || e.getErrorCode() != 400) throw e;
        log.info("Could not edit the streamed reply in Telegram chat {} ({}); sending it anew", chatId, e.getMessage());
        return false;
    }

    /** Executes {@code method}, waiting exactly {@code retry_after} seconds on each 429 (a few times at most). */
    private <T extends Serializable> T call(BotApiMethod<T> method) throws TelegramApiException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.execute(method);
            } catch (TelegramApiRequestException e) {
                if (e.getErrorCode() == null || e.getErrorCode() != 429 || attempt > MAX_429_RETRIES) throw e;
                int seconds = e.getParameters() != null && e.getParameters().getRetryAfter() != null
                        ? e.getParameters().getRetryAfter()
                        : 1;
                log.warn("Telegram rate limit (429) on {}: waiting {}s as told", method.getMethod(), seconds);
                sleeper.sleep(seconds * 1_000L);
            }
        }
    }

    private SendMessage newMessage(OutboundMessage message, String text, String parseMode, boolean first) {
        var builder = SendMessage.builder()
                .chatId(message.chatId())
                .text(text)
                .parseMode(parseMode)
                .messageThreadId(threadId(message));
        if (first
                && replyQuote
                && message.replyTo() != null
                && message.replyTo().matches("\\d+")) {
            builder.replyParameters(ReplyParameters.builder()
                    .messageId(Integer.parseInt(message.replyTo()))
                    .allowSendingWithoutReply(true)
                    .build());
        }
        return builder.build();
    }

    private static EditMessageText edit(String chatId, int messageId, String text, String parseMode) {
        return EditMessageText.builder()
                .chatId(chatId)
                .messageId(messageId)
                .text(text)
                .parseMode(parseMode)
                .build();
    }

    /** The streamed text so far as plain text, cut to fit one message (never inside a surrogate pair). */
    private static String preview(CharSequence text) {
        if (text.length() <= TelegramSplitter.LIMIT) return text.toString();
        int end = TelegramSplitter.LIMIT - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.subSequence(0, end) + "…";
    }

    private static Integer threadId(OutboundMessage message) {
        String thread = message.metadata().get(UpdateReader.THREAD_ID);
        return thread != null && thread.matches("\\d+") ? Integer.valueOf(thread) : null;
    }

    private static boolean unparsable(TelegramApiRequestException e) {
        return describes(e, "can't parse entities");
    }

    private static boolean notModified(TelegramApiRequestException e) {
        return describes(e, "message is not modified");
    }

    private static boolean describes(TelegramApiRequestException e, String text) {
        String all = (e.getMessage() + " " + e.getApiResponse()).toLowerCase(Locale.ROOT);
        return e.getErrorCode() != null && e.getErrorCode() == 400 && all.contains(text);
    }
}
