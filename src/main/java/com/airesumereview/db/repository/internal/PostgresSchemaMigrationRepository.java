package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.SCHEMA_MIGRATIONS;
import static org.jooq.impl.DSL.select;
import com.airesumereview.db.domain.SchemaMigration;
import com.airesumereview.db.internal.Binds;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.Statement;
import java.util.List;
import org.jooq.SelectField;
import com.airesumereview.db.repository.SchemaMigrationRepository;

/** The one implementation of {@link SchemaMigrationRepository}: statements built once, run by the engine. */
public final class PostgresSchemaMigrationRepository implements SchemaMigrationRepository {
    /** The select list {@link #ROW} reads. */
    static final List<SelectField<?>> COLUMNS = List.of(SCHEMA_MIGRATIONS.VERSION, SCHEMA_MIGRATIONS.APPLIED_AT);
    static final RowReader<SchemaMigration> ROW = RowReader.of(COLUMNS,
            r -> new SchemaMigration(r.get(SCHEMA_MIGRATIONS.VERSION), r.get(SCHEMA_MIGRATIONS.APPLIED_AT)));

    private static final Statement<SchemaMigration> LIST = Statement.read("schemaMigrations.list",
            select(COLUMNS).from(SCHEMA_MIGRATIONS).orderBy(SCHEMA_MIGRATIONS.VERSION), ROW);

    private final Database db;

    /** Called by {@code ResumeReviewDb}. */
    public PostgresSchemaMigrationRepository(Database db) {
        this.db = db;
    }

    @Override
    public List<SchemaMigration> list() {
        return db.operation("schemaMigrations.list", () -> db.list(LIST, Binds.none()));
    }
}
