package io.connectorhub.app.doctor;

import java.io.IOException;
import java.net.UnknownHostException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Reachability of the stored agent gateways and webhook receivers: any HTTP answer counts, nothing is posted.
 * Webhook receivers are contacted through a client that keeps the hub's rule on private addresses.
 */
final class TargetChecks {
    private final OkHttpClient http;
    private final OkHttpClient guarded;

    /** @param guarded the client for webhook receivers: it refuses private addresses unless they are allowed */
    TargetChecks(OkHttpClient http, OkHttpClient guarded) {
        this.http = http;
        this.guarded = guarded;
    }

    Check gateway(StoredTargets.Gateway g) {
        String name = "gateway " + g.name();
        try (Response r =
                http.newCall(new Request.Builder().url(g.url()).get().build()).execute()) {
            return Check.ok(name, g.url() + " answers (HTTP " + r.code() + ")");
        } catch (IOException | IllegalArgumentException e) {
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
        try (Response r = guarded.newCall(
                        new Request.Builder().url(w.url()).head().build())
                .execute()) {
            if (r.code() / 100 == 3)
                return Check.fail(
                        name,
                        w.url() + " redirects (HTTP " + r.code() + "), and deliveries do not follow redirects",
                        "register the final URL (./hub webhooks add URL) and remove this one (./hub webhooks rm "
                                + w.id() + ")");
            return Check.ok(name, "receiver " + w.url() + " answers (HTTP " + r.code() + " to HEAD)");
        } catch (UnknownHostException e) {
            boolean internal = e.getMessage() != null && e.getMessage().contains("internal address");
            return Check.fail(
                    name,
                    (internal ? "not contacted: " : "no answer from " + w.url() + ": ") + describe(e),
                    internal
                            ? "set webhooks.allowPrivateTargets: true if the receiver is meant to be on your network"
                            : "check the receiver's host name");
        } catch (IOException | IllegalArgumentException e) {
            return Check.fail(
                    name,
                    "no answer from " + w.url() + ": " + describe(e),
                    "start the receiver or fix it, or stop sending to it: ./hub webhooks disable " + w.id());
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : ApiChecks.shorten(m);
    }
}
