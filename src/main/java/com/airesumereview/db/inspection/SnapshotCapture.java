package com.airesumereview.db.inspection;

import com.airesumereview.db.DatabaseUrl;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The one snapshot engine behind {@code resume-review-db snapshot}: reads a live database's {@code public} schema
 * read-only ({@link LiveSchema}) and renders SQL that recreates it in an empty database ({@link SnapshotSql}).
 * The command only adds the file handling (refusing to overwrite, writing atomically).
 * <pre>{@code
 * SnapshotCapture.Snapshot s = SnapshotCapture.capture(DatabaseUrl.parse(url), System.err::println);
 * Files.writeString(Path.of("V3__snapshot.sql"), s.sql());
 * }</pre>
 */
public final class SnapshotCapture {
    private SnapshotCapture() {
    }

    /**
     * A captured schema.
     *
     * @param database the database it was read from
     * @param model    its structure
     * @param sql      the SQL that recreates it, headed by a comment naming the database
     */
    public record Snapshot(String database, SchemaModel model, String sql) {
        /**
         * Requires every part.
         *
         * @param database the database it was read from
         * @param model    its structure
         * @param sql      the SQL that recreates it
         */
        public Snapshot {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(sql, "sql");
        }
    }

    /**
     * Captures through one unpooled, read-only connection to {@code url}, reporting each step to {@code progress}.
     *
     * @param url      the database to capture
     * @param progress told of each step
     * @return the snapshot: its structure and the SQL that recreates it
     */
    public static Snapshot capture(DatabaseUrl url, Consumer<String> progress) {
        LiveSchema live = LiveSchema.read(url, progress);
        progress.accept(summary(live.model()));
        return render(url.database(), live.model());
    }

    /**
     * Captures through one connection borrowed from {@code dataSource}, used read-only and given back.
     *
     * @param dataSource where the connection comes from
     * @return the snapshot: its structure and the SQL that recreates it
     */
    public static Snapshot capture(DataSource dataSource) {
        LiveSchema live = LiveSchema.read(dataSource);
        return render(live.database(), live.model());
    }

    private static Snapshot render(String database, SchemaModel model) {
        String sql = "-- Captured by `resume-review-db snapshot` from database " + database + " (read-only).\n"
                + SnapshotSql.render(model);
        return new Snapshot(database, model, sql);
    }

    private static String summary(SchemaModel model) {
        return "rendering " + model.tables().size() + " tables, " + model.constraints().size() + " constraints, "
                + model.secondaryIndexes().size() + " indexes, " + model.triggers().size() + " triggers, "
                + model.functions().size() + " functions";
    }
}
