package io.connectorhub.channel.telegram;

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

/** {@code channels.telegram} as hub.yaml sets it, read by the configuration loader with this module installed. */
class TelegramSettingsTest {
    private static final String NAME = TelegramChannel.NAME;

    @TempDir
    Path dir;

    @Test
    void anEnabledTelegramChannelNeedsItsTokenAndAnAllowList() throws IOException {
        Path f = HubYaml.write(dir, """
                channels:
                  telegram:
                    enabled: true
                    mode: webhook
                    groupPolicy: everyone
                """);
        List<String> problems =
                HubYaml.shown(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertTrue(
                problems.contains("channels.telegram.token: is missing: set TELEGRAM_BOT_TOKEN or"
                        + " channels.telegram.token in hub.yaml"),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.telegram.allowFrom: is empty")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.telegram.webhookUrl: is required")),
                problems.toString());
        assertTrue(
                problems.contains("channels.telegram.groupPolicy: must be mention, open or disabled"),
                problems.toString());
    }

    @Test
    void takesTheTelegramTokenFromTheEnvironmentAndNeverShowsIt() throws IOException {
        String token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";
        Path f = HubYaml.write(dir, "channels:\n  telegram:\n    enabled: true\n    allowFrom: [42, alice]\n");
        HubConfig config = new ConfigLoader(Map.of("TELEGRAM_BOT_TOKEN", token)).load(f);
        TelegramSettings telegram = config.channels().settings(NAME, TelegramSettings.class);
        assertEquals(token, telegram.token());
        assertEquals(
                List.of("42", "alice"), config.channels().section(NAME).common().allowFrom());
        assertEquals("polling", telegram.mode());
        assertFalse(telegram.toString().contains("ABCdef"), telegram.toString());
    }
}
