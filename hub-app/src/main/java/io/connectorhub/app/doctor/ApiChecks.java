package io.connectorhub.app.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.DiscordConfig;
import io.connectorhub.config.FeishuConfig;
import io.connectorhub.config.TelegramConfig;
import io.connectorhub.core.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The credential checks: one cheap read-only call per enabled platform and per {@code openai} agent. Each returns a
 * {@link Check}; none throws. The answers' bodies are read only for their error text, never shown whole.
 */
final class ApiChecks {
    private static final ObjectMapper JSON = Json.newMapper();

    private final OkHttpClient http;

    ApiChecks(OkHttpClient http) {
        this.http = http;
    }

    /** An HTTP answer: its status and body as JSON (an empty object when it is not JSON). */
    private record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** {@code 401 Unauthorized}: the status and the first of the named fields the body has. */
        String describe(String... fields) {
            for (String f : fields) {
                JsonNode n = f.contains("/") ? body.at(f) : body.path(f);
                if (n.isValueNode() && !n.asText().isBlank()) return status + " " + shorten(n.asText());
            }
            return "HTTP " + status;
        }
    }

    Check telegram(TelegramConfig t) {
        String name = "telegram";
        Request get = new Request.Builder()
                .url(base(t.apiUrl()) + "/bot" + t.token() + "/getMe")
                .build();
        try {
            Answer a = send(get);
            if (a.ok() && a.body().path("ok").asBoolean())
                return Check.ok(
                        name,
                        "getMe at " + t.apiUrl() + " accepted channels.telegram.token: the bot is @"
                                + a.body().at("/result/username").asText());
            if (a.status() == 401 || a.status() == 404)
                return Check.fail(
                        name,
                        "Telegram refused channels.telegram.token (" + a.describe("description") + ")",
                        "copy the current token from @BotFather into TELEGRAM_BOT_TOKEN");
            return Check.fail(
                    name,
                    "Telegram's getMe at " + t.apiUrl() + " answered " + a.describe("description"),
                    "try again later; if it stays, check channels.telegram.apiUrl");
        } catch (IOException e) {
            return unreachable(name, "Telegram", t.apiUrl(), e, "channels.telegram.apiUrl");
        }
    }

    Check discord(DiscordConfig d) {
        String name = "discord";
        Request get = new Request.Builder()
                .url(base(d.apiUrl()) + "/users/@me")
                .header("Authorization", "Bot " + d.token())
                .build();
        try {
            Answer a = send(get);
            if (a.ok())
                return Check.ok(
                        name,
                        "GET /users/@me at " + d.apiUrl() + " accepted channels.discord.token: the bot is "
                                + a.body().path("username").asText() + " (id "
                                + a.body().path("id").asText() + ")");
            if (a.status() == 401 || a.status() == 403)
                return Check.fail(
                        name,
                        "Discord refused channels.discord.token (" + a.describe("message") + ")",
                        "reset the token on the Bot page of the Discord developer portal and put it in"
                                + " DISCORD_BOT_TOKEN");
            return Check.fail(
                    name,
                    "Discord's GET /users/@me at " + d.apiUrl() + " answered " + a.describe("message"),
                    "try again later; if it stays, check channels.discord.apiUrl");
        } catch (IOException e) {
            return unreachable(name, "Discord", d.apiUrl(), e, "channels.discord.apiUrl");
        }
    }

    Check feishu(FeishuConfig f) {
        String name = "feishu";
        String url = f.openBaseUrl() + "/open-apis/auth/v3/tenant_access_token/internal";
        Request post = new Request.Builder()
                .url(url)
                .post(RequestBody.create(
                        json(Map.of("app_id", f.appId(), "app_secret", f.appSecret())),
                        MediaType.get("application/json; charset=utf-8")))
                .build();
        try {
            Answer a = send(post);
            JsonNode code = a.body().path("code");
            if (a.ok() && code.isInt() && code.asInt() == 0)
                return Check.ok(
                        name, f.openBaseUrl() + " issued a tenant access token to channels.feishu.appId " + f.appId());
            if (code.isInt() && code.asInt() != 0)
                return Check.fail(
                        name,
                        "Feishu refused channels.feishu.appId/appSecret (code " + code.asInt() + ": "
                                + shorten(a.body().path("msg").asText()) + ")",
                        "copy the App ID and App Secret from Credentials & Basic Info into FEISHU_APP_ID and"
                                + " FEISHU_APP_SECRET; a Lark app needs channels.feishu.domain: lark");
            return Check.fail(
                    name,
                    "Feishu's tenant_access_token at " + f.openBaseUrl() + " answered " + a.describe("msg"),
                    "try again later; if it stays, check channels.feishu.domain and channels.feishu.baseUrl");
        } catch (IOException e) {
            return unreachable(name, "Feishu", f.openBaseUrl(), e, "channels.feishu.domain / baseUrl");
        }
    }

    /** {@code GET {baseUrl}/models} with the agent's key, and whether its model is among them. */
    Check openai(String id, AgentConfig agent) {
        String name = "agent " + id;
        String key = "agents." + id;
        Request.Builder get = new Request.Builder().url(base(agent.baseUrl()) + "/models");
        if (!agent.apiKey().isBlank()) get.header("Authorization", "Bearer " + agent.apiKey());
        try {
            Answer a = send(get.build());
            if (a.ok()) {
                List<String> models = new ArrayList<>();
                for (JsonNode m : a.body().path("data")) models.add(m.path("id").asText());
                if (!models.isEmpty() && !offers(models, agent.model()))
                    return Check.fail(
                            name,
                            agent.baseUrl() + " does not offer model " + agent.model() + " (it lists "
                                    + shorten(String.join(", ", models)) + ")",
                            "set " + key + ".model to one of the models it lists");
                return Check.ok(
                        name,
                        "GET " + agent.baseUrl() + "/models accepted " + key + ".apiKey; model " + agent.model()
                                + (models.isEmpty() ? "" : " is offered"));
            }
            String error = a.describe("/error/message", "error", "message");
            if (a.status() == 401 || a.status() == 403)
                return Check.fail(
                        name,
                        agent.baseUrl() + " refused " + key + ".apiKey (" + error + ")",
                        "set " + key
                                + ".apiKey to a valid key (usually ${OPENAI_API_KEY}: export that variable where the"
                                + " hub runs)");
            if (a.status() == 404)
                return Check.fail(
                        name,
                        agent.baseUrl() + "/models was not found (" + error + ")",
                        "check " + key + ".baseUrl: the API root before /chat/completions, usually ending in /v1");
            return Check.fail(
                    name,
                    "GET " + agent.baseUrl() + "/models answered " + error,
                    "try again later; if it stays, check " + key + ".baseUrl");
        } catch (IOException e) {
            return unreachable(name, "the API", agent.baseUrl(), e, key + ".baseUrl");
        }
    }

    /** Whether {@code model} is listed; Ollama lists {@code llama3.2:latest} for {@code llama3.2}. */
    private static boolean offers(List<String> models, String model) {
        return models.contains(model) || models.contains(model + ":latest");
    }

    private Answer send(Request request) throws IOException {
        try (Response r = http.newCall(request).execute()) {
            String body = r.body().string();
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                json = null;
            }
            return new Answer(r.code(), json == null || !json.isObject() ? JSON.createObjectNode() : json);
        }
    }

    static Check unreachable(String name, String what, String url, IOException e, String key) {
        return Check.fail(
                name,
                "could not reach " + what + " at " + url + ": " + describe(e),
                "check this machine's network (DNS, proxy, firewall) and " + key);
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + shorten(m) + ")");
    }

    static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }

    private static String base(String url) {
        return url.replaceAll("/+$", "");
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
