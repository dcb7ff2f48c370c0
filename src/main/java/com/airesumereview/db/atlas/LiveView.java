package com.airesumereview.db.atlas;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.inspection.SchemaComparison;
import com.airesumereview.db.inspection.SchemaDifferences;
import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.inspection.SchemaModel;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the atlas shows of a live database: its drift against the snapshot and each table's row count. Read through
 * one connection in a READ ONLY, repeatable-read transaction that is rolled back; each count may take at most
 * {@value #COUNT_TIMEOUT_MS} ms ({@code statement_timeout}), after which the planner's estimate is shown instead.
 *
 * @param database the database's name
 * @param drift    snapshot (expected) against the live database (actual)
 * @param rows     per table: the exact count, or the estimate when counting took too long
 * @param exact    per table: whether {@code rows} is exact
 */
public record LiveView(String database, SchemaDifferences drift, Map<String, Long> rows, Map<String, Boolean> exact) {
    static final int COUNT_TIMEOUT_MS = 5000;

    /**
     * Copies the maps.
     *
     * @param database the database's name
     * @param drift    snapshot (expected) against the live database (actual)
     * @param rows     per table: the exact count, or the estimate when counting took too long
     * @param exact    per table: whether {@code rows} is exact
     */
    public LiveView {
        rows = Map.copyOf(rows);
        exact = Map.copyOf(exact);
    }

    /**
     * Reads {@code url}'s schema public and compares it with {@code snapshot}.
     *
     * @param url      the live database (read-only)
     * @param snapshot the snapshot's structure
     * @return the drift and the row counts
     */
    public static LiveView read(DatabaseUrl url, SchemaModel snapshot) {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("ApplicationName", "resume-review-db atlas (read-only)");
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props)) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                SchemaModel live = SchemaInspector.forPublicSchema().inspect(c);
                Map<String, Long> rows = new TreeMap<>();
                Map<String, Boolean> exact = new TreeMap<>();
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL statement_timeout = " + COUNT_TIMEOUT_MS);
                    for (SchemaModel.Table t : live.tables()) {
                        s.execute("SAVEPOINT count_rows");
                        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM public.\""
                                + t.name().replace("\"", "\"\"") + "\"")) {
                            rs.next();
                            rows.put(t.name(), rs.getLong(1));
                            exact.put(t.name(), true);
                            s.execute("RELEASE SAVEPOINT count_rows");
                        } catch (SQLException e) {
                            s.execute("ROLLBACK TO SAVEPOINT count_rows");
                            try (ResultSet rs = s.executeQuery("SELECT GREATEST(c.reltuples, 0)::bigint FROM"
                                    + " pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                                    + " WHERE n.nspname = 'public' AND c.relname = '" + t.name().replace("'", "''")
                                    + "'")) {
                                rows.put(t.name(), rs.next() ? rs.getLong(1) : -1L);
                                exact.put(t.name(), false);
                            }
                        }
                    }
                }
                return new LiveView(url.database(), SchemaComparison.compare(snapshot, live), rows, exact);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new AtlasException("reading the live database " + url + " failed: " + e.getMessage(), e);
        }
    }
}
