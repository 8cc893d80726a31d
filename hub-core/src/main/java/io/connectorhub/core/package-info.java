/**
 * The API of the hub's core: what channel modules and agents compile against. Everything else in {@code hub-core} is in
 * {@link io.connectorhub.core.internal} and its sub-packages, which only the assembly ({@code hub-app}) and the agent
 * loop's wiring use; a test in {@code hub-app} ({@code ModuleBoundariesTest}) fails the build when a channel module's
 * code imports it or the SQLite driver.
 *
 * <ul>
 *   <li>Channels: {@link io.connectorhub.core.BaseChannel}, {@link io.connectorhub.core.ChannelFactory} (found with
 *       {@link java.util.ServiceLoader}), {@link io.connectorhub.core.ChannelContext}, {@link
 *       io.connectorhub.core.PlatformWebhook}, {@link io.connectorhub.core.AllowList}, {@link
 *       io.connectorhub.core.AuthFailures} (with its {@link io.connectorhub.core.FailureLog}), {@link
 *       io.connectorhub.core.GeneratedSecret}, {@link
 *       io.connectorhub.core.AgentDirectory}, {@link io.connectorhub.core.GeneratedSecrets}.
 *   <li>Messages: {@link io.connectorhub.core.InboundMessage}, {@link io.connectorhub.core.OutboundMessage}, {@link
 *       io.connectorhub.core.ChatMessage}, {@link io.connectorhub.core.MediaRef}, {@link
 *       io.connectorhub.core.SessionInfo}, {@link io.connectorhub.core.Admission}.
 *   <li>Where messages go: {@link io.connectorhub.core.InboundGate}, {@link io.connectorhub.core.MessageBus}, {@link
 *       io.connectorhub.core.Inbox}, {@link io.connectorhub.core.Outbox}, {@link io.connectorhub.core.SessionStore}.
 *   <li>A module's own tables: {@link io.connectorhub.core.ModuleState}, with Jdbi; its migration scripts are Flyway's
 *       {@code db/<module>/common/V<n>__<what>.sql} and {@code db/<module>/<dialect>/...} on the class path.
 *   <li>Users: {@link io.connectorhub.core.UserTokens} checks an access token into a {@link
 *       io.connectorhub.core.Principal}, {@link io.connectorhub.core.Revocations} tells when one was cut off since
 *       (both in {@link io.connectorhub.core.ChannelContext}; the accounts module implements them).
 *   <li>Services and support: {@link io.connectorhub.core.Service}, {@link io.connectorhub.core.HubMetrics}, {@link
 *       io.connectorhub.core.HubException}, {@link io.connectorhub.core.BusFullException}, {@link
 *       io.connectorhub.core.Json}, {@link io.connectorhub.core.Urls}.
 * </ul>
 *
 * Javalin's {@code JavalinConfig} (for {@link io.connectorhub.core.BaseChannel#mount}), OkHttp's client and Jdbi's
 * handles appear in this API; the store (SQLite or PostgreSQL) does not.
 */
package io.connectorhub.core;
