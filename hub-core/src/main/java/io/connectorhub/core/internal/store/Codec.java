package io.connectorhub.core.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.HubException;
import io.connectorhub.core.Json;

/** JSON form of the message records as they are kept in the store. */
final class Codec {
    private static final ObjectMapper MAPPER = Json.newMapper();

    private Codec() {}

    static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new HubException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T decode(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new HubException("stored " + type.getSimpleName() + " is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
