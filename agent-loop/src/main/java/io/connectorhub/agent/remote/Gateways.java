package io.connectorhub.agent.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.HubException;
import io.connectorhub.core.Json;
import io.connectorhub.core.ModuleState;
import io.connectorhub.core.Service;
import io.connectorhub.core.Urls;
import io.connectorhub.core.internal.net.TargetGuard;
import java.io.IOException;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote agent gateways and the tasks posted to them.
 *
 * <p>Admins register gateways ({@code POST /api/v1/gateways}); a gateway reports itself alive with
 * {@code POST /api/v1/gateways/{name}/heartbeat} and its token, and is offline once its last heartbeat is older
 * than the heartbeat timeout. {@link #run} posts a task to an online gateway, chosen at random by weight, and
 * blocks until the gateway calls {@code POST /api/v1/agent-callbacks/{taskId}} with the task's own token, the
 * timeout passes, or the post fails (any non-2xx answer fails the task at once). Each task moves from
 * {@code running} to exactly one end state in the {@code agent_tasks} table, with a conditional update: a late or
 * repeated callback finds the task finished and gets 409, also after a restart (tasks left running by a stopped
 * hub are failed on start). Callback tokens are random per task, stored as SHA-256, compared in constant time.
 * Gateway URLs pass the {@link TargetGuard} when registered and on every connection; redirects are not followed.
 * Thread-safe.
 */
public final class Gateways implements Service {
    private static final Logger log = LoggerFactory.getLogger(Gateways.class);
    private static final MediaType JSON = MediaType.get("application/json");
    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
    static final String TIMED_OUT = "timed_out";
    /** Finished tasks are remembered this long (a callback later than that gets 404 instead of 409). */
    private static final Duration KEEP_FINISHED = Duration.ofDays(7);

    /** A registered gateway. {@code status} is what it last reported; see {@link #online}. */
    public record Gateway(
            String name, String url, String token, int weight, String status, Instant lastHeartbeat, Instant created) {
        public boolean online(Instant now, Duration heartbeatTimeout) {
            return "online".equals(status)
                    && lastHeartbeat != null
                    && !lastHeartbeat.plus(heartbeatTimeout).isBefore(now);
        }

        @Override
        public String toString() {
            return "Gateway[" + name + ", " + url + ", weight=" + weight + ", status=" + status + "]";
        }
    }

    /** What a gateway's callback said: the reply, or why there is none. */
    record Outcome(String text, String error) {}

    /** The module whose tables ({@code gateways}, {@code agent_tasks}) this registry keeps. */
    static final String MODULE = "agents";

    private final Function<String, ModuleState> states;
    private volatile ModuleState db;
    private final TargetGuard guard;
    private final OkHttpClient http;
    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final Supplier<String> callbackBase;
    private final Random random;
    private final ObjectMapper json = Json.newMapper();
    private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();

    /**
     * @param states opens this registry's tables ({@link #MODULE}) when it starts
     * @param guard what gateway URLs may point to ({@code gateways.allowPrivateTargets})
     * @param callbackBase the hub's base URL as gateways reach it, asked when a task is posted
     * @param random chooses among gateways by weight (tests pass a seeded one)
     */
    public Gateways(
            Function<String, ModuleState> states,
            OkHttpClient http,
            TargetGuard guard,
            Clock clock,
            Duration heartbeatTimeout,
            Supplier<String> callbackBase,
            Random random) {
        this.states = states;
        this.guard = guard;
        this.http = guard.apply(http.newBuilder())
                .followRedirects(false)
                .followSslRedirects(false)
                .callTimeout(Duration.ofSeconds(15))
                .build();
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.callbackBase = callbackBase;
        this.random = random;
    }

    /** Creates or updates the tables, fails the tasks a stopped hub left running, forgets old finished ones. */
    @Override
    public void start() {
        db = states.apply(MODULE);
        int abandoned = db().write(h -> h.createUpdate(
                        "UPDATE agent_tasks SET status = :failed, error = 'the hub restarted while it waited',"
                                + " finished_at = :now WHERE status = :running")
                .bind("failed", FAILED)
                .bind("now", clock.millis())
                .bind("running", RUNNING)
                .execute());
        if (abandoned > 0) log.info("Marked {} remote tasks failed: the hub stopped while they ran", abandoned);
        db().write(h -> h.createUpdate("DELETE FROM agent_tasks WHERE status <> :running AND finished_at < :before")
                .bind("running", RUNNING)
                .bind("before", clock.instant().minus(KEEP_FINISHED).toEpochMilli())
                .execute());
    }

    private ModuleState db() {
        ModuleState started = db;
        if (started == null) throw new HubException("the gateway registry is used before it started");
        return started;
    }

    // ---- registry ----

    /** Null if {@code url} may be a gateway's, else why not (to follow {@code url}, as in a 400). */
    String urlProblem(String url) {
        return guard.problem(url);
    }

    /**
     * Registers a gateway; empty if the name is taken. It is offline until its first heartbeat. Check the URL with
     * {@link #urlProblem} first.
     */
    public Optional<Gateway> register(String name, String url, String token, int weight) {
        Instant now = clock.instant();
        int added = db().write(h -> h.createUpdate("INSERT INTO gateways (name, url, token, weight, status, created_at)"
                        + " VALUES (:name, :url, :token, :weight, 'offline', :now) ON CONFLICT (name) DO NOTHING")
                .bind("name", name)
                .bind("url", url.replaceAll("/+$", ""))
                .bind("token", token)
                .bind("weight", weight)
                .bind("now", now.toEpochMilli())
                .execute());
        if (added == 0) return Optional.empty();
        log.info("Registered agent gateway {} at {} with weight {}", name, url, weight);
        return find(name);
    }

    public List<Gateway> list() {
        return db().read(h -> h.createQuery("SELECT * FROM gateways ORDER BY name")
                .map((rs, ctx) -> gateway(rs))
                .list());
    }

    public Optional<Gateway> find(String name) {
        return db().read(h -> h.createQuery("SELECT * FROM gateways WHERE name = ?")
                .bind(0, name)
                .map((rs, ctx) -> gateway(rs))
                .findOne());
    }

    public boolean delete(String name) {
        boolean deleted = db().write(h -> h.createUpdate("DELETE FROM gateways WHERE name = ?")
                        .bind(0, name)
                        .execute())
                > 0;
        if (deleted) log.info("Removed agent gateway {}", name);
        return deleted;
    }

    /** Records a heartbeat if {@code token} is the gateway's; false (and nothing changes) otherwise. */
    public boolean heartbeat(String name, String token, String status) {
        Optional<Gateway> gateway = find(name);
        // Compare even when the gateway is unknown, so timing does not tell which names exist.
        String expected = gateway.map(Gateway::token).orElse("\0unknown-gateway-placeholder");
        if (!GeneratedSecret.matches(expected, token) || gateway.isEmpty()) return false;
        db().write(h -> h.createUpdate("UPDATE gateways SET status = :status, last_heartbeat = :now WHERE name = :name")
                .bind("status", status)
                .bind("now", clock.millis())
                .bind("name", name)
                .execute());
        return true;
    }

    /** Online gateways among {@code allowed} (all when empty). */
    public List<Gateway> online(List<String> allowed) {
        Instant now = clock.instant();
        return list().stream()
                .filter(g -> allowed.isEmpty() || allowed.contains(g.name()))
                .filter(g -> g.online(now, heartbeatTimeout))
                .toList();
    }

    /** One of {@code candidates} (not empty), chosen at random in proportion to the weights. */
    Gateway pick(List<Gateway> candidates) {
        long total = candidates.stream().mapToLong(Gateway::weight).sum();
        long r;
        synchronized (random) {
            r = (long) (random.nextDouble() * total);
        }
        for (Gateway g : candidates) {
            r -= g.weight();
            if (r < 0) return g;
        }
        return candidates.getLast();
    }

    private static Gateway gateway(ResultSet rs) throws SQLException {
        long beat = rs.getLong("last_heartbeat");
        return new Gateway(
                rs.getString("name"),
                rs.getString("url"),
                rs.getString("token"),
                rs.getInt("weight"),
                rs.getString("status"),
                rs.wasNull() ? null : Instant.ofEpochMilli(beat),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    // ---- tasks ----

    /**
     * Posts {@code request} as a task to an online gateway and waits for its callback.
     *
     * @return the reply text
     * @throws HubException when no gateway is online, the gateway refuses the task, reports an error, or does not
     *     call back within {@code timeout}
     */
    public String run(String agent, AgentRequest request, List<String> allowed, Duration timeout)
            throws InterruptedException {
        List<Gateway> candidates = online(allowed);
        if (candidates.isEmpty())
            throw new HubException("agent " + agent + ": no agent gateway is online"
                    + (allowed.isEmpty() ? "" : " among " + allowed)
                    + "; register one with POST /api/v1/gateways and have it send heartbeats");
        Gateway gateway = pick(candidates);
        String taskId = UUID.randomUUID().toString();
        String token = GeneratedSecret.random(32);
        Instant now = clock.instant();
        db().write(h -> h.createUpdate(
                        "INSERT INTO agent_tasks (id, agent, gateway, session_key, token_hash, status, created_at,"
                                + " deadline) VALUES (:id, :agent, :gateway, :session, :hash, :running, :now, :deadline)")
                .bind("id", taskId)
                .bind("agent", agent)
                .bind("gateway", gateway.name())
                .bind("session", request.sessionKey())
                .bind("hash", GeneratedSecret.sha256(token))
                .bind("running", RUNNING)
                .bind("now", now.toEpochMilli())
                .bind("deadline", now.plus(timeout).toEpochMilli())
                .execute());
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        waiting.put(taskId, outcome); // before posting: a fast gateway may call back before the post returns
        try {
            post(gateway, taskId, token, request, timeout);
            Outcome result;
            try {
                result = outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                String why = "gateway " + gateway.name() + " did not call back within " + timeout;
                if (finish(taskId, TIMED_OUT, null, why)) throw new HubException("agent " + agent + ": " + why, e);
                result = stored(taskId); // the callback won the race
            } catch (ExecutionException e) {
                throw new HubException("agent " + agent + ": task " + taskId + " failed", e.getCause());
            }
            if (result.error() != null)
                throw new HubException(
                        "agent " + agent + ": gateway " + gateway.name() + " reported: " + result.error());
            return result.text();
        } finally {
            waiting.remove(taskId);
        }
    }

    private void post(Gateway gateway, String taskId, String token, AgentRequest request, Duration timeout) {
        ObjectNode body = json.createObjectNode()
                .put("task_id", taskId)
                .put("session_key", request.sessionKey())
                .put("text", request.text())
                .put("callback_url", callbackBase.get().replaceAll("/+$", "") + "/api/v1/agent-callbacks/" + taskId)
                .put("callback_token", token)
                .put("timeout_ms", timeout.toMillis());
        ArrayNode history = body.putArray("history");
        for (ChatMessage m : request.history())
            history.addObject().put("role", m.role()).put("content", m.content());
        String failure;
        try (Response response = http.newCall(new Request.Builder()
                        .url(gateway.url() + "/tasks")
                        .header("Authorization", "Bearer " + gateway.token())
                        .post(RequestBody.create(json.writeValueAsBytes(body), JSON))
                        .build())
                .execute()) {
            if (response.isSuccessful()) {
                log.debug("Posted task {} to gateway {}", taskId, gateway.name());
                return;
            }
            failure = "gateway " + gateway.name() + " refused task " + taskId + " with HTTP " + response.code();
        } catch (IOException e) {
            failure = "posting task " + taskId + " to gateway " + gateway.name() + " at "
                    + Urls.withoutCredentials(gateway.url())
                    + " failed: "
                    + e.getMessage();
        }
        finish(taskId, FAILED, null, failure);
        throw new HubException(failure);
    }

    /** Moves a running task to an end state; false if it had already ended. */
    private boolean finish(String taskId, String status, String text, String error) {
        return db().write(h -> h.createUpdate("UPDATE agent_tasks SET status = :status, result = :text, error = :error,"
                                + " finished_at = :now WHERE id = :id AND status = :running")
                        .bind("status", status)
                        .bind("text", text)
                        .bind("error", error)
                        .bind("now", clock.millis())
                        .bind("id", taskId)
                        .bind("running", RUNNING)
                        .execute())
                > 0;
    }

    private Outcome stored(String taskId) {
        return db().read(h -> h.createQuery("SELECT result, error FROM agent_tasks WHERE id = ?")
                .bind(0, taskId)
                .map((rs, ctx) -> new Outcome(rs.getString("result"), rs.getString("error")))
                .one());
    }

    /** The state of a task (for tests and status), or empty. */
    public Optional<String> taskStatus(String taskId) {
        return db().read(h -> h.createQuery("SELECT status FROM agent_tasks WHERE id = ?")
                .bind(0, taskId)
                .mapTo(String.class)
                .findOne());
    }

    /** Whether a callback may complete a task: its token matches and the task still runs. */
    enum CallbackCheck {
        ACCEPTABLE,
        /** Unknown task or wrong token: deliberately one answer, so callers cannot tell tasks apart. */
        NOT_FOUND,
        ENDED
    }

    /** Checks {@code token} against the task's (in constant time) and the task's state. */
    CallbackCheck checkCallback(String taskId, String token) {
        record Row(byte[] hash, String status) {}
        Optional<Row> row = db().read(h -> h.createQuery("SELECT token_hash, status FROM agent_tasks WHERE id = ?")
                .bind(0, taskId)
                .map((rs, c) -> new Row(rs.getBytes("token_hash"), rs.getString("status")))
                .findOne());
        byte[] expected = row.map(Row::hash).orElse(new byte[32]);
        boolean tokenOk = token != null && MessageDigest.isEqual(expected, GeneratedSecret.sha256(token));
        if (row.isEmpty() || !tokenOk) return CallbackCheck.NOT_FOUND;
        return row.get().status().equals(RUNNING) ? CallbackCheck.ACCEPTABLE : CallbackCheck.ENDED;
    }

    /**
     * Ends a running task with the gateway's reply ({@code text}) or failure ({@code error}) and wakes the waiting
     * agent; false if the task had already ended (then nothing changes). Check the token first.
     */
    boolean complete(String taskId, String text, String error) {
        if (!finish(taskId, error == null ? COMPLETED : FAILED, error == null ? text : null, error)) return false;
        CompletableFuture<Outcome> waiter = waiting.remove(taskId);
        if (waiter != null) waiter.complete(new Outcome(error == null ? text : null, error));
        return true;
    }

    Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** {@code online}, {@code draining} or {@code offline}, as the API shows it. */
    String state(Gateway g) {
        if (g.online(clock.instant(), heartbeatTimeout)) return "online";
        return g.status().equals("draining") ? "draining" : "offline";
    }

    @Override
    public void close() {
        waiting.values().forEach(w -> w.completeExceptionally(new HubException("the hub is stopping")));
    }
}
