/**
 * The hub's running core, not an API: the runtime and its start-up ({@link io.connectorhub.core.internal.HubRuntime}),
 * the channel manager, the bus, the HTTP server, admin tokens, events and failure reporting, with the SQLite store in
 * {@code internal.store} and the network guards in {@code internal.net}. Only the assembly ({@code hub-app}), the
 * configuration's mapping onto the runtime's settings and the agent loop's wiring use it; it changes without notice.
 * Its classes are final.
 */
package io.connectorhub.core.internal;
