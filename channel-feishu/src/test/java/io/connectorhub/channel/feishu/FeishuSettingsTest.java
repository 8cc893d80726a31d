package io.connectorhub.channel.feishu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.agent.testing.HubYaml;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code channels.feishu} as hub.yaml sets it, read by the configuration loader with this module installed. */
class FeishuSettingsTest {
    private static final String NAME = FeishuChannel.NAME;

    @TempDir
    Path dir;

    @Test
    void anEnabledFeishuChannelNeedsCredentialsATokenAndAnAllowList() throws IOException {
        Path f = HubYaml.write(dir, """
                channels:
                  feishu:
                    enabled: true
                    domain: larksuite
                    groupPolicy: everyone
                """);
        List<String> problems =
                HubYaml.shown(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        for (String key : List.of("appId", "appSecret", "verificationToken", "allowFrom", "domain", "groupPolicy")) {
            assertTrue(
                    problems.stream().anyMatch(p -> p.startsWith("channels.feishu." + key + ": ")),
                    key + " in " + problems);
        }
        assertEquals(6, problems.size(), problems.toString());
    }

    @Test
    void feishuSecretsComeFromTheEnvironmentAndStayOutOfToString() {
        HubConfig config = new ConfigLoader(Map.of(
                        "FEISHU_APP_ID", "cli_a1b2",
                        "FEISHU_APP_SECRET", "app-secret-value",
                        "FEISHU_VERIFICATION_TOKEN", "verification-value",
                        "FEISHU_ENCRYPT_KEY", "encrypt-key-value"))
                .defaults();
        FeishuSettings feishu = config.channels().settings(NAME, FeishuSettings.class);
        assertFalse(config.channels().section(NAME).common().enabled());
        assertEquals("app-secret-value", feishu.appSecret());
        assertEquals("https://open.feishu.cn", feishu.openBaseUrl());
        String shown = feishu.toString();
        assertTrue(shown.contains("cli_a1b2"), shown);
        for (String secret : List.of("app-secret-value", "verification-value", "encrypt-key-value")) {
            assertFalse(shown.contains(secret), shown);
        }
    }
}
