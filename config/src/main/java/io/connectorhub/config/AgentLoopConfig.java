package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;

/** How the agent loop works through messages. */
public record AgentLoopConfig(int concurrency, int maxHistory, Duration lease) implements Section {
    @Override
    public void check(String path, Problems problems) {
        problems.range(concurrency, 1, 100_000, path + ".concurrency");
        problems.range(maxHistory, 0, 10_000, path + ".maxHistory");
        problems.positive(lease, path + ".lease");
    }
}
