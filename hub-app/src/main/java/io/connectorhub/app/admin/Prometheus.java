package io.connectorhub.app.admin;

import io.connectorhub.core.ChannelStatus;
import io.connectorhub.core.HubRuntime;
import java.time.Duration;
import java.util.Map;

/** The hub's counters and gauges in the Prometheus text format (version 0.0.4). */
final class Prometheus {
    private Prometheus() {}

    static String render(HubRuntime runtime, int pendingDeliveries) {
        StringBuilder out = new StringBuilder();
        out.append("# HELP hub_messages_total Messages per channel and outcome since start.\n");
        out.append("# TYPE hub_messages_total counter\n");
        for (Map.Entry<String, Map<String, Long>> channel :
                runtime.metrics().snapshot().entrySet()) {
            for (Map.Entry<String, Long> counter : channel.getValue().entrySet()) {
                out.append("hub_messages_total{channel=\"")
                        .append(escape(channel.getKey()))
                        .append("\",outcome=\"")
                        .append(escape(counter.getKey()))
                        .append("\"} ")
                        .append(counter.getValue())
                        .append('\n');
            }
        }
        out.append("# HELP hub_channel_up 1 if the channel is running.\n# TYPE hub_channel_up gauge\n");
        for (ChannelStatus s : runtime.channels().statuses()) {
            out.append("hub_channel_up{channel=\"")
                    .append(escape(s.name()))
                    .append("\"} ")
                    .append(s.state() == ChannelStatus.State.RUNNING ? 1 : 0)
                    .append('\n');
        }
        out.append("# HELP hub_queue_depth Messages waiting in a queue.\n# TYPE hub_queue_depth gauge\n");
        out.append("hub_queue_depth{queue=\"inbound\"} ")
                .append(runtime.bus().inboundDepth())
                .append('\n');
        out.append("hub_queue_depth{queue=\"outbound\"} ")
                .append(runtime.bus().outboundDepth())
                .append('\n');
        out.append("hub_queue_depth{queue=\"webhook_deliveries\"} ")
                .append(pendingDeliveries)
                .append('\n');
        out.append("# HELP hub_uptime_seconds Seconds since the hub started.\n# TYPE hub_uptime_seconds gauge\n");
        out.append("hub_uptime_seconds ")
                .append(Duration.between(runtime.startedAt(), runtime.clock().instant())
                        .toSeconds())
                .append('\n');
        return out.toString();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
