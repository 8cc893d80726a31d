package io.connectorhub.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failed attempts (a wrong token, a wrong password, a wrong code) per scope and subject (a client IP, a username),
 * for lockouts. The hub's is the table {@code failures} of its database, so every instance sharing the database sees
 * the failures made on the others; {@link #inMemory} is one process's. Failures older than {@link #KEEP_MINUTES}
 * minutes may be forgotten. Thread-safe.
 */
public interface FailureLog {
    /** How long failures are kept at least: longer than any lockout window. */
    int KEEP_MINUTES = 60;

    /** Records a failure of {@code subject} in {@code scope} at {@code at}. */
    void add(String scope, String subject, Instant at);

    /** The times of {@code subject}'s failures in {@code scope} after {@code after}, newest first, at most {@code limit}. */
    List<Instant> after(String scope, String subject, Instant after, int limit);

    /** Forgets {@code subject}'s failures in {@code scope}. */
    void clear(String scope, String subject);

    /**
     * Failures kept in this process: at most {@code maxSubjects} subjects (the least recently seen are dropped first)
     * with their last {@code maxPerSubject} failures each, so memory stays bounded whatever clients send.
     */
    static FailureLog inMemory(int maxSubjects, int maxPerSubject) {
        Map<String, ArrayDeque<Instant>> bySubject = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
                return size() > maxSubjects;
            }
        };
        return new FailureLog() {
            @Override
            public synchronized void add(String scope, String subject, Instant at) {
                ArrayDeque<Instant> times =
                        bySubject.computeIfAbsent(scope + "\u0000" + subject, k -> new ArrayDeque<>());
                times.addLast(at);
                while (times.size() > maxPerSubject) times.removeFirst();
            }

            @Override
            public synchronized List<Instant> after(String scope, String subject, Instant after, int limit) {
                ArrayDeque<Instant> times = bySubject.get(scope + "\u0000" + subject);
                List<Instant> out = new ArrayList<>();
                if (times == null) return out;
                for (Iterator<Instant> i = times.descendingIterator(); i.hasNext() && out.size() < limit; ) {
                    Instant at = i.next();
                    if (at.isAfter(after)) out.add(at);
                }
                return out;
            }

            @Override
            public synchronized void clear(String scope, String subject) {
                bySubject.remove(scope + "\u0000" + subject);
            }
        };
    }
}
