package io.connectorhub.channel.feishu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
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

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("hub.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static List<String> problems(ConfigException e) {
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    private static CommonChannelSettings common(HubConfig config) {
        return config.channels().section(NAME).common();
    }

    private static FeishuSettings feishu(HubConfig config) {
        return config.channels().settings(NAME, FeishuSettings.class);
    }

    @Test
    void anEnabledFeishuChannelNeedsCredentialsATokenAndAnAllowList() throws IOException {
        Path f = file("""
                channels:
                  feishu:
                    enabled: true
                    domain: larksuite
                    groupPolicy: everyone
                """);
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
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
        FeishuSettings feishu = feishu(config);
        assertFalse(common(config).enabled());
        assertEquals("app-secret-value", feishu.appSecret());
        assertEquals("https://open.feishu.cn", feishu.openBaseUrl());
        String shown = feishu.toString();
        assertTrue(shown.contains("cli_a1b2"), shown);
        for (String secret : List.of("app-secret-value", "verification-value", "encrypt-key-value")) {
            assertFalse(shown.contains(secret), shown);
        }
    }
}
