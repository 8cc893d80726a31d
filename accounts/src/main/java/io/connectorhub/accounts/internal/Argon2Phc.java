package io.connectorhub.accounts.internal;

import io.connectorhub.accounts.Argon2Cost;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (version 19, Bouncy Castle's implementation) and its PHC string form,
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} with salt and hash in standard base64 without
 * padding, as other Argon2 libraries write it. Stateless.
 */
public final class Argon2Phc {
    private static final Pattern FORMAT = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,9}),t=(\\d{1,9}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{11,})");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    /** A parsed PHC string. The arrays are the caller's. */
    public record Parsed(Argon2Cost cost, byte[] salt, byte[] hash) {}

    private Argon2Phc() {}

    /** The hash of {@code password} with {@code salt}, {@code length} bytes long. */
    public static byte[] compute(byte[] password, Argon2Cost cost, byte[] salt, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build());
        byte[] hash = new byte[length];
        generator.generateBytes(password, hash);
        return hash;
    }

    /** The PHC string of a hash. */
    public static String encode(Argon2Cost cost, byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$"
                + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** The parts of {@code phc}, or empty if it is not an Argon2id version 19 PHC string with a valid cost. */
    public static Optional<Parsed> parse(String phc) {
        if (phc == null) return Optional.empty();
        Matcher m = FORMAT.matcher(phc);
        if (!m.matches()) return Optional.empty();
        try {
            Argon2Cost cost = new Argon2Cost(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            return Optional.of(new Parsed(
                    cost,
                    Base64.getDecoder().decode(m.group(4)),
                    Base64.getDecoder().decode(m.group(5))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
