package io.connectorhub.app.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    // The example of the Standard Webhooks specification (and the reference libraries' tests).
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void matchesTheSpecificationsExample() {
        assertEquals(SIGNATURE, WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY));
    }

    @Test
    void verifiesAHeaderWithSeveralSignaturesWhenOneMatches() {
        String other = WebhookSignature.newSecret();
        String header = WebhookSignature.header(List.of(other, SECRET), ID, TIMESTAMP, BODY);
        assertTrue(WebhookSignature.verify(SECRET, ID, "1614265330", header, BODY, Instant.ofEpochSecond(TIMESTAMP)));
    }

    @Test
    void rejectsATamperedBodyAStaleTimestampAndAWrongSecret() {
        Instant at = Instant.ofEpochSecond(TIMESTAMP);
        assertFalse(WebhookSignature.verify(SECRET, ID, "1614265330", SIGNATURE, BODY + " ", at));
        assertFalse(WebhookSignature.verify(SECRET, ID, "1614265330", SIGNATURE, BODY, at.plusSeconds(301)));
        assertFalse(WebhookSignature.verify(WebhookSignature.newSecret(), ID, "1614265330", SIGNATURE, BODY, at));
        assertTrue(WebhookSignature.verify(SECRET, ID, "1614265330", SIGNATURE, BODY, at.minusSeconds(300)));
    }

    @Test
    void newSecretsCarryThePrefixAnd32RandomBytes() {
        String s = WebhookSignature.newSecret();
        assertTrue(s.startsWith("whsec_"));
        assertEquals(32, Base64.getDecoder().decode(s.substring(6)).length);
    }
}
