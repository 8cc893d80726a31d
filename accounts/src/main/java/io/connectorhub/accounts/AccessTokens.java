package io.connectorhub.accounts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.HubException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Signs and checks access tokens: JWTs (type {@code at+jwt}) signed ES256 with the current key of {@link SigningKeys},
 * its id in the header's {@code kid}, with claims {@code iss} and {@code aud} ({@value #ISSUER}), {@code sub} (the user
 * id), {@code role} ({@code admin} or {@code user}), {@code sid} (the sign-in session), {@code jti}, {@code iat} and
 * {@code exp}. A check accepts only ES256 with a {@code kid} of the ring (so {@code alg: none}, HMAC with the public
 * key as secret and foreign keys all fail) and allows {@link #CLOCK_SKEW} on the expiry. Thread-safe.
 */
public final class AccessTokens {
    /** The issuer and audience of every token: tokens are made and checked by the hub alone. */
    public static final String ISSUER = "connector-hub";
    /** How far the clocks of the hub and of a client may disagree on a token's expiry. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** The default lifetime of a token (setting {@code auth.accessTokenTtl}). */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    private static final String ROLE = "role";
    private static final String SESSION = "sid";

    private final SigningKeys keys;
    private final Duration ttl;
    private final InstantSource clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public AccessTokens(SigningKeys keys, Duration ttl, InstantSource clock) {
        if (ttl.toSeconds() < 1) throw new IllegalArgumentException("an access token lives at least a second");
        this.keys = keys;
        this.ttl = ttl;
        this.clock = clock;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE));
        processor.setJWSKeySelector(keySelector(keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(
                        ISSUER,
                        new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                        Set.of("sub", "iat", "exp", "jti", ROLE, SESSION)) {
                    @Override
                    protected Date currentTime() {
                        return Date.from(clock.instant());
                    }
                };
        claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** A token for {@code userId} with {@code role} in sign-in session {@code sessionId}, valid for the TTL from now. */
    public AccessToken issue(String userId, Role role, String sessionId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        AccessClaims claims = new AccessClaims(userId, role, sessionId, GeneratedSecret.random(16), now, now.plus(ttl));
        var key = keys.current();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(TYPE)
                        .keyID(key.getKeyID())
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(ISSUER)
                        .audience(ISSUER)
                        .subject(userId)
                        .claim(ROLE, role.wireName())
                        .claim(SESSION, sessionId)
                        .jwtID(claims.tokenId())
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(claims.expiresAt()))
                        .build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new HubException("cannot sign an access token with key " + key.getKeyID() + ": " + e.getMessage(), e);
        }
        return new AccessToken(jwt.serialize(), claims);
    }

    /** What {@code token} is: valid (with its claims), expired (signed by us, past its time) or invalid. */
    public TokenCheck verify(String token) {
        if (token == null || token.isBlank()) return new TokenCheck.Invalid("no token");
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ExpiredJWTException e) {
            // Thrown only once the signature verified, so the subject can be trusted.
            return new TokenCheck.Expired(subject(token));
        } catch (ParseException e) {
            return new TokenCheck.Invalid("not a JWT");
        } catch (BadJOSEException | JOSEException e) {
            return new TokenCheck.Invalid(e.getMessage());
        }
        Optional<Role> role = Role.parse(text(claims, ROLE));
        String session = text(claims, SESSION);
        if (role.isEmpty() || session == null) return new TokenCheck.Invalid("role or sid claim malformed");
        return new TokenCheck.Valid(new AccessClaims(
                claims.getSubject(),
                role.get(),
                session,
                claims.getJWTID(),
                claims.getIssueTime().toInstant(),
                claims.getExpirationTime().toInstant()));
    }

    /** How long a new token is valid. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Adds a new signing key to the ring; the replaced one keeps verifying until the tokens it signed have expired
     * (one TTL plus {@link #CLOCK_SKEW}).
     */
    public void rotateKey() {
        keys.rotate(ttl.plus(CLOCK_SKEW));
    }

    /** Selects the ring's key named by {@code kid}, for ES256 only; no key (so a refusal) otherwise. */
    private static JWSKeySelector<SecurityContext> keySelector(SigningKeys keys) {
        return (header, context) -> {
            if (!JWSAlgorithm.ES256.equals(header.getAlgorithm()) || header.getKeyID() == null) return List.of();
            return keys.verificationKey(header.getKeyID()).map(List::of).orElse(List.of());
        };
    }

    private static String subject(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            throw new IllegalStateException("a token that was just verified no longer parses", e);
        }
    }

    private static String text(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String s ? s : null;
    }
}
