package io.connectorhub.app.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.Json;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * How the webhook tables' rows become records (each record's {@code ConstructorMapper} matches columns to its
 * components by name, {@code snake_case} to {@code camelCase}): times are stored as epoch milliseconds, lists of
 * strings as JSON.
 */
final class Rows {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final ColumnMapper<Instant> EPOCH_MILLIS = (rs, column, ctx) -> {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    };
    private static final ColumnMapper<List<String>> JSON_LIST = (rs, column, ctx) -> {
        try {
            return JSON.readValue(rs.getString(column), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException(
                    "column " + rs.getMetaData().getColumnName(column) + " does not hold a JSON list of strings", e);
        }
    };

    private Rows() {}

    /** {@code sql} as a query whose columns map to times and lists as stored here. */
    static Query query(Handle h, String sql) {
        return h.createQuery(sql)
                .registerColumnMapper(Instant.class, EPOCH_MILLIS)
                .registerColumnMapper(new GenericType<List<String>>() {}, JSON_LIST);
    }

    /** {@code values} as the JSON list stored. */
    static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
