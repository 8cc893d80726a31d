package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;

/** Sizes of the message bus queues and of outbound sending. */
public record BusConfig(int inboundCapacity, int outboundCapacity, Duration publishTimeout, int sendConcurrency)
        implements Section {
    @Override
    public void check(String path, Problems problems) {
        problems.range(inboundCapacity, 1, 10_000_000, path + ".inboundCapacity");
        problems.range(outboundCapacity, 1, 10_000_000, path + ".outboundCapacity");
        problems.positive(publishTimeout, path + ".publishTimeout");
        problems.range(sendConcurrency, 1, 100_000, path + ".sendConcurrency");
    }
}
