package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One validation convention: every wrong setting is a ConfigurationException that names it. No database needed. */
class ResumeReviewDbConfigTest {
    private static final String URL = "postgresql://app@db:5432/ai_resume_review";

    static Stream<Arguments> wrongSettings() {
        return Stream.of(
                wrong("maximumPoolSize", b -> b.maximumPoolSize(0), "maximumPoolSize must be between 1 and 500, was 0"),
                wrong("maximumPoolSize", b -> b.maximumPoolSize(501), "maximumPoolSize must be between 1 and 500, was 501"),
                wrong("minimumIdle", b -> b.maximumPoolSize(2).minimumIdle(5), "minimumIdle must be at most maximumPoolSize (2), was 5"),
                wrong("connectionTimeout", b -> b.connectionTimeout(Duration.ofMillis(10)), "connectionTimeout must be at least 250 ms"),
                wrong("connectionTimeout", b -> b.connectionTimeout(null), "connectionTimeout must be at least 250 ms, was null"),
                wrong("idleTimeout", b -> b.idleTimeout(Duration.ofSeconds(-1)), "idleTimeout must be zero or positive"),
                wrong("maxLifetime", b -> b.maxLifetime(Duration.ofSeconds(5)), "maxLifetime must be 0 (no limit) or at least 30 s"),
                wrong("keepaliveTime", b -> b.keepaliveTime(Duration.ofSeconds(10)), "keepaliveTime must be 0 (off) or at least 30 s and shorter than maxLifetime (PT30M), was PT10S"),
                wrong("keepaliveTime", b -> b.maxLifetime(Duration.ofMinutes(1)).keepaliveTime(Duration.ofMinutes(1)), "keepaliveTime must be 0 (off) or at least 30 s and shorter than maxLifetime (PT1M)"),
                wrong("validationBypassWindow", b -> b.validationBypassWindow(Duration.ofSeconds(27)), "validationBypassWindow must be zero (HikariCP's checks) or positive and shorter than 90% of keepaliveTime (PT30S)"),
                wrong("validationBypassWindow", b -> b.validationBypassWindow(Duration.ofSeconds(-1)), "validationBypassWindow must be zero"),
                wrong("statementTimeout", b -> b.statementTimeout(Duration.ofSeconds(-1)), "statementTimeout must be zero (off) or positive"),
                wrong("applicationName", b -> b.applicationName(" "), "applicationName must be 1..63 characters"),
                wrong("applicationName", b -> b.applicationName("x".repeat(64)), "applicationName must be 1..63 characters, was 64 characters"),
                wrong("schemaCheck", b -> b.schemaCheck(null), "schemaCheck must be OFF, WARN or FAIL"),
                wrong("pooler", b -> b.pooler(null), "pooler must be NONE, SESSION or TRANSACTION, was null"),
                wrong("maxFailedLogins", b -> b.maxFailedLogins(0), "maxFailedLogins must be between 1 and 100, was 0"),
                wrong("lockDuration", b -> b.lockDuration(Duration.ofMillis(10)), "lockDuration must be between 1 s and 3650 days"),
                wrong("sessionLifetime", b -> b.sessionLifetime(Duration.ofSeconds(30)), "sessionLifetime must be between 1 minute and 3650 days"),
                wrong("maxReplicaLag", b -> b.maxReplicaLag(Duration.ofMinutes(61)), "maxReplicaLag must be between 0 and 1 hour, was PT1H1M"),
                wrong("maxReplicaLag", b -> b.maxReplicaLag(Duration.ofMillis(-1)), "maxReplicaLag must be between 0 and 1 hour"),
                wrong("readReplica", b -> b.readReplica("mysql://r/db"), "readReplica: database URL must start with postgresql://"),
                wrong("readReplica", b -> b.readReplica((DataSource) null), "readReplica must not be null"),
                wrong("poolCustomizer", b -> b.poolCustomizer(null), "poolCustomizer must not be null"),
                wrong("meterRegistry", b -> b.meterRegistry("not a registry"), "meterRegistry must be an io.micrometer.core.instrument.MeterRegistry, was java.lang.String"),
                wrong("meterRegistry", b -> b.meterRegistry(null), "meterRegistry must not be null"),
                wrong("dataSource", b -> b.dataSource(new NoDataSource()), "dataSource and url are both set"),
                wrong("url", b -> b.url("jdbc:mysql://db/x"), "database URL must start with"));
    }

    private static Arguments wrong(String setting, UnaryOperator<ResumeReviewDbConfig.Builder> change, String message) {
        return Arguments.of(setting, change, message);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("wrongSettings")
    void eachWrongSettingFailsNamingTheSettingAndTheRule(String setting, UnaryOperator<ResumeReviewDbConfig.Builder> change,
                                                         String message) {
        assertThatThrownBy(() -> change.apply(ResumeReviewDbConfig.builder().url(URL)).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.setting()).as("setting named by %s", e.getMessage()).isEqualTo(setting);
                    assertThat(e.getMessage()).startsWith(setting.equals("url") ? "database URL" : setting).contains(message);
                });
    }

    @Test
    void aDatabaseIsRequiredAsAUrlOrADataSource() {
        assertThatThrownBy(() -> ResumeReviewDbConfig.builder().build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("url"))
                .hasMessageContaining("url is required").hasMessageContaining("dataSource(...)");
        assertThatThrownBy(() -> ResumeReviewDbConfig.builder().dataSource(null))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("dataSource"));
        assertThatThrownBy(() -> ResumeReviewDbConfig.builder().credentials("u", "p"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("credentials"));
    }

    @Test
    void aDataSourceConfigCarriesTheSchemaCheckAndEverySetting() {
        DataSource own = new NoDataSource();
        DataSource replica = new NoDataSource();
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .dataSource(own)
                .schemaCheck(SchemaCheck.FAIL)
                .maxFailedLogins(3)
                .lockDuration(Duration.ofMinutes(15))
                .sessionLifetime(Duration.ofDays(1))
                .readReplica(replica)
                .readReplica("postgresql://app@replica-1/ai_resume_review")
                .maxReplicaLag(Duration.ofMillis(500))
                .build();
        assertThat(config.dataSource()).isSameAs(own);
        assertThat(config.url()).isNull();
        assertThat(config.schemaCheck()).isEqualTo(SchemaCheck.FAIL);
        assertThat(config.maxFailedLogins()).isEqualTo(3);
        assertThat(config.lockDuration()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.sessionLifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(config.readReplicaDataSources()).containsExactly(replica);
        assertThat(config.readReplicaUrls()).extracting(DatabaseUrl::jdbcUrl)
                .containsExactly("jdbc:postgresql://replica-1/ai_resume_review");
        assertThat(config.maxReplicaLag()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.meterRegistry()).isNull();
        assertThat(config.toString()).contains("dataSource=" + NoDataSource.class.getName()).contains("readReplicas=2");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ResumeReviewDbConfig defaults = ResumeReviewDbConfig.builder().url(URL).build();
        assertThat(defaults.maximumPoolSize()).isEqualTo(10);
        assertThat(defaults.minimumIdle()).isEqualTo(10);
        assertThat(defaults.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.keepaliveTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.validationBypassWindow()).isEqualTo(Duration.ofSeconds(25));
        assertThat(defaults.schemaCheck()).isEqualTo(SchemaCheck.WARN);
        assertThat(defaults.pooler()).isEqualTo(Pooler.NONE);
        assertThat(defaults.maxFailedLogins()).isEqualTo(5);
        assertThat(defaults.lockDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.sessionLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.maxReplicaLag()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.readReplicaUrls()).isEmpty();
        assertThat(defaults.readReplicaDataSources()).isEmpty();
        assertThat(defaults.meterRegistry()).isNull();
        HikariConfig untouched = new HikariConfig();
        defaults.poolCustomizer().accept(untouched);
        assertThat(untouched.getMaximumPoolSize()).isEqualTo(new HikariConfig().getMaximumPoolSize());
    }

    @Test
    void theConfigIsImmutableOnceBuilt() {
        ResumeReviewDbConfig.Builder builder = ResumeReviewDbConfig.builder().url(URL).readReplica("postgresql://r1/db");
        ResumeReviewDbConfig config = builder.build();
        builder.readReplica("postgresql://r2/db").readReplica(new NoDataSource()).maximumPoolSize(3);
        assertThat(config.readReplicaUrls()).hasSize(1);
        assertThat(config.readReplicaDataSources()).isEmpty();
        assertThat(config.maximumPoolSize()).isEqualTo(10);
        assertThatThrownBy(() -> config.readReplicaUrls().add(DatabaseUrl.parse("postgresql://r3/db")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsTheMeterRegistryAndThePoolCustomizer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Consumer<HikariConfig> customizer = hikari -> hikari.setLeakDetectionThreshold(60_000);
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder().url(URL).meterRegistry(registry)
                .poolCustomizer(customizer).build();
        assertThat(config.meterRegistry()).isSameAs(registry);
        assertThat(config.poolCustomizer()).isSameAs(customizer);
        assertThat(config.toString()).contains("metrics=true");
    }

    /** The README's "Configuration" example, as printed there (up to connect, which needs that server). */
    @Test
    void theReadmeConfigurationExampleBuilds() {
        SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
        // --- as in README.md ---
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url("postgresql://app:secret@db:5432/ai_resume_review")   // or .dataSource(yourPool): the schema check still applies
                .schemaCheck(SchemaCheck.FAIL)                 // OFF, WARN (default), FAIL
                .maxFailedLogins(5).lockDuration(Duration.ofMinutes(30))
                .sessionLifetime(Duration.ofDays(7))
                .readReplica("postgresql://app:secret@replica-1:5432/ai_resume_review")   // or readReplica(aDataSource)
                .maxReplicaLag(Duration.ofSeconds(1))
                .poolCustomizer(hikari -> hikari.setLeakDetectionThreshold(60_000))      // every pool the library creates
                .meterRegistry(meterRegistry)                  // optional: Micrometer, see Metrics
                .build();
        // --- end of the README example ---
        assertThat(config.url().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/ai_resume_review");
        assertThat(config.readReplicaUrls()).hasSize(1);
        HikariConfig hikari = new HikariConfig();
        config.poolCustomizer().accept(hikari);
        assertThat(hikari.getLeakDetectionThreshold()).isEqualTo(60_000);
    }

    @Test
    void readsTheEnvironmentFromAMap() {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.fromEnvironment(Map.of(
                "DATABASE_URL", "postgresql://app:s3cret@primary:5432/ai_resume_review",
                "DATABASE_POOL_SIZE", " 25 ",
                "DATABASE_POOLER", " Transaction ",
                "DATABASE_READ_URLS", "postgresql://app:s3cret@replica-1:5432/ai_resume_review,"
                        + "jdbc:postgresql://replica-2:5432/ai_resume_review?user=app&password=s3cret"));
        assertThat(config.url().jdbcUrl()).isEqualTo("jdbc:postgresql://primary:5432/ai_resume_review");
        assertThat(config.url().password()).isEqualTo("s3cret");
        assertThat(config.maximumPoolSize()).isEqualTo(25);
        assertThat(config.pooler()).isEqualTo(Pooler.TRANSACTION);
        assertThat(config.readReplicaUrls()).extracting(DatabaseUrl::jdbcUrl).containsExactly(
                "jdbc:postgresql://replica-1:5432/ai_resume_review", "jdbc:postgresql://replica-2:5432/ai_resume_review");
        assertThat(config.readReplicaUrls()).extracting(DatabaseUrl::user, DatabaseUrl::password)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("app", "s3cret"));

        ResumeReviewDbConfig minimal = ResumeReviewDbConfig.fromEnvironment(Map.of("DATABASE_URL", "postgresql://app@h/db"));
        assertThat(minimal.maximumPoolSize()).isEqualTo(10);
        assertThat(minimal.readReplicaUrls()).isEmpty();
        assertThat(minimal.pooler()).isEqualTo(Pooler.NONE);
    }

    @Test
    void theEnvironmentCanBeCombinedWithOtherSettings() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .fromEnvironment(Map.of("DATABASE_URL", "postgresql://app@h/db"))
                .meterRegistry(registry)
                .schemaCheck(SchemaCheck.FAIL)
                .build();
        assertThat(config.meterRegistry()).isSameAs(registry);
        assertThat(config.schemaCheck()).isEqualTo(SchemaCheck.FAIL);
    }

    static Stream<Arguments> wrongEnvironments() {
        return Stream.of(
                Arguments.of(Map.of(), "DATABASE_URL", "DATABASE_URL is not set"),
                Arguments.of(Map.of("DATABASE_URL", "  "), "DATABASE_URL", "DATABASE_URL is not set"),
                Arguments.of(Map.of("DATABASE_URL", "mysql://app:s3cret@h/db"), "DATABASE_URL", "DATABASE_URL: database URL must start with"),
                Arguments.of(env("DATABASE_POOL_SIZE", "ten"), "DATABASE_POOL_SIZE", "DATABASE_POOL_SIZE must be a whole number between 1 and 500, was 'ten'"),
                Arguments.of(env("DATABASE_POOL_SIZE", "0"), "DATABASE_POOL_SIZE", "DATABASE_POOL_SIZE must be between 1 and 500, was 0"),
                Arguments.of(env("DATABASE_POOLER", "pgbouncer"), "DATABASE_POOLER",
                        "DATABASE_POOLER must be none, session or transaction (the PgBouncer pool_mode in front of the database), was 'pgbouncer'"),
                Arguments.of(env("DATABASE_READ_URLS", "postgresql://app:s3cret@r1/db,,postgresql://r3/db"), "DATABASE_READ_URLS",
                        "DATABASE_READ_URLS entry 2 of 3 is empty"),
                Arguments.of(env("DATABASE_READ_URLS", "postgresql://r1/db,http://app:s3cret@r2/db"), "DATABASE_READ_URLS",
                        "DATABASE_READ_URLS entry 2: database URL must start with"));
    }

    private static Map<String, String> env(String name, String value) {
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", "postgresql://app:s3cret@h/db"));
        env.put(name, value);
        return env;
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("wrongEnvironments")
    void eachWrongVariableFailsNamingTheVariableNeverThePassword(Map<String, String> environment, String variable,
                                                                 String message) {
        assertThatThrownBy(() -> ResumeReviewDbConfig.fromEnvironment(environment))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo(variable))
                .hasMessageContaining(message)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void fromEnvironmentWithoutArgumentsReadsTheProcessEnvironment() {
        // The JVM running the tests has no DATABASE_URL unless a developer exported one; both outcomes are checked.
        String url = System.getenv("DATABASE_URL");
        if (url == null || url.isBlank()) {
            assertThatThrownBy(ResumeReviewDbConfig::fromEnvironment).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("DATABASE_URL is not set");
        } else {
            assertThat(ResumeReviewDbConfig.fromEnvironment().url()).isEqualTo(ResumeReviewDbConfig.fromEnvironment(System.getenv()).url());
        }
    }

    @Test
    void theRootExceptionIsNeverThrownAsItself() {
        assertThat(java.lang.reflect.Modifier.isAbstract(ResumeReviewDbException.class.getModifiers())).isTrue();
        assertThat(List.of(new ConfigurationException("x", "x bad"), new DatabaseClosedException()))
                .allSatisfy(e -> assertThat(e).isInstanceOf(ResumeReviewDbException.class));
    }

    /** A DataSource that is never asked for a connection in these tests. */
    private static final class NoDataSource implements DataSource {
        @Override public Connection getConnection() { throw new AssertionError("no connection expected"); }
        @Override public Connection getConnection(String u, String p) { throw new AssertionError("no connection expected"); }
        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() { return Logger.getGlobal(); }
        @Override public <T> T unwrap(Class<T> type) { throw new UnsupportedOperationException(); }
        @Override public boolean isWrapperFor(Class<?> type) { return false; }
    }

    @Test
    void readReplicaUrlsInTheEnvironmentMayListHostsThemselves() {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.fromEnvironment(java.util.Map.of(
                "DATABASE_URL", "postgresql://app:pw@db-1:5432,db-2:5432/ai_resume_review",
                "DATABASE_READ_URLS", "postgresql://app:pw@r1:5432,r2:5432/ai_resume_review,jdbc:postgresql://r3/ai_resume_review"));
        assertThat(config.url().hosts()).containsExactly("db-1:5432", "db-2:5432");
        assertThat(config.readReplicaUrls()).extracting(DatabaseUrl::jdbcUrl).containsExactly(
                "jdbc:postgresql://r1:5432,r2:5432/ai_resume_review", "jdbc:postgresql://r3/ai_resume_review");
    }
}
