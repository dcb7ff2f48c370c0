package com.airesumereview.db.inspection;

import com.airesumereview.db.internal.Connections;
import com.airesumereview.db.DatabaseUrl;


import com.airesumereview.db.internal.ReadOnlyTransaction;
import com.airesumereview.db.internal.Secrets;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The structure of a live database's {@code public} schema, read strictly read-only: the connection is set
 * read-only, the transaction is declared {@code READ ONLY} (and {@code REPEATABLE READ}, one consistent view of
 * the catalog) and rolled back. Used by {@code verify}, {@code snapshot} and the start-up check.
 * <pre>{@code
 * LiveSchema live = LiveSchema.read(DatabaseUrl.parse("postgresql://readonly:secret@db:5432/ai_resume_review"));
 * }</pre>
 *
 * @param database where it was read, as a JDBC URL without user, password or parameters (safe to print)
 * @param model    the structure
 */
public record LiveSchema(String database, SchemaModel model) {
    /**
     * Checks and copies the components.
     *
     * @param database where it was read, as a JDBC URL without user, password or parameters (safe to print)
     * @param model    the structure
     */
    public LiveSchema {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(model, "model");
    }

    /**
     * Opens one unpooled connection to {@code url}, reads, closes it.
     *
     * @param url the database to read
     * @return the schema {@code public} as the database holds it
     * @throws com.airesumereview.db.DatabaseUnavailableException {@code cannot connect to <url>: <reason>} when the server cannot be reached
     *                                 or refuses the login (the message never holds the password)
     */
    public static LiveSchema read(DatabaseUrl url) {
        return read(url, step -> { });
    }

    /**
     * Like {@link #read(DatabaseUrl)}, telling {@code progress} once connected (so a caller can show progress
     * without printing anything before a connection error).
     *
     * @param url      the database to read
     * @param progress told of each step, once connected
     * @return the schema {@code public} as the database holds it
     */
    public static LiveSchema read(DatabaseUrl url, Consumer<String> progress) {
        Objects.requireNonNull(url, "url");
        Connection connection = Connections.open(url, "resume-review-db verification");
        try (connection) {
            progress.accept("connected to " + url.jdbcUrl() + "; reading schema public in a read-only transaction");
            return new LiveSchema(Secrets.address(url.jdbcUrl()), readOnly(connection));
        } catch (SQLException e) {
            throw new InspectionException("reading " + url.jdbcUrl() + " failed: "
                    + Secrets.scrub(e.getMessage(), url.password()), e);
        }
    }

    /**
     * Borrows one connection from {@code dataSource} (e.g. the service's pool), reads, gives it back.
     *
     * @param dataSource where the connection comes from; it is used read-only
     * @return the schema {@code public} as the database holds it
     */
    public static LiveSchema read(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            String database = Secrets.address(connection.getMetaData().getURL());
            return new LiveSchema(database, readOnly(connection));
        } catch (SQLException e) {
            throw new InspectionException("cannot read the database structure: " + Secrets.rootMessage(e), e);
        }
    }

    private static SchemaModel readOnly(Connection connection) throws SQLException {
        return ReadOnlyTransaction.read(connection, c -> SchemaInspector.forPublicSchema().inspect(c));
    }
}
