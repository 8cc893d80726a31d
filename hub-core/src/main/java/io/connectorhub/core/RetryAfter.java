package io.connectorhub.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an HTTP {@code Retry-After} header: delta-seconds ({@code 120}) or an HTTP-date ({@code Wed, 21 Oct 2026
 * 07:28:00 GMT}, measured from the given clock). Seconds with a fraction ({@code 1.5}, which some providers send) are
 * read to the millisecond, rounded up. The wait is clamped to zero (a date in the past) and to {@code max} (a huge
 * number). Absent, blank or unreadable (words, a negative number): empty, as if there were no header.
 */
public final class RetryAfter {
    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

    private RetryAfter() {}

    public static Optional<Duration> parse(String header, Clock clock, Duration max) {
        if (header == null || header.isBlank()) return Optional.empty();
        String value = header.strip();
        Duration wait;
        if (SECONDS.matcher(value).matches()) {
            BigDecimal millis = new BigDecimal(value).movePointRight(3).setScale(0, RoundingMode.CEILING);
            wait = millis.compareTo(BigDecimal.valueOf(max.toMillis())) > 0
                    ? max
                    : Duration.ofMillis(millis.longValueExact());
        } else {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                wait = Duration.between(clock.instant(), at);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) return Optional.of(Duration.ZERO);
        return Optional.of(wait.compareTo(max) > 0 ? max : wait);
    }
}
