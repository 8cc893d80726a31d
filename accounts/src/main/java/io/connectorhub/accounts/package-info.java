/**
 * Users' accounts. {@link io.connectorhub.accounts.Accounts} is the service (registration, sign-in, refresh, devices,
 * admins' management; it checks access tokens for the rest of the hub as {@link io.connectorhub.core.UserTokens}),
 * {@link io.connectorhub.accounts.AccountRoutes} its HTTP routes, and {@link io.connectorhub.accounts.UserStore},
 * {@link io.connectorhub.accounts.SqlRefreshTokenStore} and {@link io.connectorhub.accounts.SqlCodeStore} its tables
 * (module {@code accounts}, Flyway scripts under {@code db/accounts/}). Beneath them, the credentials: password hashing ({@link io.connectorhub.accounts.Passwords},
 * {@link io.connectorhub.accounts.PasswordPolicy}), access tokens ({@link io.connectorhub.accounts.AccessTokens} and
 * their {@link io.connectorhub.accounts.SigningKeys}), refresh tokens ({@link io.connectorhub.accounts.RefreshTokens}),
 * sign-in throttling ({@link io.connectorhub.accounts.LoginThrottle}), device sign-in ({@link
 * io.connectorhub.accounts.DeviceChallenges}) and one-time codes ({@link io.connectorhub.accounts.OneTimeCodes}). What
 * must persist goes through small store interfaces ({@code *Store}, {@link io.connectorhub.accounts.DeviceNonces}); time
 * comes from an injected clock. Secrets (passwords, tokens, codes, private keys) never appear in a {@code toString()},
 * an exception or a log line.
 */
package io.connectorhub.accounts;
