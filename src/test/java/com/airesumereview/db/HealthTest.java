package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** {@link ResumeReviewDb#health(Duration)}: up with a latency, or down with a reason, never an exception. */
@ExtendWith(SnapshotDatabaseExtension.class)
class HealthTest {

    @Test
    void isUpWithItsLatencyWhenTheDatabaseAnswers(DataSource ds) {
        Health health = ResumeReviewDb.create(ds).health(Duration.ofSeconds(5));

        assertThat(health.up()).as("health %s", health).isTrue();
        assertThat(health.reason()).isEmpty();
        assertThat(health.latency()).isPositive().isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void isDownWithTheReasonWhenTheServerCannotBeReached() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2");

        Health health = ResumeReviewDb.create(nowhere).health(Duration.ofSeconds(5));

        assertThat(health.up()).isFalse();
        assertThat(health.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("PSQLException: "));
    }

    @Test
    void isDownWithinTheTimeoutWhenThePoolHasNoFreeConnection(ProvisionedDatabase database) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url().jdbcUrl());
        if (database.url().user() != null) {
            config.setUsername(database.url().user());
        }
        if (database.url().password() != null) {
            config.setPassword(database.url().password());
        }
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(10_000);
        try (HikariDataSource pool = new HikariDataSource(config); Connection held = pool.getConnection()) {
            long start = System.nanoTime();

            Health health = ResumeReviewDb.create(pool).health(Duration.ofMillis(300));

            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(health.up()).isFalse();
            assertThat(health.reason()).hasValue("no answer to SELECT 1 within 300 ms");
            assertThat(waitedMs).as("waited ms").isLessThan(3_000);
            assertThat(held.isValid(1)).isTrue();
        }
    }

    @Test
    void refusesATimeoutOutside1MsTo1Minute(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);

        assertThatThrownBy(() -> db.health(Duration.ZERO)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("timeout:");
        assertThatThrownBy(() -> db.health(Duration.ofMinutes(2))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> db.health(null)).isInstanceOf(ValidationException.class);
    }
}
