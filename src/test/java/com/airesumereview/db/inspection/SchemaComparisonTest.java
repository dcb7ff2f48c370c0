package com.airesumereview.db.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each test changes one thing in a fresh copy of the snapshot and checks that exactly that is reported. */
class SchemaComparisonTest {
    private static PostgresProvisioner postgres;
    private static SchemaModel snapshot;

    @BeforeAll
    static void provision() {
        postgres = PostgresProvisioner.start();
        try (ProvisionedDatabase db = postgres.createSnapshotDatabase()) {
            snapshot = SchemaInspector.forPublicSchema().inspect(db.dataSource());
        }
    }

    @AfterAll
    static void release() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void changedColumnTypeIsBreaking() throws SQLException {
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users ALTER COLUMN email TYPE text");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.COLUMN, "users.email",
                Change.CHANGED, "type", "character varying(255)", "text", Impact.BREAKING));
        assertThat(drift.breaking()).hasSize(1);
        assertThat(drift.render()).contains("BREAKING", "COLUMN users.email type: snapshot expects"
                + " 'character varying(255)', database has 'text'");
    }

    @Test
    void droppedIndexIsACompatibleChange() throws SQLException {
        SchemaDifferences drift = driftAfter("DROP INDEX public.idx_users_locked_until");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.INDEX,
                "users.idx_users_locked_until", Change.MISSING, null,
                "CREATE INDEX idx_users_locked_until ON public.users USING btree (locked_until)", null,
                Impact.COMPATIBLE_CHANGE));
        assertThat(drift.breaking()).isEmpty();
    }

    @Test
    void changedCheckVocabularyIsBreaking() throws SQLException {
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users DROP CONSTRAINT users_role_check,"
                + " ADD CONSTRAINT users_role_check CHECK (role IN ('consultant', 'admin', 'auditor'))");

        assertThat(drift.differences()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(ObjectKind.CONSTRAINT);
            assertThat(d.name()).isEqualTo("users.users_role_check");
            assertThat(d.change()).isEqualTo(Change.CHANGED);
            assertThat(d.attribute()).isEqualTo("definition");
            assertThat(d.impact()).isEqualTo(Impact.BREAKING);
            assertThat(d.expected()).isEqualTo("CHECK (((role)::text = ANY (ARRAY[('consultant'::character"
                    + " varying)::text, ('admin'::character varying)::text])))");
            assertThat(d.actual()).contains("'auditor'");
        });
    }

    @Test
    void checkWrittenAsInListLikeProductionEqualsTheSameCheckRestoredFromPgDumpText() throws SQLException {
        // Production's CHECKs were created from IN (...); the snapshot's from pg_dump's printing of them.
        // PostgreSQL prints the two differently although they mean the same.
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users DROP CONSTRAINT users_role_check,"
                + " ADD CONSTRAINT users_role_check CHECK (role IN ('consultant', 'admin'))",
                "ALTER TABLE public.file_uploads DROP CONSTRAINT chk_file_uploads_experience_level,"
                + " ADD CONSTRAINT chk_file_uploads_experience_level"
                + " CHECK (experience_level IN ('junior', 'mid', 'senior') OR experience_level IS NULL)");

        assertThat(drift.differences()).as(drift.render()).isEmpty();
    }

    @Test
    void changedDefaultIsACompatibleChange() throws SQLException {
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users ALTER COLUMN failed_login_attempts SET DEFAULT 5");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.COLUMN,
                "users.failed_login_attempts", Change.CHANGED, "default", "0", "5", Impact.COMPATIBLE_CHANGE));
    }

    @Test
    void defaultRemovedFromNotNullColumnIsBreaking() throws SQLException {
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users ALTER COLUMN id DROP DEFAULT");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.COLUMN, "users.id",
                Change.CHANGED, "default", "public.uuid_generate_v4()", null, Impact.BREAKING));
    }

    @Test
    void changedFunctionBodyIsACompatibleChange() throws SQLException {
        SchemaDifferences drift = driftAfter("CREATE OR REPLACE FUNCTION public.update_updated_at_column()"
                + " RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    NEW.updated_at = clock_timestamp();\n"
                + "    RETURN NEW;\nEND;\n$$");

        assertThat(drift.differences()).singleElement().satisfies(d -> {
            assertThat(d).extracting(Difference::kind, Difference::name, Difference::change, Difference::attribute,
                    Difference::impact).containsExactly(ObjectKind.FUNCTION, "update_updated_at_column()",
                    Change.CHANGED, "definition", Impact.COMPATIBLE_CHANGE);
            assertThat(d.expected()).contains("NEW.updated_at = NOW();");
            assertThat(d.actual()).contains("NEW.updated_at = clock_timestamp();");
            // The one-line rendering shows where the bodies differ, not just their common beginning.
            assertThat(d.toString()).contains("NOW()", "clock_timestamp()");
        });
    }

    @Test
    void missingTriggerIsACompatibleChange() throws SQLException {
        SchemaDifferences drift = driftAfter("DROP TRIGGER update_users_updated_at ON public.users");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.TRIGGER,
                "users.update_users_updated_at", Change.MISSING, null,
                "CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION"
                        + " public.update_updated_at_column()", null, Impact.COMPATIBLE_CHANGE));
    }

    @Test
    void addedTableIsOneAdditionWithoutItsKeyAndIndexes() throws SQLException {
        SchemaDifferences drift = driftAfter("CREATE TABLE public.audit_log (id bigint PRIMARY KEY, note text)",
                "CREATE INDEX idx_audit_log_note ON public.audit_log (note)");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.TABLE, "audit_log",
                Change.ADDED, null, null, "columns: id, note", Impact.ADDITION));
        assertThat(drift.additions()).hasSize(1);
        assertThat(drift.breaking()).isEmpty();
    }

    @Test
    void addedNullableColumnIsAnAddition() throws SQLException {
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users ADD COLUMN nickname text");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.COLUMN, "users.nickname",
                Change.ADDED, null, null, "text", Impact.ADDITION));
    }

    @Test
    void addedNotNullColumnWithoutDefaultIsBreakingBecauseInsertsWouldFail() throws SQLException {
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users ADD COLUMN tenant_id uuid NOT NULL");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.COLUMN, "users.tenant_id",
                Change.ADDED, null, null, "uuid NOT NULL", Impact.BREAKING));
    }

    @Test
    void missingTableIsOneBreakingDifferenceWithoutItsColumnsConstraintsAndIndexes() throws SQLException {
        SchemaDifferences drift = driftAfter("DROP TABLE public.prompt_history");

        assertThat(drift.differences()).singleElement().satisfies(d -> assertThat(d)
                .extracting(Difference::kind, Difference::name, Difference::change, Difference::impact)
                .containsExactly(ObjectKind.TABLE, "prompt_history", Change.MISSING, Impact.BREAKING));
    }

    @Test
    void droppedColumnDoesNotReportTheFollowingColumnsAsMoved() throws SQLException {
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users DROP COLUMN last_login_at");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.COLUMN, "users.last_login_at",
                Change.MISSING, null, "timestamp with time zone", null, Impact.BREAKING));
    }

    @Test
    void changedCommentIsACompatibleChange() throws SQLException {
        SchemaDifferences drift = driftAfter("COMMENT ON COLUMN public.file_uploads.file_size IS 'bytes'");

        assertThat(drift.differences()).containsExactly(new Difference(ObjectKind.COLUMN, "file_uploads.file_size",
                Change.CHANGED, "comment", "File size in bytes", "bytes", Impact.COMPATIBLE_CHANGE));
    }

    @Test
    void groupsByKindAndImpactAndRendersOneLinePerDifference() throws Exception {
        SchemaDifferences drift = driftAfter("ALTER TABLE public.users ALTER COLUMN email TYPE text",
                "DROP INDEX public.idx_users_locked_until",
                "ALTER TABLE public.users ADD COLUMN nickname text");

        assertThat(drift.byKind().keySet()).containsExactly(ObjectKind.COLUMN, ObjectKind.INDEX);
        assertThat(drift.byKind().get(ObjectKind.COLUMN)).extracting(Difference::name)
                .containsExactly("users.email", "users.nickname");
        assertThat(drift.breaking()).extracting(Difference::name).containsExactly("users.email");
        assertThat(drift.compatibleChanges()).extracting(Difference::name).containsExactly("users.idx_users_locked_until");
        assertThat(drift.additions()).extracting(Difference::name).containsExactly("users.nickname");
        assertThat(drift.render().lines()).hasSize(4).first()
                .isEqualTo("3 differences: 1 breaking, 1 compatible change, 1 addition");
        assertThat(drift.render().lines().skip(1)).satisfiesExactly(
                line -> assertThat(line).startsWith("BREAKING").contains("users.email"),
                line -> assertThat(line).startsWith("COMPATIBLE_CHANGE").contains("idx_users_locked_until missing"),
                line -> assertThat(line).startsWith("ADDITION").contains("users.nickname added"));
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readValue(json.writeValueAsString(drift), SchemaDifferences.class)).isEqualTo(drift);
        assertThat(json.writeValueAsString(drift)).contains("\"kind\":\"COLUMN\"", "\"impact\":\"BREAKING\"");
    }

    @Test
    void identicalStructureRendersAsNoDifferences() {
        SchemaDifferences drift = SchemaComparison.compare(snapshot, snapshot);

        assertThat(drift.isEmpty()).isTrue();
        assertThat(drift.render()).isEqualTo("no differences: the database matches the snapshot");
    }

    private static SchemaDifferences driftAfter(String... ddl) throws SQLException {
        try (ProvisionedDatabase db = postgres.createSnapshotDatabase()) {
            try (Connection connection = db.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                for (String sql : ddl) {
                    statement.execute(sql);
                }
            }
            return SchemaComparison.compare(snapshot, SchemaInspector.forPublicSchema().inspect(db.dataSource()));
        }
    }
}
