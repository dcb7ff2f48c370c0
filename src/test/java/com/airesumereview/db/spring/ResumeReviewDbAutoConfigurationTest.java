package com.airesumereview.db.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ConfigurationException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.SchemaCheckFailedException;
import com.airesumereview.db.internal.LivenessDataSource;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.LibraryOperations;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auto-configuration in a Boot context on a real database: one pool (Boot's), Spring's transactions cover
 * every library call, properties validated in their own names, the pool settings, health and metrics.
 */
@ExtendWith({SnapshotDatabaseExtension.class, OutputCaptureExtension.class})
class ResumeReviewDbAutoConfigurationTest {

    /** What Boot would auto-configure for a JDBC service, on {@code database}. */
    private static ApplicationContextRunner boot(ProvisionedDatabase database, Class<?>... autoConfigurations) {
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + database.url().jdbcUrl(),
                "spring.datasource.username=" + database.url().user()));
        if (database.url().password() != null) {
            properties.add("spring.datasource.password=" + database.url().password());
        }
        Class<?>[] all = autoConfigurations.length > 0 ? autoConfigurations : new Class<?>[] {
                DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class};
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(all))
                .withConfiguration(AutoConfigurations.of(ResumeReviewDbAutoConfiguration.class))
                .withPropertyValues(properties.toArray(String[]::new));
    }

    /** A service bean with a {@code @Transactional} method, as a Boot service writes one. */
    static class Registrations {
        private final ResumeReviewDb db;
        private final JdbcTemplate jdbc;

        Registrations(ResumeReviewDb db, JdbcTemplate jdbc) {
            this.db = db;
            this.jdbc = jdbc;
        }

        @Transactional
        public void everythingThenFail(String email) {
            jdbc.update("insert into users (email, password_hash, first_name, last_name) values (?, ?, 'Jdbc', 'Row')",
                    email, TestUsers.passwordHash());
            if (db.users().findByEmail(email).isEmpty()) {
                throw new AssertionError("the library does not see the JdbcTemplate row of its own transaction");
            }
            LibraryOperations.everyKind(db);
            db.dsl().transaction(() -> db.users().create(TestUsers.newUser()));
            throw new IllegalStateException("the @Transactional method throws");
        }
    }

    @Test
    void startsOnBootsPoolWithTheLibrarysConnectionSettingsAndLeavesThePoolOpenWhenClosed(ProvisionedDatabase database) {
        boot(database).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ResumeReviewDb.class).hasSingleBean(DataSource.class);
            ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
            HikariDataSource pool = context.getBean(HikariDataSource.class);

            assertThat(pool.getDataSourceProperties()).containsEntry("logServerErrorDetail", "false")
                    .containsEntry("options", "-c statement_timeout=30000")
                    .containsEntry("ApplicationName", "resume-review-db");
            assertThat(db.dsl().fetchValue("select current_setting('statement_timeout')"))
                    .as("the library's statements run on Boot's pool, which now carries the timeout").isEqualTo("30s");
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("Boot's pool served them").isPositive();

            db.close();
            assertThat(pool.isClosed()).as("closing the library leaves Boot's pool to Boot").isFalse();
        });
    }

    @Test
    void aTransactionalMethodThatCallsEveryKindOfOperationAndThrowsLeavesNoRow(ProvisionedDatabase database) {
        boot(database).withBean(Registrations.class).run(context -> {
            Registrations registrations = context.getBean(Registrations.class);
            String email = TestUsers.uniqueEmail();

            assertThatThrownBy(() -> registrations.everythingThenFail(email))
                    .hasMessage("the @Transactional method throws");

            assertThat(LibraryOperations.counts(database.dataSource()))
                    .allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        });
    }

    @Test
    void inTransactionIsASavepointInsideATransactionTemplate(ProvisionedDatabase database) {
        boot(database).run(context -> {
            ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
            context.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
                db.users().create(TestUsers.newUser());
                assertThatThrownBy(() -> db.useTransaction(tx -> {
                    tx.users().create(TestUsers.newUser());
                    throw new IllegalStateException("inner fails");
                })).hasMessage("inner fails");
            });
            assertThat(LibraryOperations.counts(database.dataSource())).containsEntry("users", 1L);
        });
    }

    @Test
    void withoutATransactionManagerTheLibraryRunsItsOwnTransactions(ProvisionedDatabase database) {
        boot(database, DataSourceAutoConfiguration.class).run(context -> {
            ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                LibraryOperations.everyKind(tx);
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");
            db.useTransaction(tx -> tx.users().create(TestUsers.newUser()));
            assertThat(LibraryOperations.counts(database.dataSource())).containsEntry("users", 1L);
        });
    }

    @Test
    void twoTransactionManagersAndNoneChosenStopStartUpInsteadOfSilentlyNotJoining(ProvisionedDatabase database) {
        ApplicationContextRunner twoManagers = boot(database, DataSourceAutoConfiguration.class,
                JdbcTemplateAutoConfiguration.class)
                .withBean("ordersTransactions", DataSourceTransactionManager.class,
                        () -> new DataSourceTransactionManager())
                .withBean("accountsTransactions", DataSourceTransactionManager.class,
                        () -> new DataSourceTransactionManager())
                .withInitializer(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                    @Override
                    public Object postProcessBeforeInitialization(Object bean, String name) {
                        if (bean instanceof DataSourceTransactionManager manager && manager.getDataSource() == null) {
                            manager.setDataSource(context.getBean(DataSource.class));
                        }
                        return bean;
                    }
                }));
        twoManagers.run(context -> {
            assertThat(context).hasFailed();
            ConfigurationException e = configurationException(context.getStartupFailure());
            assertThat(e).isNotNull();
            assertThat(e.setting()).isEqualTo("resume-review-db.transaction-manager");
            assertThat(e.getMessage()).contains("2 transaction managers and none is @Primary");
        });
        twoManagers.withPropertyValues("resume-review-db.transaction-manager=accountsTransactions").run(context -> {
            assertThat(context).hasNotFailed();
            ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
            TransactionTemplate accounts = new TransactionTemplate(
                    context.getBean("accountsTransactions", DataSourceTransactionManager.class));
            assertThatThrownBy(() -> accounts.executeWithoutResult(status -> {
                LibraryOperations.everyKind(db);
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");
            assertThat(LibraryOperations.counts(database.dataSource()))
                    .as("the named manager's transaction covered the library calls")
                    .allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        });
        twoManagers.withPropertyValues("resume-review-db.transaction-manager=nope").run(context -> {
            assertThat(context).hasFailed();
            assertThat(configurationException(context.getStartupFailure()))
                    .hasMessage("resume-review-db.transaction-manager names no bean, was 'nope'");
        });
    }

    @Test
    void aWrongValueStopsStartUpWithAConfigurationExceptionNamingTheProperty(ProvisionedDatabase database) {
        Map<String, String> wrong = Map.of(
                "resume-review-db.max-failed-logins=0", "resume-review-db.max-failed-logins must be between 1 and 100",
                "resume-review-db.max-failed-logins=five", "resume-review-db.max-failed-logins cannot be read as a whole number, was 'five'",
                "resume-review-db.lock-duration=soon", "resume-review-db.lock-duration cannot be read as a duration",
                "resume-review-db.session-lifetime=10s", "resume-review-db.session-lifetime must be between 1 minute",
                "resume-review-db.schema-check=SOMETIMES", "resume-review-db.schema-check cannot be read as one of [OFF, WARN, FAIL]",
                "resume-review-db.read-replicas=mysql://secret@replica/db", "resume-review-db.read-replicas",
                "resume-review-db.max-replica-lag=2h", "resume-review-db.max-replica-lag must be between 0 and 1 hour",
                "resume-review-db.health.timeout=0s", "resume-review-db.health.timeout must be between 1 ms and 1 minute");
        wrong.forEach((property, message) -> boot(database).withPropertyValues(property).run(context -> {
            assertThat(context).as(property).hasFailed();
            ConfigurationException e = configurationException(context.getStartupFailure());
            assertThat(e).as("the ConfigurationException behind %s", property).isNotNull();
            assertThat(e.setting()).isEqualTo(property.substring(0, property.indexOf('=')));
            assertThat(e.getMessage()).startsWith(message).doesNotContain("secret");
        }));
    }

    private static ConfigurationException configurationException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        return null;
    }

    @Test
    void schemaCheckFailStopsTheContextWithTheReport(ProvisionedDatabase database) throws SQLException {
        try (Connection c = database.ownerDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("alter table users drop column last_name");
        }
        boot(database).withPropertyValues("resume-review-db.schema-check=FAIL").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(SchemaCheckFailedException.class)
                    .hasMessageContaining("refusing to start (schemaCheck=FAIL)").hasMessageContaining("last_name");
        });
        boot(database).withPropertyValues("resume-review-db.schema-check=WARN")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void behindATransactionPoolingPgBouncerThePoolerPropertyIsAllItTakes(ProvisionedDatabase database) {
        try (com.airesumereview.db.production.PgBouncer bouncer =
                com.airesumereview.db.production.PgBouncer.transactionPooling(database.url())) {
            boot(database).withPropertyValues("spring.datasource.url=" + bouncer.through(database.url()).jdbcUrl(),
                    "resume-review-db.pooler=transaction", "resume-review-db.statement-timeout=1s").run(context -> {
                assertThat(context).hasNotFailed();
                ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
                for (int i = 0; i < 6; i++) {   // past pgJDBC's prepareThreshold of 5
                    com.airesumereview.db.testing.LibraryOperations.everyKind(db);
                }
                assertThat(context.getBean(HikariDataSource.class).getDataSourceProperties())
                        .containsEntry("prepareThreshold", "0").doesNotContainKey("options");
                long start = System.nanoTime();
                assertThatThrownBy(() -> db.dsl().fetch("select pg_sleep(4)"))
                        .isInstanceOf(com.airesumereview.db.DatabaseOperationException.class).hasMessageContaining("57014");
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(3));
            });
        }
    }

    @Test
    void propertiesReachTheLibraryAndTheServicesOwnPoolSettingsWin(ProvisionedDatabase database) {
        boot(database).withPropertyValues("resume-review-db.max-failed-logins=2", "resume-review-db.statement-timeout=0",
                "spring.datasource.hikari.data-source-properties.ApplicationName=cv-service").run(context -> {
            ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
            var user = db.users().create(TestUsers.newUser());
            db.users().recordFailedLogin(user.id());
            db.users().recordFailedLogin(user.id());
            assertThat(db.users().isLocked(user.id(), java.time.Instant.now())).as("locked after max-failed-logins=2")
                    .isTrue();

            HikariDataSource pool = context.getBean(HikariDataSource.class);
            assertThat(pool.getDataSourceProperties()).containsEntry("ApplicationName", "cv-service")
                    .doesNotContainKey("options").containsEntry("logServerErrorDetail", "false");
            assertThat(db.dsl().fetchValue("select current_setting('application_name')")).isEqualTo("cv-service");
        });
    }

    @Test
    void bootsPoolFollowsThePrimaryOfItsUrlUnlessFollowPrimaryIsOff(ProvisionedDatabase database) {
        String host = database.url().hosts().get(0);
        boot(database).run(context -> {
            ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
            db.users().create(TestUsers.newUser());
            com.airesumereview.db.Topology topology = db.health(java.time.Duration.ofSeconds(2)).topology();
            assertThat(topology.primary()).as(topology.toString()).contains(host);
            assertThat(topology.hosts()).extracting(com.airesumereview.db.Topology.Host::address).containsExactly(host);
            assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).as("the URL moved under the pool").isNull();
        });
        boot(database).withPropertyValues("resume-review-db.pool-settings.follow-primary=false").run(context -> {
            ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
            db.users().create(TestUsers.newUser());
            assertThat(db.health(java.time.Duration.ofSeconds(2)).topology().hosts()).isEmpty();
            assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.url().jdbcUrl());
            assertThat(context.getBean(HikariDataSource.class).getDataSourceProperties())
                    .containsEntry("logServerErrorDetail", "false");
        });
    }

    @Test
    void bootsPoolKeepsConnectionsAliveInsteadOfValidatingEachQuietCheckout(ProvisionedDatabase database) {
        boot(database).run(context -> {
            context.getBean(ResumeReviewDb.class).users().create(TestUsers.newUser());
            HikariDataSource pool = context.getBean(HikariDataSource.class);
            assertThat(pool.getKeepaliveTime()).as("keepalive").isEqualTo(30_000);
            assertThat(pool.getDataSource()).isInstanceOf(LivenessDataSource.class);
            assertThat(((LivenessDataSource) pool.getDataSource()).answeredLocally())
                    .as("checkouts answered without a round trip").isPositive();
        });
        boot(database).withPropertyValues("spring.datasource.hikari.keepalive-time=60000").run(context -> {
            context.getBean(ResumeReviewDb.class).users().create(TestUsers.newUser());
            assertThat(context.getBean(HikariDataSource.class).getKeepaliveTime()).as("the service's keepalive")
                    .isEqualTo(60_000);
        });
        boot(database).withPropertyValues("resume-review-db.pool-settings.validation-bypass-window=0").run(context -> {
            context.getBean(ResumeReviewDb.class).users().create(TestUsers.newUser());
            assertThat(context.getBean(HikariDataSource.class).getDataSource())
                    .isNotInstanceOf(LivenessDataSource.class);
        });
        boot(database).withPropertyValues("resume-review-db.pool-settings.validation-bypass-window=-1s")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("resume-review-db.pool-settings.validation-bypass-window must be zero"));
    }

    @Test
    void withPoolSettingsOffTheLogSaysOnceWhichAreMissingAndWhy(ProvisionedDatabase database, CapturedOutput output) {
        boot(database).withPropertyValues("resume-review-db.pool-settings.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HikariDataSource.class).getDataSourceProperties()).doesNotContainKey("options");
        });
        assertThat(output.getAll().lines().filter(l -> l.contains("lacks settings the library relies on")).count())
                .isEqualTo(1);
        assertThat(output.getAll()).contains("logServerErrorDetail=false (else row values")
                .contains("statement_timeout");
    }

    @Test
    void backsOffForTheServicesOwnBeanWithoutADataSourceAndWhenDisabled(ProvisionedDatabase database) {
        boot(database).withBean("myDb", ResumeReviewDb.class, () -> ResumeReviewDb.create(database.dataSource()))
                .run(context -> assertThat(context).hasSingleBean(ResumeReviewDb.class).hasBean("myDb"));
        boot(database).withPropertyValues("resume-review-db.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ResumeReviewDb.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResumeReviewDbAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResumeReviewDb.class));
    }

    @Test
    void healthShowsLatencySchemaVerdictAndReplicasAndMetricsGoToBootsRegistry(ProvisionedDatabase database) {
        boot(database).withBean(SimpleMeterRegistry.class).run(context -> {
            HealthIndicator indicator = context.getBean("resumeReviewDbHealthIndicator", HealthIndicator.class);
            var health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKeys("latencyMs", "schema", "schemaCheckedAt", "replicas");
            assertThat(health.getDetails().get("schema")).isIn("MATCHES", "COMPATIBLE");
            assertThat(indicator.health().getDetails().get("schemaCheckedAt"))
                    .as("the verdict is reused, not compared on every probe").isEqualTo(health.getDetails().get("schemaCheckedAt"));

            context.getBean(ResumeReviewDb.class).users().create(TestUsers.newUser());
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("resume_review_db.operation").timers()).isNotEmpty();
        });
    }

    @Test
    void healthIsDownWhenTheDatabaseDoesNotAnswer(ProvisionedDatabase database) {
        boot(database).run(context -> {
            context.getBean(HikariDataSource.class).close();
            var health = context.getBean("resumeReviewDbHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKey("error");
        });
    }

}
