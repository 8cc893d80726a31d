package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;

/**
 * How instances sharing one database watch each other: each records a heartbeat every {@code heartbeat}; one silent
 * for {@code deadAfter} is dead, and the others take over the messages it held.
 */
public record ClusterConfig(Duration heartbeat, Duration deadAfter) implements Section {
    @Override
    public void check(String path, Problems problems) {
        problems.positive(heartbeat, path + ".heartbeat");
        problems.positive(deadAfter, path + ".deadAfter");
        if (heartbeat != null && deadAfter != null && heartbeat.isPositive())
            problems.require(
                    deadAfter.compareTo(heartbeat.multipliedBy(2)) >= 0,
                    path + ".deadAfter",
                    "must be at least twice " + path + ".heartbeat (" + heartbeat.toSeconds()
                            + "s), or a live instance that missed one heartbeat would be taken for dead");
    }
}
