package io.connectorhub.app.doctor;

import io.connectorhub.core.CredentialCheck;
import java.io.IOException;
import java.net.UnknownHostException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Reachability of the stored agent gateways and webhook receivers: any HTTP answer counts, nothing is posted. Each
 * kind is contacted through a client that keeps the hub's rule on private addresses for it.
 */
final class TargetChecks {
    private final OkHttpClient gateways;
    private final OkHttpClient webhooks;

    /**
     * @param gateways the client for gateways: it refuses private addresses unless {@code gateways.allowPrivateTargets}
     * @param webhooks the client for webhook receivers: the same under {@code webhooks.allowPrivateTargets}
     */
    TargetChecks(OkHttpClient gateways, OkHttpClient webhooks) {
        this.gateways = gateways;
        this.webhooks = webhooks;
    }

    Check gateway(StoredTargets.Gateway g) {
        String name = "gateway " + g.name();
        try (Response r = gateways.newCall(
                        new Request.Builder().url(g.url()).get().build())
                .execute()) {
            return Check.ok(name, g.url() + " answers (HTTP " + r.code() + ")");
        } catch (IOException | IllegalArgumentException e) {
            if (internal(e)) return refused(name, e, "gateways.allowPrivateTargets", "the gateway");
            return Check.fail(
                    name,
                    "no answer from " + g.url() + ": " + describe(e),
                    "start the gateway or fix its address (./hub gateways rm " + g.name() + ", then add it again)");
        }
    }

    Check webhook(StoredTargets.Webhook w) {
        String name = "webhook " + w.id();
        if (!w.enabled() && w.disabledReason() == null)
            return Check.ok(name, "disabled by an admin; " + w.url() + " not contacted");
        if (!w.enabled())
            return Check.fail(
                    name,
                    "the hub disabled it: " + w.disabledReason(),
                    "fix the receiver at " + w.url() + ", then ./hub webhooks enable " + w.id());
        try (Response r = webhooks.newCall(
                        new Request.Builder().url(w.url()).head().build())
                .execute()) {
            if (r.code() / 100 == 3)
                return Check.fail(
                        name,
                        w.url() + " redirects (HTTP " + r.code() + "), and deliveries do not follow redirects",
                        "register the final URL (./hub webhooks add URL) and remove this one (./hub webhooks rm "
                                + w.id() + ")");
            return Check.ok(name, "receiver " + w.url() + " answers (HTTP " + r.code() + " to HEAD)");
        } catch (IOException | IllegalArgumentException e) {
            if (internal(e)) return refused(name, e, "webhooks.allowPrivateTargets", "the receiver");
            return Check.fail(
                    name,
                    "no answer from " + w.url() + ": " + describe(e),
                    e instanceof UnknownHostException
                            ? "check the receiver's host name"
                            : "start the receiver or fix it, or stop sending to it: ./hub webhooks disable " + w.id());
        }
    }

    /** Whether the guard refused the address (see {@link io.connectorhub.core.internal.net.TargetGuard}). */
    private static boolean internal(Exception e) {
        return e.getMessage() != null && e.getMessage().contains("internal address");
    }

    private static Check refused(String name, Exception e, String setting, String what) {
        return Check.fail(
                name,
                "not contacted: " + describe(e),
                "set " + setting + ": true if " + what + " is meant to be on your network");
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : CredentialCheck.shorten(m);
    }
}
