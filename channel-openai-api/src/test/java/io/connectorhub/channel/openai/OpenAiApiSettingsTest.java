package io.connectorhub.channel.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.agent.testing.HubYaml;
import io.connectorhub.channel.openai.OpenAiApiSettings.ApiKey;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code channels.openaiApi} as hub.yaml sets it, read by the configuration loader with this module installed. */
class OpenAiApiSettingsTest {
    private static final String KEY = "test-notarealkey00000notarealkeyabcdef";

    @TempDir
    Path dir;

    @Test
    void isOffByDefaultAndLetsEveryKeyHolderChat() {
        HubConfig config = new ConfigLoader(Map.of()).defaults();
        assertFalse(config.channels().section(OpenAiApiChannel.NAME).common().enabled());
        assertEquals(
                List.of("*"),
                config.channels().section(OpenAiApiChannel.NAME).common().allowFrom());
        OpenAiApiSettings settings = config.channels().settings(OpenAiApiChannel.NAME, OpenAiApiSettings.class);
        assertEquals(List.of(), settings.keys());
        assertEquals(Duration.ofMinutes(10), settings.timeout());
    }

    @Test
    void bindsKeysWithTheirAgentsFromTheEnvironment() throws Exception {
        HubConfig config = new ConfigLoader(Map.of("LAPTOP_KEY", KEY)).load(HubYaml.write(dir, """
                        channels:
                          openaiApi:
                            enabled: true
                            keys:
                              - {name: laptop, key: "${LAPTOP_KEY}", agents: [gpt, builtin]}
                              - {name: ci.bot-1, key: "test-another-notarealkey00000notarealkey"}
                        """));
        OpenAiApiSettings settings = config.channels().settings(OpenAiApiChannel.NAME, OpenAiApiSettings.class);
        assertEquals(
                new ApiKey("laptop", KEY, List.of("gpt", "builtin")),
                settings.keys().get(0));
        assertTrue(settings.keys().get(1).mayUse("anything"), "no agents listed: every agent");
        assertFalse(settings.keys().get(0).mayUse("other"));
        assertFalse(settings.toString().contains(KEY)
                || settings.keys().get(0).toString().contains(KEY));
        assertEquals(List.of(KEY, "test-another-notarealkey00000notarealkey"), settings.secrets());
    }

    @Test
    void namesEveryBadKeyWithoutShowingIt() throws Exception {
        List<String> shown = HubYaml.shown(dir, """
                channels:
                  openaiApi:
                    enabled: true
                    timeout: 0s
                    keys:
                      - {name: "has space", key: short-secret-value}
                      - {name: twin, key: %s}
                      - {name: twin, key: %s, agents: [""]}
                """.formatted(KEY, KEY));
        assertEquals(
                List.of(
                        "channels.openaiApi.keys[0].name: must be 1-64 characters of A-Za-z0-9._- (it names the caller"
                                + " in sessions and logs)",
                        "channels.openaiApi.keys[0].key: is shorter than 32 characters: use a long random value, e.g."
                                + " the output of openssl rand -hex 24",
                        "channels.openaiApi.keys[2].name: is used by another key; give each key its own name",
                        "channels.openaiApi.keys[2].key: is the key of another entry; give each key its own secret",
                        "channels.openaiApi.keys[2].agents[0]: is empty: name an agent id from agents (or builtin)",
                        "channels.openaiApi.timeout: must be a positive duration such as 30s"),
                shown);
        assertTrue(shown.stream().noneMatch(line -> line.contains(KEY) || line.contains("short-secret-value")));
    }

    @Test
    void anEnabledApiNeedsAtLeastOneKey() throws Exception {
        assertEquals(
                List.of("channels.openaiApi.keys: is empty, so nobody could call the API: add {name: laptop, key:"
                        + " \"${LAPTOP_API_KEY}\"}"),
                HubYaml.shown(dir, "channels:\n  openaiApi:\n    enabled: true\n"));
    }
}
