package com.airesumereview.db;

import com.airesumereview.db.internal.Connections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.repository.AnalysisRepository;
import com.airesumereview.db.repository.FileUploadRepository;
import com.airesumereview.db.repository.PromptRepository;
import com.airesumereview.db.repository.RefreshTokenRepository;
import com.airesumereview.db.repository.SchemaMigrationRepository;
import com.airesumereview.db.repository.UserRepository;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.verification.Verdict;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One configuration for both a URL and a caller's DataSource; named failures when connecting. */
@ExtendWith(SnapshotDatabaseExtension.class)
class ConnectWithConfigTest {

    @Test
    void aClosedPortIsDatabaseUnavailableWithTheDriversCauseAndNoPassword() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url("postgresql://app:Top-Secret-9@127.0.0.1:" + closedPort + "/ai_resume_review")
                .connectionTimeout(Duration.ofMillis(500))
                .build();
        assertThatThrownBy(() -> ResumeReviewDb.connect(config))
                .isExactlyInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort + "/ai_resume_review")
                .hasMessageNotContaining("Top-Secret-9")
                .hasRootCauseInstanceOf(java.net.ConnectException.class)
                .satisfies(e -> {
                    assertThat(e.getCause()).as("the pool's exception is kept as the cause").isNotNull();
                    assertThat(((DatabaseUnavailableException) e).sqlState()).startsWith("08");
                });
    }

    @Test
    void aLoginTheServerRefusesIsAConfigurationErrorOfTheUrlNotUnavailability(ProvisionedDatabase database) {
        DatabaseUrl noSuchDatabase = database.url().withDatabase("no_such_database_" + System.nanoTime());
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder().url(noSuchDatabase)
                .connectionTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> ResumeReviewDb.connect(config))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("url"))
                .hasMessageContaining("cannot connect to " + noSuchDatabase.jdbcUrl())
                .hasMessageContaining("SQLSTATE 3D000")
                .hasCauseInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> Connections.open(noSuchDatabase, "rrdb-open-test"))
                .as("Connections.open, used by the tools, classifies the same way")
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("SQLSTATE 3D000");
    }

    @Test
    void aCallersDataSourceGetsTheSchemaCheckItAsksFor(ProvisionedDatabase database) throws SQLException {
        DataSource own = database.dataSource();
        try (ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().dataSource(own)
                .schemaCheck(SchemaCheck.FAIL).build())) {
            assertThat(db.users().create(TestUsers.newUser()).id()).as("FAIL starts on a matching database").isNotNull();
        }
        try (Connection c = database.ownerDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE public.users ALTER COLUMN email TYPE text");
        }
        assertThatThrownBy(() -> ResumeReviewDb.connect(ResumeReviewDbConfig.builder().dataSource(own)
                .schemaCheck(SchemaCheck.FAIL).build()))
                .isInstanceOfSatisfying(SchemaCheckFailedException.class,
                        e -> assertThat(e.report().verdict()).isEqualTo(Verdict.BREAKING))
                .hasMessageContaining("users.email");
        try (ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().dataSource(own).build())) {
            assertThat(db.verifySchema().verdict()).as("WARN (the default) starts").isEqualTo(Verdict.BREAKING);
        }
        try (Connection c = own.getConnection()) {
            assertThat(c.isValid(2)).as("neither the refusal nor close() closed the caller's pool").isTrue();
        }
    }

    @Test
    void thePoolCustomizerTunesThePoolTheLibraryCreates(ProvisionedDatabase database) throws SQLException {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url(database.url())
                .maximumPoolSize(2)
                .applicationName("rrdb-before-customizer")
                .schemaCheck(SchemaCheck.OFF)
                .poolCustomizer(hikari -> {
                    hikari.addDataSourceProperty("ApplicationName", "rrdb-customized");
                    hikari.setMaximumPoolSize(1);
                })
                .build();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config)) {
            db.users().create(TestUsers.newUser());
            assertThat(sessions(database.dataSource(), "rrdb-customized"))
                    .as("the customizer runs after the library's settings and may override them").isEqualTo(1);
            assertThat(sessions(database.dataSource(), "rrdb-before-customizer")).isZero();
        }
    }

    @Test
    void aCustomizerThatBreaksTheHikariConfigIsAConfigurationException(ProvisionedDatabase database) {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url(database.url())
                .poolCustomizer(hikari -> hikari.setMinimumIdle(-5))
                .build();
        assertThatThrownBy(() -> ResumeReviewDb.connect(config))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("poolCustomizer"))
                .hasMessageContaining("poolCustomizer left an invalid HikariCP setting")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createWithoutADataSourceIsAConfigurationException() {
        assertThatThrownBy(() -> ResumeReviewDb.create(null))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("dataSource"));
    }

    @Test
    void createWithReplicasRefusesAMissingPoolByNameNotWithANullPointerException() {
        javax.sql.DataSource somePool = new org.postgresql.ds.PGSimpleDataSource();
        assertThatThrownBy(() -> ResumeReviewDb.create(null, somePool))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("primary"));
        assertThatThrownBy(() -> ResumeReviewDb.create(somePool, somePool, null))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("replicas[1]"));
        assertThatThrownBy(() -> ResumeReviewDb.create(somePool, (javax.sql.DataSource[]) null))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("replicas"));
    }

    @Test
    void connectWithoutAConfigIsAConfigurationException() {
        assertThatThrownBy(() -> ResumeReviewDb.connect((ResumeReviewDbConfig) null))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("config"));
    }

    /**
     * The Javadoc promises that the entry point and the repositories are thread-safe because nothing in them changes
     * after construction; this keeps that true: every instance field is final (the closed flag lives in a final
     * field's object, a volatile).
     */
    @Test
    void theEntryPointAndTheRepositoriesHoldOnlyFinalFields() {
        List<Class<?>> shared = List.of(ResumeReviewDb.class, ResumeReviewDbConfig.class, UserRepository.class,
                RefreshTokenRepository.class, FileUploadRepository.class, AnalysisRepository.class, PromptRepository.class,
                SchemaMigrationRepository.class, com.airesumereview.db.internal.ClosableDataSource.class);
        for (Class<?> type : shared) {
            List<String> mutable = Arrays.stream(type.getDeclaredFields())
                    .filter(f -> !Modifier.isStatic(f.getModifiers()))
                    .filter(f -> !Modifier.isFinal(f.getModifiers()) && !Modifier.isVolatile(f.getModifiers()))
                    .map(Field::getName).toList();
            assertThat(mutable).as("non-final, non-volatile fields of %s", type.getSimpleName()).isEmpty();
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
