package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.Locale;

/**
 * Users' sign-in: who may create an account, and how long access and refresh tokens live.
 *
 * @param registration who may register over {@code POST /api/v1/auth/register}
 * @param accessTokenTtl lifetime of an access token (JWT); a disabled user is cut off within it at most
 * @param refreshTokenTtl lifetime of a refresh token; each refresh starts it anew
 */
public record AuthConfig(Registration registration, Duration accessTokenTtl, Duration refreshTokenTtl)
        implements Section {

    /** Who may register: nobody (admins add users), holders of an invite code, or anyone. */
    public enum Registration {
        CLOSED,
        INVITE,
        OPEN;

        /** The name as {@code hub.yaml} writes it: {@code closed}, {@code invite}, {@code open}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AuthConfig {
        registration = registration == null ? Registration.CLOSED : registration;
    }

    @Override
    public void check(String path, Problems problems) {
        problems.require(
                accessTokenTtl != null
                        && accessTokenTtl.compareTo(Duration.ofSeconds(30)) >= 0
                        && accessTokenTtl.compareTo(Duration.ofDays(1)) <= 0,
                path + ".accessTokenTtl",
                "must be a duration from 30s to 1d, such as 15m");
        problems.require(
                refreshTokenTtl != null
                        && accessTokenTtl != null
                        && refreshTokenTtl.compareTo(accessTokenTtl) >= 0
                        && refreshTokenTtl.compareTo(Duration.ofDays(365)) <= 0,
                path + ".refreshTokenTtl",
                "must be a duration from accessTokenTtl to 365d, such as 7d");
    }
}
