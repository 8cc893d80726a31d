package io.connectorhub.accounts.internal;

import java.security.SecureRandom;

/** Random text over an alphabet, each character drawn uniformly from a {@link SecureRandom}. Thread-safe. */
public final class RandomText {
    private final SecureRandom random;
    private final String alphabet;

    public RandomText(SecureRandom random, String alphabet) {
        if (alphabet.length() < 2) throw new IllegalArgumentException("an alphabet needs at least two characters");
        this.random = random;
        this.alphabet = alphabet;
    }

    /** {@code length} characters of the alphabet. */
    public String next(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return text.toString();
    }
}
