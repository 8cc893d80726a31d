package io.connectorhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code auth} section: who may register and how long users' tokens live. */
class AuthConfigTest {
    @TempDir
    Path dir;

    private HubConfig load(String yaml) throws Exception {
        return new ConfigLoader(Map.of()).load(Files.writeString(dir.resolve("hub.yaml"), yaml));
    }

    @Test
    void defaultsToClosedRegistrationFifteenMinuteAccessAndSevenDayRefreshTokens() {
        AuthConfig auth = new ConfigLoader(Map.of()).defaults().auth();
        assertEquals(AuthConfig.Registration.CLOSED, auth.registration());
        assertEquals(Duration.ofMinutes(15), auth.accessTokenTtl());
        assertEquals(Duration.ofDays(7), auth.refreshTokenTtl());
    }

    @Test
    void readsRegistrationInLowerCase() throws Exception {
        assertEquals(
                AuthConfig.Registration.INVITE,
                load("auth:\n  registration: invite\n").auth().registration());
    }

    @Test
    void refusesAnUnknownRegistrationAndTokenLifetimesOutOfRange() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> load("auth:\n  registration: anyone\n  accessTokenTtl: 2d\n  refreshTokenTtl: 1m\n"));
        assertEquals(
                List.of(
                        "auth.registration: must be closed, invite or open",
                        "auth.accessTokenTtl: must be a duration from 30s to 1d, such as 15m",
                        "auth.refreshTokenTtl: must be a duration from accessTokenTtl to 365d, such as 7d"),
                e.problems().stream().map(Object::toString).toList());
    }
}
