package io.connectorhub.app;

import io.connectorhub.accounts.AccountRoutes;
import io.connectorhub.accounts.Accounts;
import io.connectorhub.accounts.LoginThrottle;
import io.connectorhub.accounts.Passwords;
import io.connectorhub.accounts.SigningKeyFile;
import io.connectorhub.accounts.SigningKeyStore;
import io.connectorhub.accounts.SigningKeys;
import io.connectorhub.accounts.SqlSigningKeyStore;
import io.connectorhub.accounts.Throttle;
import io.connectorhub.accounts.UserStore;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ModuleState;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.HubRuntime;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Opens the users' accounts of a runtime being configured: their tables, the access-token signing keys (in {@code
 * <dataDir>/}{@value #SIGNING_KEYS} on SQLite, in the database's {@code secrets} table on PostgreSQL, shared by every
 * instance), and on first run the {@code admin} user (created beside the rest of the start-up, see {@link
 * FirstAdmin}); then mounts their routes.
 */
final class AccountsSetup {
    static final String SIGNING_KEYS = "signing-keys.json";
    /** Wrong invite or link codes a sender may send in {@link #CODE_WINDOW}. */
    private static final int WRONG_CODES = 5;

    private static final Duration CODE_WINDOW = Duration.ofMinutes(15);

    private AccountsSetup() {}

    static Accounts open(HubRuntime runtime, HubConfig config, PrintStream console) {
        var clock = runtime.clock();
        ModuleState state = runtime.state(UserStore.MODULE);
        SigningKeyStore keys = state.dialect().equals("postgresql")
                ? new SqlSigningKeyStore(state, clock)
                : new SigningKeyFile(runtime.channelContext().dataDir().resolve(SIGNING_KEYS));
        Accounts accounts = new Accounts(
                state,
                SigningKeys.loadOrCreate(keys, clock),
                Passwords.standard(),
                config.auth(),
                LoginThrottle.withDefaults(runtime.failures(), clock),
                new Throttle(WRONG_CODES, CODE_WINDOW, runtime.failures(), "codes", clock),
                clock);
        runtime.addService(FirstAdmin.begin(() -> accounts.createFirstAdmin(console)));
        return accounts;
    }

    /** Mounts the accounts' routes; returns them, for their guard of users' routes. */
    static AccountRoutes mount(HubRuntime runtime, Accounts accounts, AdminAuth admin) {
        AccountRoutes routes = new AccountRoutes(
                accounts,
                runtime.channelContext().authFailures(),
                runtime.sessions(),
                runtime.channelContext().agents());
        runtime.addRoutes(http -> routes.mount(http, admin));
        return routes;
    }
}
