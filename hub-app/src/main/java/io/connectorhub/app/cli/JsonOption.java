package io.connectorhub.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.Json;
import java.io.UncheckedIOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --json}: print the data as JSON for scripts instead of the text for people. */
final class JsonOption {
    /** The mapper, created on first use: most commands never print JSON. */
    static ObjectMapper json() {
        return Mapper.JSON;
    }

    private static final class Mapper {
        static final ObjectMapper JSON = Json.newMapper();
    }

    @Option(names = "--json", description = "print JSON (for scripts) instead of text")
    boolean on;

    /** Prints {@code value} as one line of JSON. */
    void print(CommandSpec spec, Object value) {
        try {
            spec.commandLine().getOut().println(json().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
