package com.airesumereview.examples.cvservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.testing.SnapshotDatabaseProperties;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

/**
 * The issue's "done when": the service only declares the dependency and injects ResumeReviewDb; it shares Boot's
 * pool, and a @Transactional method that calls every kind of library operation and then throws leaves no row,
 * while a JdbcTemplate row written earlier in the same transaction is visible to the library.
 */
@SpringBootTest
class TransactionalServiceTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SnapshotDatabaseProperties.register(registry);
    }

    @TestConfiguration
    static class Beans {
        @Bean
        EverythingThenFail everythingThenFail(ResumeReviewDb db, JdbcTemplate jdbc) {
            return new EverythingThenFail(db, jdbc);
        }
    }

    /** A service bean of the application, as any would be written. */
    static class EverythingThenFail {
        private final ResumeReviewDb db;
        private final JdbcTemplate jdbc;

        EverythingThenFail(ResumeReviewDb db, JdbcTemplate jdbc) {
            this.db = db;
            this.jdbc = jdbc;
        }

        @Transactional
        public void run(String email) {
            jdbc.update("insert into users (email, password_hash, first_name, last_name) values (?, ?, 'Jdbc', 'Row')",
                    email, TestUsers.passwordHash());
            User seen = db.users().findByEmail(email)
                    .orElseThrow(() -> new AssertionError("the library does not see the JdbcTemplate row"));
            db.refreshTokens().issue(TestRefreshTokens.newToken(seen.id()));           // several statements
            db.users().attemptLogin(email);                                            // several statements
            db.users().list(UserFilter.all(), (PageCursor) null, 10);
            db.fileUploads().create(TestUploads.pdf(seen.id()));                       // one statement
            db.fileUploads().createAll(TestUploads.many(seen.id(), 3));                // COPY
            AnalysisRequest request = db.analyses().create(TestAnalyses.newRequest(seen.id()));
            db.analyses().startProcessing(request.id());
            db.analyses().complete(request.id(), TestAnalyses.newResult());            // several statements
            db.useTransaction(tx -> tx.users().create(TestUsers.newUser()));           // a savepoint
            db.dsl().insertInto(DSL.table("users"), DSL.field("email"), DSL.field("password_hash"),
                    DSL.field("first_name"), DSL.field("last_name"))
                    .values(TestUsers.uniqueEmail(), TestUsers.passwordHash(), "Dsl", "Query").execute();
            throw new IllegalStateException("the service's own rule fails");
        }
    }

    @Autowired
    EverythingThenFail service;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aTransactionalMethodThatCallsEveryKindOfOperationAndThrowsLeavesNoRow() {
        assertThatThrownBy(() -> service.run(TestUsers.uniqueEmail())).hasMessage("the service's own rule fails");

        for (String table : List.of("users", "refresh_tokens", "file_uploads", "analysis_requests", "analysis_results")) {
            assertThat(jdbc.queryForObject("select count(*) from " + table, Integer.class)).as(table).isZero();
        }
    }

    @Test
    void theLibraryUsesBootsOnlyPool(@Autowired List<DataSource> dataSources, @Autowired ResumeReviewDb db) {
        assertThat(dataSources).singleElement().isInstanceOf(HikariDataSource.class);
        HikariDataSource pool = (HikariDataSource) dataSources.get(0);
        db.users().findByEmail("nobody@example.com");
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isPositive();
        assertThat(db.dsl().fetchValue("select current_setting('application_name')")).isEqualTo("resume-review-db");
        assertThat(pool.getDataSourceProperties()).containsEntry("logServerErrorDetail", "false");
    }
}
