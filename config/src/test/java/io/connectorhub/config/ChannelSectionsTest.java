package io.connectorhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.ConfigProblem;
import io.connectorhub.core.GroupPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code channels.<name>}, bound for each installed channel module to the common keys and the module's record. */
class ChannelSectionsTest {
    private static final List<ChannelFactory<?>> SAMPLE = List.of(SampleChannel.named("sample"));

    @TempDir
    Path dir;

    private HubConfig load(List<ChannelFactory<?>> channels, Map<String, String> env, String yaml) throws Exception {
        return new ConfigLoader(env, channels).load(Files.writeString(dir.resolve("hub.yaml"), yaml));
    }

    private List<String> problems(List<ChannelFactory<?>> channels, String yaml) throws Exception {
        try {
            load(channels, Map.of(), yaml);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    @Test
    void splitsTheCommonKeysFromTheChannelsOwnAndSubstitutesTheEnvironment() throws Exception {
        HubConfig config = load(SAMPLE, Map.of("SAMPLE_TOKEN", "tok-1"), """
                channels:
                  sample:
                    enabled: true
                    allowFrom: [ann]
                    groupPolicy: open
                    keys: [{name: k, weight: 2}]
                """);
        ChannelSection<?> section = config.channels().section("sample");
        assertEquals(new CommonChannelSettings(true, List.of("ann"), GroupPolicy.OPEN), section.common());
        assertEquals(
                new SampleChannel.Settings(
                        "tok-1", List.of(new SampleChannel.Settings.Key("k", 2)), Duration.ofMinutes(1)),
                config.channels().settings("sample", SampleChannel.Settings.class));
    }

    @Test
    void groupPolicyIsMentionOpenOrDisabledInLowerCase() throws Exception {
        assertEquals(
                List.of("channels.sample.groupPolicy: must be mention, open or disabled"),
                problems(SAMPLE, "channels:\n  sample:\n    groupPolicy: Open\n"));
        assertEquals(
                List.of("channels.sample.groupPolicy: expected one of mention, open, disabled, not a list"),
                problems(SAMPLE, "channels:\n  sample:\n    groupPolicy: [open]\n"));
    }

    @Test
    void aChannelWithoutGroupChatsTakesNoGroupPolicy() throws Exception {
        List<ChannelFactory<?>> plain = List.of(new SampleChannel("plain", "plain.yaml", false));
        assertEquals(
                List.of("channels.plain.groupPolicy: unknown key; valid keys here: allowFrom, enabled, every, keys,"
                        + " token"),
                problems(plain, "channels:\n  plain:\n    groupPolicy: open\n"));
        assertNull(
                load(plain, Map.of(), "").channels().section("plain").common().groupPolicy());
    }

    @Test
    void linkedSendersAreAllowedByDefaultOnAChannelWithGroupChatsAndNeverWithout() throws Exception {
        assertTrue(
                load(SAMPLE, Map.of(), "").channels().section("sample").common().allowsLinked());
        assertFalse(load(SAMPLE, Map.of(), "channels:\n  sample:\n    allowLinked: false\n")
                .channels()
                .section("sample")
                .common()
                .allowsLinked());
        List<ChannelFactory<?>> plain = List.of(new SampleChannel("plain", "plain.yaml", false));
        assertFalse(
                load(plain, Map.of(), "").channels().section("plain").common().allowsLinked());
        assertEquals(
                List.of("channels.plain.allowLinked: unknown key; valid keys here: allowFrom, enabled, every, keys,"
                        + " token"),
                problems(plain, "channels:\n  plain:\n    allowLinked: true\n"));
    }

    @Test
    void openRegistrationRefusesLinkedSendersLetInOnlyByDefault() throws Exception {
        String enabled = "auth:\n  registration: open\nchannels:\n  sample:\n    enabled: true\n    token: t\n"
                + "    allowFrom: [ann]\n";
        assertEquals(
                List.of("channels.sample.allowLinked: is true by default, and auth.registration is open, so anyone"
                        + " could register, link their sample account and chat through the bot: set"
                        + " channels.sample.allowLinked: false, write channels.sample.allowLinked: true if that is"
                        + " meant, or set auth.registration to invite or closed"),
                problems(SAMPLE, enabled));
        assertEquals(List.of(), problems(SAMPLE, enabled + "    allowLinked: true\n"));
        assertEquals(List.of(), problems(SAMPLE, enabled + "    allowLinked: false\n"));
        assertEquals(List.of(), problems(SAMPLE, enabled.replace("open", "invite")));
    }

    @Test
    void aMistakeInsideTheSectionIsNamedByItsWholeKeyPath() throws Exception {
        assertEquals(
                List.of(
                        "channels.sample.keys[1].weight: expected a whole number",
                        "channels.sample.keys[2].nmae: unknown key; valid keys here: name, weight"),
                problems(
                        SAMPLE,
                        "channels:\n  sample:\n    keys: [{name: a, weight: 1}, {name: b, weight: heavy}, {nmae: c, weight: 3}]\n"));
    }

    @Test
    void theChannelsOwnChecksRunOnlyWhenItIsEnabled() throws Exception {
        ChannelSection<?> disabled = load(SAMPLE, Map.of(), "").channels().section("sample");
        assertThrows(IllegalStateException.class, () -> disabled.create(null), "only an enabled channel is created");
        assertEquals(
                List.of(
                        "channels.sample.token: is missing: set SAMPLE_TOKEN",
                        "channels.sample.allowFrom: is empty, so nobody could chat: list the senders"),
                problems(SAMPLE, "channels:\n  sample:\n    enabled: true\n"));
    }

    @Test
    void aSectionNoInstalledModuleOwnsIsAProblem() throws Exception {
        assertEquals(
                List.of("channels.sample: unknown channel; no channel module is installed"),
                problems(List.of(), "channels:\n  sample:\n    enabled: true\n"));
    }

    @Test
    void aModuleThatCannotBeUsedIsAProblemNamingItNotACrash() throws Exception {
        List<String> problems = problems(
                List.of(
                        SampleChannel.named("two words"),
                        SampleChannel.named("twice"),
                        SampleChannel.named("twice"),
                        new SampleChannel("missing", "missing.yaml", true),
                        new SampleChannel("broken", "broken.yaml", true)),
                "");
        String all = String.join("\n", problems);
        assertEquals(4, problems.size(), all);
        assertTrue(
                all.contains("channels: the channel module " + SampleChannel.class.getName()
                        + " is named \"two words\", but a channel's name is a letter, then letters and digits"),
                all);
        assertTrue(all.contains("channels.twice: two installed channel modules have this name"), all);
        assertTrue(all.contains("channels.missing: the defaults of the channel module"), all);
        assertTrue(all.contains(") are missing: fix the module"), all);
        assertTrue(all.contains("channels.broken: the defaults of the channel module"), all);
        assertTrue(all.contains(") are not a YAML mapping of its keys"), all);
    }

    @Test
    void theDefaultsTextListsEachChannelByNameUnderChannelsWithItsComments() {
        String text = new ConfigLoader(Map.of(), List.of(SampleChannel.named("zeta"), SampleChannel.named("alpha")))
                .defaultsText();
        assertTrue(text.startsWith("# Every setting of the hub with its default."), text);
        String alpha = "  alpha:\n    # a channel module of the loader's tests\n    enabled: false\n"
                + "    allowFrom: []                    # who may chat\n";
        assertTrue(text.contains("\nchannels:"), text);
        assertTrue(text.indexOf("\nchannels:") < text.indexOf(alpha), text);
        assertTrue(text.indexOf(alpha) < text.indexOf("\n  zeta:\n"), text);
    }
}
