package io.connectorhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code recovery} section: how old a stored message or reply may be and still go out after an outage. */
class RecoveryConfigTest {
    @TempDir
    Path dir;

    private HubConfig load(String yaml) throws Exception {
        return new ConfigLoader(Map.of()).load(Files.writeString(dir.resolve("hub.yaml"), yaml));
    }

    @Test
    void defaultsToAnHourForMessagesAndReplies() {
        HubConfig config = new ConfigLoader(Map.of()).defaults();
        assertEquals(Duration.ofHours(1), config.runtimeSettings().maxMessageAge());
        assertEquals(Duration.ofHours(1), config.runtimeSettings().maxReplyAge());
    }

    @Test
    void takesZeroForNoLimit() throws Exception {
        HubConfig config = load("recovery:\n  maxMessageAge: 0\n  maxReplyAge: 30m\n");
        assertEquals(Duration.ZERO, config.runtimeSettings().maxMessageAge());
        assertEquals(Duration.ofMinutes(30), config.runtimeSettings().maxReplyAge());
    }

    @Test
    void refusesANegativeAgeNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("recovery:\n  maxReplyAge: \"-PT1H\"\n"));
        assertEquals(
                "recovery.maxReplyAge: must be a duration such as 1h, or 0 for no limit",
                e.problems().get(0).toString());
        assertEquals(1, e.problems().size());
    }
}
