/** The accounts module's helpers (Argon2id in PHC form, random text); nothing outside the module uses them. */
package io.connectorhub.accounts.internal;
