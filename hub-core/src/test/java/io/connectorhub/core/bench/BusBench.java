package io.connectorhub.core.bench;

import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.internal.QueueMessageBus;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The bus hand-off: one publish plus one take on the same thread (the cost of the queue itself), and a producer
 * and a consumer on two threads (the hand-off between a channel and the agent loop).
 * Run: {@code ./hub bench bus}.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BusBench {
    private final QueueMessageBus bus = new QueueMessageBus(10_000, 10_000, Duration.ofSeconds(5));
    private final InboundMessage message = InboundMessage.builder("bench", "1")
            .sender("u")
            .chat("c")
            .content("hello")
            .build();

    @Benchmark
    @Group("sameThread")
    public InboundMessage publishThenTake() throws InterruptedException {
        bus.publishInbound(message);
        return bus.takeInbound(Duration.ZERO);
    }

    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public void producer() {
        bus.publishInbound(message);
    }

    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public InboundMessage consumer() throws InterruptedException {
        return bus.takeInbound(Duration.ofMillis(10));
    }

    public static void main(String[] args) throws Exception {
        // JMH's progress goes to a log file; the results table goes to stdout (and so into bench/results-*.md).
        String log = System.getProperty("java.io.tmpdir") + "/bus-bench-jmh.log";
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include(BusBench.class.getName())
                        .shouldFailOnError(true)
                        .output(log)
                        .build())
                .run();
        System.out.println("JMH, default forks and iterations (full log: " + log + ").");
        System.out.println();
        System.out.println("| Benchmark | Threads | Ops/µs | ± (99.9%) |");
        System.out.println("| --- | --- | --- | --- |");
        for (RunResult r : results) {
            var primary = r.getPrimaryResult();
            System.out.printf(
                    "| %s | %d | %.2f | %.2f |%n",
                    r.getParams().getBenchmark().replace(BusBench.class.getName() + ".", ""),
                    r.getParams().getThreads(),
                    primary.getScore(),
                    primary.getScoreError());
            r.getSecondaryResults()
                    .forEach((name, secondary) -> System.out.printf(
                            "| %s:%s | | %.2f | %.2f |%n",
                            r.getParams().getBenchmark().replace(BusBench.class.getName() + ".", ""),
                            name,
                            secondary.getScore(),
                            secondary.getScoreError()));
        }
    }
}
