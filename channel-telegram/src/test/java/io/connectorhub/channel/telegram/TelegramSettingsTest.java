package io.connectorhub.channel.telegram;

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

/** {@code channels.telegram} as hub.yaml sets it, read by the configuration loader with this module installed. */
class TelegramSettingsTest {
    private static final String NAME = TelegramChannel.NAME;

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

    private static TelegramSettings telegram(HubConfig config) {
        return config.channels().settings(NAME, TelegramSettings.class);
    }

    @Test
    void anEnabledTelegramChannelNeedsItsTokenAndAnAllowList() throws IOException {
        Path f = file("""
                channels:
                  telegram:
                    enabled: true
                    mode: webhook
                    groupPolicy: everyone
                """);
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
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
        Path f = file("channels:\n  telegram:\n    enabled: true\n    allowFrom: [42, alice]\n");
        HubConfig config = new ConfigLoader(Map.of("TELEGRAM_BOT_TOKEN", token)).load(f);
        TelegramSettings telegram = telegram(config);
        assertEquals(token, telegram.token());
        assertEquals(List.of("42", "alice"), common(config).allowFrom());
        assertEquals("polling", telegram.mode());
        assertFalse(telegram.toString().contains("ABCdef"), telegram.toString());
    }
}
