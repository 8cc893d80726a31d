package io.connectorhub.channel.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.Json;
import java.io.IOException;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells JDA where the gateway is: the configured URL, else the one {@code GET /gateway/bot} names (as Discord asks
 * bots to do), else JDA's default. JDA asks on every new session, not on a resume (which uses the resume URL from
 * READY). Thread-safe.
 */
final class GatewayLocator extends ConcurrentSessionController {
    private static final Logger log = LoggerFactory.getLogger(GatewayLocator.class);
    private static final ObjectMapper JSON = Json.newMapper();

    private final String configured;
    private final String apiUrl;
    private final String token;
    private final OkHttpClient http;

    GatewayLocator(String configured, String apiUrl, String token, OkHttpClient http) {
        this.configured = configured;
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
        this.token = token;
        this.http = http;
    }

    @Override
    public String getGateway() {
        if (!configured.isEmpty()) return configured;
        Request request = new Request.Builder()
                .url(apiUrl + "gateway/bot")
                .header("Authorization", "Bot " + token)
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (response.isSuccessful()) {
                JsonNode url = JSON.readTree(response.body().string()).path("url");
                if (url.isTextual() && !url.asText().isBlank()) return url.asText();
            }
            log.warn("GET {}gateway/bot answered {}; using Discord's default gateway", apiUrl, response.code());
        } catch (IOException e) {
            log.warn("GET {}gateway/bot failed ({}); using Discord's default gateway", apiUrl, e.getMessage());
        }
        return super.getGateway();
    }
}
