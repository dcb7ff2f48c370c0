package com.airesumereview.db.review;

import com.airesumereview.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The live database's size statistics, read-only: {@code pg_class.reltuples} (the planner's row estimate) and
 * {@code pg_total_relation_size} (table, indexes and TOAST) per table of a schema. One connection, a READ ONLY
 * transaction that is rolled back; nothing else is read and nothing is written.
 *
 * @param database the database's name, for the report
 * @param tables   per table name, its size
 */
public record TableSizes(String database, Map<String, Size> tables) {
    private static final String QUERY = "SELECT c.relname, c.reltuples::bigint,"
            + " pg_catalog.pg_total_relation_size(c.oid) FROM pg_catalog.pg_class c"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p')";

    /**
     * Copies the map.
     *
     * @param database the database's name, for the report
     * @param tables   per table name, its size
     */
    public TableSizes {
        tables = Map.copyOf(tables);
    }

    /**
     * One table's size.
     *
     * @param rows  the planner's estimate ({@code pg_class.reltuples}); -1 when the table was never analyzed
     * @param bytes {@code pg_total_relation_size}: table, indexes and TOAST
     */
    public record Size(long rows, long bytes) {
    }

    /**
     * Reads the sizes of {@code schema}'s tables at {@code url}.
     *
     * @param url    the live database (read-only catalog queries)
     * @param schema the schema, usually {@code public}
     * @return per table its estimated rows and bytes
     */
    public static TableSizes read(DatabaseUrl url, String schema) {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("ApplicationName", "resume-review-db review (read-only)");
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props)) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(QUERY)) {
                ps.setString(1, schema);
                Map<String, Size> out = new TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new Size(rs.getLong(2), rs.getLong(3)));
                    }
                }
                return new TableSizes(url.database(), out);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new ReviewException("reading table sizes from " + url + " failed: " + e.getMessage()
                    + " (--url needs a user that can connect; it only reads pg_class)", e);
        }
    }
}
