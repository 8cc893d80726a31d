package io.connectorhub.app.doctor;

import io.connectorhub.core.CredentialCheck;

/**
 * One doctor check: what was checked and what came of it.
 *
 * @param name what is checked: {@code telegram}, {@code agent gpt}, {@code webhook wh_…}
 * @param detail what was done and seen, one line
 * @param fix what to do about a failure; null when it passed
 */
public record Check(String name, boolean ok, String detail, String fix) {
    static Check ok(String name, String detail) {
        return new Check(name, true, detail, null);
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, false, detail, fix);
    }

    /** What a channel module's (or any) credentials check found, under {@code name}. */
    static Check of(String name, CredentialCheck found) {
        return new Check(name, found.ok(), found.detail(), found.fix());
    }

    /** The same check with every secret {@code scrubber} knows replaced. */
    Check scrubbed(Scrubber scrubber) {
        return new Check(name, ok, scrubber.scrub(detail), fix == null ? null : scrubber.scrub(fix));
    }
}
