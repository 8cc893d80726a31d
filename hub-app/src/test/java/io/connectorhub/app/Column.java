package io.connectorhub.app;

import io.connectorhub.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The first column of a query's rows, as text, read on a connection of its own. */
final class Column {
    private Column() {}

    static List<String> of(TestDatabase database, String sql, Object... args) throws Exception {
        try (Connection c = database.connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            try (ResultSet r = s.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (r.next()) values.add(r.getString(1));
                return values;
            }
        }
    }
}
