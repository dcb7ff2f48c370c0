package com.airesumereview.db.verification;

import com.airesumereview.db.internal.StableJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.inspection.Difference;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SnapshotDatabaseExtension.class)
class SchemaVerifierTest {

    @Test
    void snapshotCopyMatchesTheBundledSnapshot(ProvisionedDatabase db) {
        VerificationReport report = SchemaVerifier.againstBundledSnapshot().verify(db.url());

        assertThat(report.differences()).isEmpty();
        assertThat(report.verdict()).isEqualTo(Verdict.MATCHES);
        assertThat(report.database()).isEqualTo(db.jdbcUrl());
        assertThat(report.render()).endsWith("verdict: MATCHES - " + db.jdbcUrl() + " matches the bundled snapshot\n");
    }

    @Test
    void reportGroupsBreakingChangesAndAdditionsInSeparateSectionsByKind(ProvisionedDatabase db) throws SQLException {
        execute(db, "ALTER TABLE public.users ALTER COLUMN email TYPE text",
                "ALTER TABLE public.prompts ADD COLUMN locale varchar(10)",
                "CREATE TABLE public.review_notes (id uuid PRIMARY KEY, note text)",
                "DROP INDEX public.idx_users_locked_until");

        VerificationReport report = SchemaVerifier.againstBundledSnapshot().verify(db.dataSource());

        assertThat(report.verdict()).isEqualTo(Verdict.BREAKING);
        assertThat(report.summary()).isEqualTo(new VerificationReport.Summary(1, 1, 2));
        assertThat(report.render()).containsSubsequence(
                "Breaking changes (1)", "  column:", "    users.email type: snapshot expects 'character varying(255)',"
                        + " database has 'text'",
                "Compatible changes (1)", "  index:", "    users.idx_users_locked_until missing:",
                "Additions (2)", "  table:", "    review_notes added:", "  column:", "    prompts.locale added:",
                "verdict: BREAKING - 1 breaking, 1 compatible change, 2 additions");
    }

    @Test
    void reportJsonNamesVerdictAndSummaryAndReadsBack(ProvisionedDatabase db) throws Exception {
        execute(db, "ALTER TABLE public.prompts ADD COLUMN locale varchar(10)");
        VerificationReport report = SchemaVerifier.againstBundledSnapshot().verify(db.url());

        String json = StableJson.write(report);

        assertThat(json).contains("\"verdict\" : \"COMPATIBLE\"", "\"additions\" : 1", "\"name\" : \"prompts.locale\"");
        assertThat(new ObjectMapper().readValue(json, VerificationReport.class)).isEqualTo(report);
    }

    @Test
    void unreachableServerGivesOneLineNamingTheUrlButNotThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:S3cret-pw@127.0.0.1:1/prod");

        assertThatThrownBy(() -> SchemaVerifier.againstBundledSnapshot().verify(url))
                .isInstanceOf(ResumeReviewDbException.class)
                .hasMessage("cannot connect to jdbc:postgresql://127.0.0.1:1/prod: Connection refused");
    }

    @Test
    void pooledConnectionGoesBackWithItsSettings(ProvisionedDatabase db) throws SQLException {
        try (Connection kept = db.dataSource().getConnection()) {
            SchemaVerifier.againstBundledSnapshot().verify(new SingleConnection(kept));

            assertThat(kept.getAutoCommit()).isTrue();
            assertThat(kept.isReadOnly()).isFalse();
            try (Statement statement = kept.createStatement()) {
                statement.execute("CREATE TABLE public.still_writable (id int)");
            }
        }
    }

    @Test
    void differencesKeepWhatTheSnapshotExpectsAndWhatTheDatabaseHas(ProvisionedDatabase db) throws SQLException {
        execute(db, "ALTER TABLE public.users ALTER COLUMN email TYPE text");

        assertThat(SchemaVerifier.againstBundledSnapshot().verify(db.url()).differences()).singleElement()
                .extracting(Difference::expected, Difference::actual)
                .containsExactly("character varying(255)", "text");
    }

    private static void execute(ProvisionedDatabase db, String... ddl) throws SQLException {
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : ddl) {
                statement.execute(sql);
            }
        }
    }
}
