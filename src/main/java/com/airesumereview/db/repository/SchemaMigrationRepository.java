package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.SCHEMA_MIGRATIONS;

import com.airesumereview.db.domain.SchemaMigration;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;

/**
 * The Python service's migration log ({@code schema_migrations}), read-only: only that service's
 * migration runner writes it. It lists {@code 001_initial_schema} and
 * {@code 002_add_password_security_columns} although production has more; it does not describe the schema.
 */
public final class SchemaMigrationRepository {
    private static final Field<Instant> APPLIED_AT = InstantColumns.of(SCHEMA_MIGRATIONS.APPLIED_AT);
    static final List<Field<?>> COLUMNS = List.of(SCHEMA_MIGRATIONS.VERSION, APPLIED_AT);

    private final DSLContext dsl;

    /** Called by {@code ResumeReviewDb}; repositories share its {@link DSLContext}. */
    public SchemaMigrationRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Every recorded migration, ordered by version (the primary key). */
    public List<SchemaMigration> list() {
        return dsl.select(COLUMNS)
                .from(SCHEMA_MIGRATIONS)
                .orderBy(SCHEMA_MIGRATIONS.VERSION)
                .fetch(SchemaMigrationRepository::toMigration);
    }

    /** The one row -> SchemaMigration function (also used by the audit through {@link RowMappings}). */
    static SchemaMigration toMigration(Record r) {
        return new SchemaMigration(r.get(SCHEMA_MIGRATIONS.VERSION), r.get(APPLIED_AT));
    }
}
