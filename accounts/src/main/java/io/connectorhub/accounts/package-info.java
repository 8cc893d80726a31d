/**
 * Users' credentials, without storage or routes: password hashing ({@link io.connectorhub.accounts.Passwords},
 * {@link io.connectorhub.accounts.PasswordPolicy}), access tokens ({@link io.connectorhub.accounts.AccessTokens} and
 * their {@link io.connectorhub.accounts.SigningKeys}), refresh tokens ({@link io.connectorhub.accounts.RefreshTokens}),
 * sign-in throttling ({@link io.connectorhub.accounts.LoginThrottle}), device sign-in ({@link
 * io.connectorhub.accounts.DeviceChallenges}) and one-time codes ({@link io.connectorhub.accounts.OneTimeCodes}). What
 * must persist goes through small store interfaces ({@code *Store}, {@link io.connectorhub.accounts.DeviceNonces}); time
 * comes from an injected clock. Secrets (passwords, tokens, codes, private keys) never appear in a {@code toString()},
 * an exception or a log line.
 */
package io.connectorhub.accounts;
