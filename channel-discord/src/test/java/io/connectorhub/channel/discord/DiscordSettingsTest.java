package io.connectorhub.channel.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.agent.testing.HubYaml;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.GroupPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code channels.discord} as hub.yaml sets it, read by the configuration loader with this module installed. */
class DiscordSettingsTest {
    private static final String NAME = DiscordChannel.NAME;

    @TempDir
    Path dir;

    @Test
    void checksAnEnabledDiscordChannel() throws IOException {
        Path f = HubYaml.write(dir, """
                channels:
                  discord:
                    enabled: true
                    groupPolicy: everyone
                    gatewayUrl: http://gateway.example
                """);
        List<String> problems =
                HubYaml.shown(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("channels.discord.token: is missing: set DISCORD_BOT_TOKEN")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.discord.allowFrom: is empty")),
                problems.toString());
        assertTrue(
                problems.contains("channels.discord.groupPolicy: must be mention, open or disabled"),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.discord.gatewayUrl: must be empty")),
                problems.toString());
    }

    @Test
    void takesTheDiscordTokenFromTheEnvironmentAndKeepsItOutOfToString() throws IOException {
        Path f = HubYaml.write(dir, "channels:\n  discord:\n    enabled: true\n    allowFrom: [\"42\"]\n");
        HubConfig config = new ConfigLoader(Map.of("DISCORD_BOT_TOKEN", "MTIz.secret-token")).load(f);
        DiscordSettings discord = config.channels().settings(NAME, DiscordSettings.class);
        assertEquals("MTIz.secret-token", discord.token());
        assertEquals(
                GroupPolicy.MENTION, config.channels().section(NAME).common().groupPolicy());
        assertEquals(Duration.ofSeconds(1), discord.streamEditInterval());
        assertFalse(discord.toString().contains("secret"), discord.toString());
        assertFalse(new ConfigLoader(Map.of())
                .defaults()
                .channels()
                .section(NAME)
                .common()
                .enabled());
    }
}
