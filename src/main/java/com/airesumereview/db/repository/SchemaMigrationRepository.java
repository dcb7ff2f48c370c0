package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.SCHEMA_MIGRATIONS;
import static org.jooq.impl.DSL.select;

import com.airesumereview.db.domain.SchemaMigration;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.Statement;
import java.util.List;
import org.jooq.SelectField;

/**
 * The Python service's migration log ({@code schema_migrations}), read-only: only that service's
 * migration runner writes it. It lists {@code 001_initial_schema} and
 * {@code 002_add_password_security_columns} although production has more; it does not describe the schema.
 */
public final class SchemaMigrationRepository {
    /** The select list; {@link #ROW} reads it by position. */
    static final List<SelectField<?>> COLUMNS = List.of(SCHEMA_MIGRATIONS.VERSION, SCHEMA_MIGRATIONS.APPLIED_AT);
    static final RowReader<SchemaMigration> ROW = r -> new SchemaMigration(r.string(1), r.instant(2));

    private static final Statement<SchemaMigration> LIST = Statement.read("schemaMigrations.list",
            select(COLUMNS).from(SCHEMA_MIGRATIONS).orderBy(SCHEMA_MIGRATIONS.VERSION), ROW);

    private final Database db;

    /** Called by {@code ResumeReviewDb}. */
    public SchemaMigrationRepository(Database db) {
        this.db = db;
    }

    /** Every recorded migration, ordered by version (the primary key). Runs on a replica when one is configured. */
    public List<SchemaMigration> list() {
        return db.list(LIST);
    }
}
