package io.connectorhub.accounts.bench;

import io.connectorhub.accounts.AccessTokens;
import io.connectorhub.accounts.Argon2Cost;
import io.connectorhub.accounts.MemorySigningKeyStore;
import io.connectorhub.accounts.Passwords;
import io.connectorhub.accounts.Role;
import io.connectorhub.accounts.SigningKeys;
import io.connectorhub.accounts.TokenCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What signing in costs: Argon2id hashes per second at OWASP's cost (m=19 MiB, t=2, p=1; a sign-in does one), the
 * same for an unknown user (it must cost the same as a wrong password), and ES256 access-token checks and signatures
 * per second (a check runs on every authenticated request). One thread; a sign-in runs on as many cores as there are
 * hashing permits. Run: {@code java -cp <accounts test class path> io.connectorhub.accounts.bench.AuthBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuthBench {
    private static final String PASSWORD = "correct horse battery staple";

    private Passwords passwords;
    private String stored;
    private AccessTokens tokens;
    private String token;

    @Setup
    public void setUp() {
        passwords = new Passwords(Argon2Cost.OWASP, 64, Duration.ofMinutes(1));
        stored = passwords.hash(PASSWORD);
        tokens = new AccessTokens(
                SigningKeys.loadOrCreate(new MemorySigningKeyStore(), Clock.systemUTC()),
                Duration.ofMinutes(15),
                Clock.systemUTC());
        token = tokens.issue("u1", Role.USER, "family-1").value();
    }

    @Benchmark
    public String hashPassword() {
        return passwords.hash(PASSWORD);
    }

    @Benchmark
    public Passwords.Check verifyPassword() {
        return passwords.verify(PASSWORD, stored);
    }

    @Benchmark
    public Passwords.Check verifyUnknownUser() {
        return passwords.verifyUnknownUser(PASSWORD);
    }

    @Benchmark
    public TokenCheck verifyAccessToken() {
        return tokens.verify(token);
    }

    @Benchmark
    public String issueAccessToken() {
        return tokens.issue("u1", Role.USER, "family-1").value();
    }

    public static void main(String[] args) throws Exception {
        // JMH's progress goes to a log file; the results table goes to stdout.
        String log = System.getProperty("java.io.tmpdir") + "/auth-bench-jmh.log";
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include(AuthBench.class.getName())
                        .shouldFailOnError(true)
                        .output(log)
                        .build())
                .run();
        System.out.println("JMH, one thread (full log: " + log + ").");
        System.out.println();
        System.out.println("| Benchmark | Ops/s | ± (99.9%) | ms/op |");
        System.out.println("| --- | --- | --- | --- |");
        for (RunResult r : results) {
            var primary = r.getPrimaryResult();
            System.out.printf(
                    "| %s | %.1f | %.1f | %.3f |%n",
                    r.getParams().getBenchmark().replace(AuthBench.class.getName() + ".", ""),
                    primary.getScore(),
                    primary.getScoreError(),
                    1000 / primary.getScore());
        }
    }
}
