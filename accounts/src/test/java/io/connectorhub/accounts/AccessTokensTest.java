package io.connectorhub.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessTokensTest {
    private final TestTime time = new TestTime();
    private final SigningKeys keys = SigningKeys.loadOrCreate(new MemorySigningKeyStore(), time);
    private final AccessTokens tokens = new AccessTokens(keys, Duration.ofMinutes(15), time);

    @Test
    void signsES256WithTheKeyIdAndTheClaimsOfTheUser() throws Exception {
        AccessToken token = tokens.issue("u1", Role.ADMIN, "family-1");

        SignedJWT jwt = SignedJWT.parse(token.value());
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals(keys.currentKeyId(), jwt.getHeader().getKeyID());
        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("u1", claims.getSubject());
        assertEquals("admin", claims.getClaim("role"));
        assertEquals("family-1", claims.getClaim("sid"));
        assertEquals("connector-hub", claims.getIssuer());
        assertEquals(List.of("connector-hub"), claims.getAudience());
        assertEquals(time.instant(), claims.getIssueTime().toInstant());
        assertEquals(
                time.instant().plus(Duration.ofMinutes(15)),
                claims.getExpirationTime().toInstant());
        assertTrue(claims.getJWTID().length() >= 16);
    }

    @Test
    void acceptsItsOwnTokenAndReturnsItsClaims() {
        AccessToken token = tokens.issue("u1", Role.USER, "family-1");

        assertEquals(new TokenCheck.Valid(token.claims()), tokens.verify(token.value()));
    }

    @Test
    void eachTokenHasItsOwnId() {
        assertFalse(tokens.issue("u1", Role.USER, "f")
                .claims()
                .tokenId()
                .equals(tokens.issue("u1", Role.USER, "f").claims().tokenId()));
    }

    @Test
    void allowsThirtySecondsOfClockSkewThenCallsTheTokenExpiredNotInvalid() {
        AccessToken token = tokens.issue("u1", Role.USER, "family-1");

        time.advance(Duration.ofMinutes(15).plusSeconds(29));
        assertInstanceOf(TokenCheck.Valid.class, tokens.verify(token.value()));

        time.advance(Duration.ofSeconds(1));
        assertEquals(new TokenCheck.Expired("u1"), tokens.verify(token.value()));
    }

    @Test
    void refusesATamperedPayload() throws Exception {
        String[] parts = tokens.issue("u1", Role.USER, "family-1").value().split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("\"role\":\"user\"", "\"role\":\"admin\"");
        assertTrue(payload.contains("\"role\":\"admin\""), payload);

        String tampered = parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];

        assertInvalid(tampered);
    }

    @Test
    void refusesAnExpiredTokenThatWasTamperedWithAsInvalid() throws Exception {
        String[] parts = tokens.issue("u1", Role.USER, "family-1").value().split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8).replace("u1", "u2");
        time.advance(Duration.ofHours(1));

        assertInvalid(parts[0] + "." + Base64URL.encode(payload) + "." + parts[2]);
    }

    @Test
    void refusesATokenSignedByAnotherKeyWithTheSameKeyId() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID(keys.currentKeyId()).generate();

        assertInvalid(forged(JWSAlgorithm.ES256, keys.currentKeyId(), new ECDSASigner(other)));
    }

    @Test
    void refusesATokenWithoutKeyIdOrWithAnUnknownOne() throws Exception {
        ECKey current = keys.current();

        assertInvalid(forged(JWSAlgorithm.ES256, null, new ECDSASigner(current)));
        assertInvalid(forged(JWSAlgorithm.ES256, "unknown", new ECDSASigner(current)));
        // the same token with the right key id is accepted: only the key id made the difference
        assertInstanceOf(
                TokenCheck.Valid.class,
                tokens.verify(forged(JWSAlgorithm.ES256, current.getKeyID(), new ECDSASigner(current))));
    }

    @Test
    void refusesAlgNone() {
        String unsigned = new PlainJWT(claims()).serialize();

        assertInvalid(unsigned);
    }

    @Test
    void refusesHs256WithThePublicKeyAsTheSecret() throws Exception {
        byte[] publicKey = keys.current().toECPublicKey().getEncoded();
        byte[] publicJwk = keys.current().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);

        assertInvalid(forged(JWSAlgorithm.HS256, keys.currentKeyId(), new MACSigner(publicKey)));
        assertInvalid(forged(JWSAlgorithm.HS256, keys.currentKeyId(), new MACSigner(publicJwk)));
    }

    @Test
    void refusesATokenForAnotherIssuerOrWithoutItsClaims() throws Exception {
        ECKey current = keys.current();
        JWTClaimsSet otherIssuer =
                new JWTClaimsSet.Builder(claims()).issuer("someone-else").build();
        JWTClaimsSet noSession =
                new JWTClaimsSet.Builder(claims()).claim("sid", null).build();
        JWTClaimsSet badRole =
                new JWTClaimsSet.Builder(claims()).claim("role", "root").build();

        for (JWTClaimsSet claims : new JWTClaimsSet[] {otherIssuer, noSession, badRole}) {
            assertInvalid(
                    sign(JWSAlgorithm.ES256, current.getKeyID(), new ECDSASigner(current), claims), claims.toString());
        }
    }

    @Test
    void refusesGarbage() {
        for (String garbage : new String[] {null, "", "Bearer", "a.b.c", "x".repeat(5000)}) {
            assertInvalid(garbage, String.valueOf(garbage));
        }
    }

    @Test
    void tokensSignedBeforeARotationStillVerifyUntilTheyExpire() throws Exception {
        AccessToken before = tokens.issue("u1", Role.USER, "family-1");

        tokens.rotateKey();
        AccessToken after = tokens.issue("u1", Role.USER, "family-1");

        assertFalse(keyId(before).equals(keyId(after)));
        assertEquals(keys.currentKeyId(), keyId(after));
        assertInstanceOf(TokenCheck.Valid.class, tokens.verify(before.value()));
        assertInstanceOf(TokenCheck.Valid.class, tokens.verify(after.value()));

        time.advance(Duration.ofMinutes(15).plusSeconds(31));
        assertEquals(new TokenCheck.Expired("u1"), tokens.verify(before.value()));
    }

    @Test
    void tokenOfAnotherHubIsInvalid() {
        AccessTokens otherHub = new AccessTokens(
                SigningKeys.loadOrCreate(new MemorySigningKeyStore(), time), Duration.ofMinutes(15), time);

        assertInvalid(otherHub.issue("u1", Role.ADMIN, "f").value());
    }

    @Test
    void toStringHidesTheToken() {
        AccessToken token = tokens.issue("u1", Role.USER, "family-1");

        assertFalse(token.toString().contains(token.value()));
        assertFalse(token.toString().contains(token.value().split("\\.")[2]));
    }

    private void assertInvalid(String token) {
        assertInstanceOf(TokenCheck.Invalid.class, tokens.verify(token));
    }

    private void assertInvalid(String token, String what) {
        assertInstanceOf(TokenCheck.Invalid.class, tokens.verify(token), what);
    }

    private static String keyId(AccessToken token) throws Exception {
        return SignedJWT.parse(token.value()).getHeader().getKeyID();
    }

    private JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder()
                .issuer("connector-hub")
                .audience("connector-hub")
                .subject("u1")
                .claim("role", "admin")
                .claim("sid", "family-1")
                .jwtID("forged")
                .issueTime(Date.from(time.instant()))
                .expirationTime(Date.from(time.instant().plus(Duration.ofMinutes(15))))
                .build();
    }

    private String forged(JWSAlgorithm alg, String keyId, JWSSigner signer) throws Exception {
        return sign(alg, keyId, signer, claims());
    }

    private static String sign(JWSAlgorithm alg, String keyId, JWSSigner signer, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(alg)
                        .type(new JOSEObjectType("at+jwt"))
                        .keyID(keyId)
                        .build(),
                claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
