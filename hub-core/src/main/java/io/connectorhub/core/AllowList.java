package io.connectorhub.core;

import java.util.List;
import java.util.Set;

/**
 * Who may talk to the agent through one channel. Fails closed: an empty list allows nobody, {@code "*"} allows
 * everybody, anything else must match a sender id exactly (no prefixes, no splitting). Immutable.
 */
public final class AllowList {
    public static final String ANYONE = "*";

    private final Set<String> ids;
    private final boolean anyone;

    private AllowList(List<String> ids) {
        this.ids = Set.copyOf(ids);
        this.anyone = this.ids.contains(ANYONE);
    }

    public static AllowList of(List<String> ids) {
        return new AllowList(ids == null ? List.of() : ids);
    }

    public static AllowList anyone() {
        return new AllowList(List.of(ANYONE));
    }

    public boolean allows(String senderId) {
        return anyone || (senderId != null && !senderId.isEmpty() && ids.contains(senderId));
    }

    public boolean isEmpty() {
        return ids.isEmpty();
    }

    @Override
    public String toString() {
        return anyone ? "AllowList[*]" : "AllowList[" + ids.size() + " ids]";
    }
}
