package io.connectorhub.accounts;

import io.connectorhub.accounts.internal.RandomText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a chosen password must be: {@value #MIN_LENGTH} to {@value #MAX_LENGTH} characters (the maximum bounds the
 * cost of hashing it), and none of the most common passwords, whatever its case. Also makes passwords for users who
 * did not choose one. Immutable, thread-safe.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 1024;

    /** The resource next to this class listing common passwords, one a line; see its header for where it is from. */
    static final String COMMON_PASSWORDS = "common-passwords.txt";

    /** Lower-case letters and digits that cannot be taken for one another (no 0, o, 1, l, i). */
    private static final String GENERATED_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

    private static final int GENERATED_GROUPS = 5;
    private static final int GENERATED_GROUP_LENGTH = 4;

    private final Set<String> common;
    private final RandomText generated = new RandomText(new SecureRandom(), GENERATED_ALPHABET);

    PasswordPolicy(Set<String> common) {
        this.common = Set.copyOf(common);
    }

    /** The policy with the common passwords shipped in this module. */
    public static PasswordPolicy standard() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_PASSWORDS)) {
            if (in == null) throw new IllegalStateException(COMMON_PASSWORDS + " is missing from the accounts module");
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new PasswordPolicy(lines.lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + COMMON_PASSWORDS, e);
        }
    }

    /** What is wrong with {@code password} as a new password, for the user to read; empty if nothing. */
    public Optional<String> problem(String password) {
        if (password == null || password.isEmpty()) return Optional.of("password is missing");
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            return Optional.of("password is too short (" + length + " characters): use at least " + MIN_LENGTH);
        }
        if (length > MAX_LENGTH) {
            return Optional.of("password is too long (" + length + " characters): use at most " + MAX_LENGTH);
        }
        if (common.contains(password.toLowerCase(Locale.ROOT))) {
            return Optional.of("password is one of the most common passwords: choose another");
        }
        return Optional.empty();
    }

    /**
     * A new random password that this policy accepts, easy to read out and type: five groups of four lower-case
     * letters and digits, e.g. {@code k7mq-x2pa-9fvd-tn3e-hw8r} (24 characters, about 99 bits of randomness).
     */
    public String generate() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < GENERATED_GROUPS; i++) {
            if (i > 0) password.append('-');
            password.append(generated.next(GENERATED_GROUP_LENGTH));
        }
        return password.toString();
    }
}
