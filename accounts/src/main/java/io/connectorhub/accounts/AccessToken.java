package io.connectorhub.accounts;

/** A newly signed access token: {@code value} is the secret bearer string (never in {@link #toString()}). */
public record AccessToken(String value, AccessClaims claims) {
    @Override
    public String toString() {
        return "AccessToken[value=(secret), claims=" + claims + "]";
    }
}
