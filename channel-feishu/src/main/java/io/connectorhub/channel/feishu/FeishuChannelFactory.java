package io.connectorhub.channel.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.CredentialCheck;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The Feishu / Lark channel, {@code channels.feishu}; the doctor checks its app credentials by asking for a tenant
 * access token.
 */
public final class FeishuChannelFactory implements ChannelFactory<FeishuSettings> {
    @Override
    public String name() {
        return FeishuChannel.NAME;
    }

    @Override
    public Class<FeishuSettings> settingsType() {
        return FeishuSettings.class;
    }

    @Override
    public boolean hasGroups() {
        return true;
    }

    @Override
    public BaseChannel create(CommonChannelSettings common, FeishuSettings settings, ChannelContext context) {
        return new FeishuChannel(common, settings, context);
    }

    /** {@code POST /open-apis/auth/v3/tenant_access_token/internal} with the app id and secret. */
    @Override
    public Optional<CredentialCheck> checkCredentials(FeishuSettings f, OkHttpClient http) {
        String body;
        try {
            body = FeishuChannel.JSON.writeValueAsString(Map.of("app_id", f.appId(), "app_secret", f.appSecret()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Request post = new Request.Builder()
                .url(f.openBaseUrl() + "/open-apis/auth/v3/tenant_access_token/internal")
                .post(RequestBody.create(body, MediaType.get("application/json; charset=utf-8")))
                .build();
        String where = "channels.feishu.domain / baseUrl";
        return Optional.of(CredentialCheck.call(http, post, "Feishu", f.openBaseUrl(), where, a -> {
            JsonNode code = a.body().path("code");
            if (a.ok() && code.isInt() && code.asInt() == 0)
                return CredentialCheck.passed(
                        f.openBaseUrl() + " issued a tenant access token to channels.feishu.appId " + f.appId());
            if (code.isInt() && code.asInt() != 0)
                return CredentialCheck.failed(
                        "Feishu refused channels.feishu.appId/appSecret (code " + code.asInt() + ": "
                                + CredentialCheck.shorten(a.body().path("msg").asText()) + ")",
                        "copy the App ID and App Secret from Credentials & Basic Info into FEISHU_APP_ID and"
                                + " FEISHU_APP_SECRET; a Lark app needs channels.feishu.domain: lark");
            return CredentialCheck.failed(
                    "Feishu's tenant_access_token at " + f.openBaseUrl() + " answered " + a.describe("msg"),
                    "try again later; if it stays, check channels.feishu.domain and channels.feishu.baseUrl");
        }));
    }
}
