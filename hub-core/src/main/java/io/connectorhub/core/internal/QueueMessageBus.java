package io.connectorhub.core.internal;

import io.connectorhub.core.BusFullException;
import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.MessageBus;
import io.connectorhub.core.OutboundMessage;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The in-process bus: two bounded blocking queues. Thread-safe. */
public final class QueueMessageBus implements MessageBus {
    private final BlockingQueue<InboundMessage> inbound;
    private final BlockingQueue<OutboundMessage> outbound;
    private final int inboundCapacity;
    private final int outboundCapacity;
    private final Duration publishTimeout;

    public QueueMessageBus(int inboundCapacity, int outboundCapacity, Duration publishTimeout) {
        this.inbound = new ArrayBlockingQueue<>(inboundCapacity);
        this.outbound = new ArrayBlockingQueue<>(outboundCapacity);
        this.inboundCapacity = inboundCapacity;
        this.outboundCapacity = outboundCapacity;
        this.publishTimeout = publishTimeout;
    }

    @Override
    public void publishInbound(InboundMessage message) {
        put(inbound, message, "inbound", inboundCapacity);
    }

    @Override
    public InboundMessage takeInbound(Duration wait) throws InterruptedException {
        return inbound.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void publishOutbound(OutboundMessage message) {
        put(outbound, message, "outbound", outboundCapacity);
    }

    @Override
    public OutboundMessage takeOutbound(Duration wait) throws InterruptedException {
        return outbound.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int inboundDepth() {
        return inbound.size();
    }

    @Override
    public int outboundDepth() {
        return outbound.size();
    }

    private <T> void put(BlockingQueue<T> queue, T message, String name, int capacity) {
        try {
            if (!queue.offer(message, publishTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new BusFullException(name, capacity, publishTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while publishing to the " + name + " queue", e);
        }
    }
}
