package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.domain.User;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SnapshotDatabaseExtension.class)
class ResumeReviewDbTest {

    @Test
    void repositoryCallsInsideATransactionCommitTogether(DataSource dataSource) throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        db.useTransaction(tx -> {
            tx.users().create(TestUsers.newUser());
            db.users().create(TestUsers.newUser()); // through the outer object: joins too
        });
        assertThat(count(dataSource, "users")).isEqualTo(2);
    }

    @Test
    void anExceptionRollsBackEveryCallOfTheTransaction(DataSource dataSource) throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.users().create(TestUsers.newUser());
            db.users().create(TestUsers.newUser());
            throw new IllegalStateException("business rule failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("business rule failed");
        assertThat(count(dataSource, "users")).isZero();
    }

    @Test
    void aNestedTransactionIsASavepoint(DataSource dataSource) throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User kept = db.inTransaction(tx -> {
            User outer = tx.users().create(TestUsers.newUser());
            assertThatThrownBy(() -> tx.useTransaction(inner -> {
                inner.users().create(TestUsers.newUser());
                throw new IllegalStateException("inner fails");
            })).hasMessage("inner fails");
            return outer;
        });
        assertThat(count(dataSource, "users")).isEqualTo(1);
        assertThat(db.users().findById(kept.id())).isPresent();
    }

    @Test
    void connectOwnsItsPoolAndCloseReleasesEveryConnection(ProvisionedDatabase database) throws SQLException {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url(database.url())
                .maximumPoolSize(3)
                .applicationName("rrdb-entry-point-test")
                .schemaCheck(SchemaCheck.OFF)
                .build();
        ResumeReviewDb db = ResumeReviewDb.connect(config);
        db.users().create(TestUsers.newUser());
        assertThat(sessions(database.dataSource(), "rrdb-entry-point-test")).isBetween(1, 3);
        db.close();
        assertThat(sessions(database.dataSource(), "rrdb-entry-point-test")).isZero();
    }

    @Test
    void unreachableDatabaseFailsFastNamingTheServerNotThePassword() {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url("postgresql://app:Top-Secret-9@127.0.0.1:1/ai_resume_review")
                .connectionTimeout(Duration.ofMillis(500))
                .build();
        assertThatThrownBy(() -> ResumeReviewDb.connect(config))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasCauseInstanceOf(RuntimeException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/ai_resume_review")
                .hasMessageNotContaining("Top-Secret-9");
    }

    @Test
    void configRejectsWrongSettingsNamingThem() {
        var builder = ResumeReviewDbConfig.builder().url("postgresql://u@h/db");
        assertThatThrownBy(() -> builder.maximumPoolSize(0).build()).hasMessageContaining("maximumPoolSize must be between 1 and 500");
        assertThatThrownBy(() -> ResumeReviewDbConfig.builder().url("postgresql://u@h/db").connectionTimeout(Duration.ofMillis(10)).build())
                .hasMessageContaining("connectionTimeout must be at least 250 ms");
        assertThatThrownBy(() -> ResumeReviewDbConfig.builder().url("postgresql://u@h/db").maximumPoolSize(2).minimumIdle(5).build())
                .hasMessageContaining("minimumIdle must be at most maximumPoolSize (2)");
        assertThatThrownBy(() -> ResumeReviewDbConfig.builder().build()).hasMessageContaining("url is required");
        ResumeReviewDbConfig defaults = ResumeReviewDbConfig.builder().url("postgresql://u@h/db").build();
        assertThat(defaults.maximumPoolSize()).isEqualTo(10);
        assertThat(defaults.minimumIdle()).isEqualTo(10);
        assertThat(defaults.schemaCheck()).isEqualTo(SchemaCheck.WARN);
        assertThat(defaults.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    private static long count(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM public." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int sessions(DataSource ds, String applicationName) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                     + applicationName + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
