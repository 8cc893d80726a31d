package io.connectorhub.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.connectorhub.app.doctor.Scrubber;
import io.connectorhub.config.ChannelSection;
import io.connectorhub.config.ChannelsConfig;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.Json;
import io.connectorhub.core.Urls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The configuration in force as JSON for {@code GET /api/v1/config}, with every secret replaced by {@code ***}: values
 * under a key that names a secret (token, secret, password, API key...), every value the configuration knows to be a
 * secret wherever it appears, and credentials in URLs; and, when the hub watches a file, whether that file as it is
 * now would be accepted (a reload that was rejected leaves its problems there). Immutable.
 */
final class ConfigView {
    static final String REDACTED = "***";
    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(token|secret|password|apikey|api_key|encryptkey|privatekey|credential).*");
    private static final ObjectMapper JSON = Json.newMapper();

    private final HubConfig config;
    private final Path file;
    private final ConfigLoader loader;
    private final Scrubber scrubber;

    /** @param file the file the hub watches, or null */
    ConfigView(HubConfig config, Path file, ConfigLoader loader) {
        this.config = config;
        this.file = file;
        this.loader = loader;
        this.scrubber = new Scrubber(config);
    }

    /** {@code {file, config, reload: {ok, problems: [{path, message}]}}}; {@code reload} is null without a file. */
    Map<String, Object> json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", file == null ? null : file.toString());
        body.put("config", redacted());
        body.put("reload", file == null ? null : reload());
        return body;
    }

    JsonNode redacted() {
        ObjectNode tree = JSON.valueToTree(config.withChannels(new ChannelsConfig(List.of())));
        ObjectNode channels = tree.putObject("channels");
        for (ChannelSection<?> section : config.channels().sections()) {
            ObjectNode c = JSON.valueToTree(section.common());
            c.setAll((ObjectNode) JSON.valueToTree(section.settings()));
            channels.set(section.name(), c);
        }
        return redact(tree, false);
    }

    /** @param secret whether the key of this value, or of the list it is in, names a secret */
    private JsonNode redact(JsonNode node, boolean secret) {
        if (node instanceof ObjectNode object) {
            object.properties()
                    .forEach(e -> e.setValue(
                            redact(e.getValue(), SECRET_KEY.matcher(e.getKey()).matches())));
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) array.set(i, redact(array.get(i), secret));
            return array;
        }
        if (node.isTextual()) {
            String text = node.asText();
            if (secret && !text.isEmpty()) return TextNode.valueOf(REDACTED);
            String clean = scrubber.scrub(text);
            return TextNode.valueOf(clean.contains("://") ? Urls.withoutCredentials(clean) : clean);
        }
        return node;
    }

    private Map<String, Object> reload() {
        List<Map<String, String>> problems = new ArrayList<>();
        try {
            loader.load(file);
        } catch (ConfigException e) {
            e.problems().forEach(p -> problems.add(Map.of("path", p.path(), "message", scrubber.scrub(p.message()))));
        } catch (RuntimeException e) {
            problems.add(Map.of("path", "", "message", scrubber.scrub(String.valueOf(e.getMessage()))));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", problems.isEmpty());
        m.put("problems", problems);
        return m;
    }
}
