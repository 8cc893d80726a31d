package io.connectorhub.core;

/** A long-running part of the hub (the agent loop, a delivery worker): started once, closed once (idempotent). */
public interface Service extends AutoCloseable {
    void start() throws Exception;

    @Override
    void close();
}
