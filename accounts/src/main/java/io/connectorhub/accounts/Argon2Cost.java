package io.connectorhub.accounts;

/**
 * The cost of one Argon2id hash: {@code memoryKib} KiB of memory, {@code iterations} passes over it, {@code
 * parallelism} lanes. Stored in each hash, so a raised cost still verifies the hashes made with the old one.
 */
public record Argon2Cost(int memoryKib, int iterations, int parallelism) {
    /**
     * OWASP's first recommendation for Argon2id (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. One hash
     * takes tens of milliseconds on one core, which a sign-in does not notice but a guesser pays for every guess, and
     * its memory (19 MiB a hash, times the hashing permits) stays small next to the hub's heap.
     */
    public static final Argon2Cost OWASP = new Argon2Cost(19 * 1024, 2, 1);

    public Argon2Cost {
        if (parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException("Argon2 parallelism must be 1 to 255, not " + parallelism);
        }
        if (iterations < 1)
            throw new IllegalArgumentException("Argon2 iterations must be at least 1, not " + iterations);
        if (memoryKib < 8 * parallelism) {
            throw new IllegalArgumentException(
                    "Argon2 memory must be at least 8 KiB per lane (" + 8 * parallelism + " KiB), not " + memoryKib);
        }
    }
}
