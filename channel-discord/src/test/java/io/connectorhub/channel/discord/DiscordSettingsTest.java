package io.connectorhub.channel.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.ConfigProblem;
import io.connectorhub.core.GroupPolicy;
import java.io.IOException;
import java.nio.file.Files;
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

    private static DiscordSettings discord(HubConfig config) {
        return config.channels().settings(NAME, DiscordSettings.class);
    }

    @Test
    void checksAnEnabledDiscordChannel() throws IOException {
        Path f = file("""
                channels:
                  discord:
                    enabled: true
                    groupPolicy: everyone
                    gatewayUrl: http://gateway.example
                """);
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
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
        Path f = file("channels:\n  discord:\n    enabled: true\n    allowFrom: [\"42\"]\n");
        HubConfig config = new ConfigLoader(Map.of("DISCORD_BOT_TOKEN", "MTIz.secret-token")).load(f);
        DiscordSettings discord = discord(config);
        assertEquals("MTIz.secret-token", discord.token());
        assertEquals(GroupPolicy.MENTION, common(config).groupPolicy());
        assertEquals(Duration.ofSeconds(1), discord.streamEditInterval());
        assertFalse(discord.toString().contains("secret"), discord.toString());
        assertFalse(common(new ConfigLoader(Map.of()).defaults()).enabled());
    }
}
