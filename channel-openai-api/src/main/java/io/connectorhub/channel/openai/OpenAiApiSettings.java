package io.connectorhub.channel.openai;

import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OpenAI-compatible API's own settings ({@code channels.openaiApi}). Its {@code allowFrom} (key names, default
 * {@code "*"}: the key is the gate) is among the common settings; it has no groups.
 *
 * @param keys who may call the API
 * @param timeout the longest a request waits for its answer
 * @param keepAliveInterval how often a streamed answer sends a comment while the agent thinks
 */
public record OpenAiApiSettings(List<ApiKey> keys, Duration timeout, Duration keepAliveInterval)
        implements ChannelSettings {
    /** The shortest API key accepted: a long random value, not a password. */
    static final int MIN_KEY_LENGTH = 32;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * One API key.
     *
     * @param name who holds it: the sender id for {@code allowFrom} and routing, and part of the session key
     * @param key the bearer secret
     * @param agents the agent ids it may name as {@code model}; empty: every agent
     */
    public record ApiKey(String name, String key, List<String> agents) {
        public ApiKey {
            name = name == null ? "" : name;
            key = key == null ? "" : key;
            agents = agents == null ? List.of() : List.copyOf(agents);
        }

        /** Whether this key may use {@code agent} (one the hub lets its holder choose). */
        boolean mayUse(String agent) {
            return agents.isEmpty() || agents.contains(agent);
        }

        @Override
        public String toString() {
            return "ApiKey[name=" + name + ", key=<set>, agents=" + agents + "]";
        }
    }

    public OpenAiApiSettings {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    @Override
    public void check(String path, CommonChannelSettings common, Problems problems) {
        problems.require(
                !keys.isEmpty(),
                path + ".keys",
                "is empty, so nobody could call the API: add {name: laptop, key: \"${LAPTOP_API_KEY}\"}");
        Set<String> names = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            ApiKey k = keys.get(i);
            String at = path + ".keys[" + i + "]";
            problems.require(
                    NAME.matcher(k.name()).matches(),
                    at + ".name",
                    "must be 1-64 characters of A-Za-z0-9._- (it names the caller in sessions and logs)");
            problems.require(
                    !NAME.matcher(k.name()).matches() || names.add(k.name()),
                    at + ".name",
                    "is used by another key; give each key its own name");
            problems.require(
                    k.key().length() >= MIN_KEY_LENGTH,
                    at + ".key",
                    "is shorter than " + MIN_KEY_LENGTH + " characters: use a long random value, e.g. the output of"
                            + " openssl rand -hex 24");
            problems.require(
                    k.key().isEmpty() || secrets.add(k.key()),
                    at + ".key",
                    "is the key of another entry; give each key its own secret");
            for (int j = 0; j < k.agents().size(); j++) {
                problems.require(
                        !k.agents().get(j).isBlank(),
                        at + ".agents[" + j + "]",
                        "is empty: name an agent id from agents (or builtin)");
            }
        }
        common.requireAllowFrom(path, "use [\"*\"] (the API key is the gate) or list key names", problems);
        problems.positive(timeout, path + ".timeout");
        problems.positive(keepAliveInterval, path + ".keepAliveInterval");
    }

    @Override
    public List<String> secrets() {
        return keys.stream().map(ApiKey::key).filter(k -> !k.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return "OpenAiApiSettings[" + keys.size() + " keys, timeout=" + timeout + "]";
    }
}
