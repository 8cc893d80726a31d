package io.connectorhub.core.testing;

import io.connectorhub.core.internal.net.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Dns;

/** A DNS that answers from a table the test fills and records every name asked; it never asks a real server. */
public final class TableDns implements Dns {
    private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
    /** Every name looked up, in order. */
    public final List<String> asked = new CopyOnWriteArrayList<>();

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        asked.add(host);
        List<InetAddress> found = answers.get(host);
        if (found == null) throw new UnknownHostException(host + ": not in the test's table");
        return found;
    }

    /** From now on {@code host} resolves to {@code addresses} (IP literals). */
    public void answer(String host, String... addresses) {
        answers.put(host, List.of(addresses).stream().map(Cidr::literal).toList());
    }
}
