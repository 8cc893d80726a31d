package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.UrlPattern;
import java.util.regex.Pattern;

/** A Telegram Bot API on loopback (WireMock) for the assembled hub's tests of Telegram in webhook mode. */
final class TelegramBotStub {
    private TelegramBotStub() {}

    /**
     * Starts one that answers {@code getMe} as {@code hub_bot}, {@code setWebhook} and {@code sendChatAction} with
     * success, and every {@code sendMessage}/{@code editMessageText} with message {@code messageId} in private chat
     * {@code chatId}. The caller stops it.
     */
    static WireMockServer start(String token, long chatId, int messageId) {
        WireMockServer bot =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        bot.start();
        bot.stubFor(post(method(token, "getMe"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"id\":999,\"is_bot\":true,\"first_name\":\"Hub\","
                        + "\"username\":\"hub_bot\"}}")));
        bot.stubFor(
                post(method(token, "(setWebhook|sendChatAction)")).willReturn(okJson("{\"ok\":true,\"result\":true}")));
        bot.stubFor(post(method(token, "(sendMessage|editMessageText)"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":" + messageId + ",\"date\":1700000000,"
                        + "\"chat\":{\"id\":" + chatId + ",\"type\":\"private\"},\"text\":\"ok\"}}")));
        return bot;
    }

    /** The URL of the Bot API methods {@code name} matches (the client spells method names in lower case). */
    static UrlPattern method(String token, String name) {
        return urlPathMatching("(?i)/bot" + Pattern.quote(token) + "/" + name);
    }
}
