package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What a quiet service pays per call on the pools the library creates. HikariCP on its own checks a connection that
 * sat idle longer than 500 ms with a validation round trip ({@code Connection.isValid}) before handing it out; the
 * library's pools answer that check without a round trip while the connection has been in contact with the server
 * within {@code validationBypassWindow}, and the background keepalive checks idle connections instead. The figures
 * are counted at the driver's connection, under every layer of the pool, not assumed.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class IdleCheckoutTest {

    @Test
    void callsOneSecondApartPayNoValidationRoundTrip(ProvisionedDatabase database) throws InterruptedException {
        assertThat(validationsOfCallsApart(database, ResumeReviewDbConfig.DEFAULT_VALIDATION_BYPASS_WINDOW,
                Duration.ofMillis(1_000))).as("validation round trips of 3 calls 1 s apart").isZero();
    }

    @Test
    void withoutTheWindowEachCallOneSecondApartPaysHikarisValidationRoundTrip(ProvisionedDatabase database)
            throws InterruptedException {
        assertThat(validationsOfCallsApart(database, Duration.ZERO, Duration.ofMillis(1_000)))
                .as("validation round trips of 3 calls 1 s apart with validationBypassWindow 0").isEqualTo(3);
        assertThat(validationsOfCallsApart(database, Duration.ZERO, Duration.ofMillis(50)))
                .as("validation round trips of 3 calls 50 ms apart (HikariCP's own 500 ms window)").isZero();
    }

    @Test
    void aConnectionIdleLongerThanTheWindowIsValidatedForReal(ProvisionedDatabase database)
            throws InterruptedException {
        assertThat(validationsOfCallsApart(database, Duration.ofMillis(600), Duration.ofMillis(1_000)))
                .as("validation round trips of 3 calls 1 s apart with a 600 ms window").isEqualTo(3);
    }

    /**
     * After the server ended every pooled connection while they sat idle (a restart, a failover, an operator's
     * {@code pg_terminate_backend}), the first call fails on a connection lent without a check; every other
     * connection is then validated before it is lent, so the next call succeeds. HikariCP's own check (window 0)
     * spares even that first call, at one round trip per quiet call.
     */
    @Test
    void afterTheServerEndedIdleConnectionsOneCallFailsAndTheNextSucceeds(ProvisionedDatabase database)
            throws InterruptedException {
        try (ResumeReviewDb db = ResumeReviewDb.connect(twoConnections(database, "idle-ended-bypass",
                ResumeReviewDbConfig.DEFAULT_VALIDATION_BYPASS_WINDOW))) {
            db.schemaMigrations().list();
            endConnectionsOf(database, "idle-ended-bypass");
            assertThatThrownBy(() -> db.schemaMigrations().list()).as("the first call after the connections ended")
                    .isInstanceOf(DatabaseUnavailableException.class);
            assertThatCode(() -> db.schemaMigrations().list()).as("the next call").doesNotThrowAnyException();
        }
        try (ResumeReviewDb db = ResumeReviewDb.connect(twoConnections(database, "idle-ended-hikari", Duration.ZERO))) {
            db.schemaMigrations().list();
            endConnectionsOf(database, "idle-ended-hikari");
            assertThatCode(() -> db.schemaMigrations().list()).as("the first call, HikariCP's check")
                    .doesNotThrowAnyException();
        }
    }

    private static ResumeReviewDbConfig twoConnections(ProvisionedDatabase database, String name, Duration window) {
        return ResumeReviewDbConfig.builder().url(database.url()).maximumPoolSize(2).minimumIdle(2)
                .applicationName(name).validationBypassWindow(window).schemaCheck(SchemaCheck.OFF).build();
    }

    /** Ends the pool's connections at the server, then waits past HikariCP's own 500 ms window. */
    private static void endConnectionsOf(ProvisionedDatabase database, String applicationName)
            throws InterruptedException {
        Thread.sleep(100);   // both connections back in the pool
        try (Connection admin = java.sql.DriverManager.getConnection(database.url().jdbcUrl(),
                database.url().user(), database.url().password());
             java.sql.PreparedStatement ps = admin.prepareStatement("select count(*) filter (where"
                     + " pg_terminate_backend(pid, 5000)) from pg_stat_activity where application_name = ?")) {
            ps.setString(1, applicationName);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("connections of %s ended", applicationName).isEqualTo(2);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        Thread.sleep(600);
    }

    /** Validation round trips of 3 calls {@code apart} from each other, after a first call. */
    private static int validationsOfCallsApart(ProvisionedDatabase database, Duration window, Duration apart)
            throws InterruptedException {
        AtomicInteger validations = new AtomicInteger();
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url(database.url())
                .maximumPoolSize(1)
                .validationBypassWindow(window)
                .schemaCheck(SchemaCheck.OFF)
                .poolCustomizer(h -> h.setDataSource(counting(h.getJdbcUrl(), h.getUsername(), validations)))
                .build();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config)) {
            db.schemaMigrations().list();
            validations.set(0);
            for (int i = 0; i < 3; i++) {
                Thread.sleep(apart.toMillis());
                db.schemaMigrations().list();
            }
            return validations.get();
        }
    }

    private static DataSource counting(String url, String user, AtomicInteger validations) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(url);
        if (user != null) {
            pg.setUser(user);
        }
        return (DataSource) Proxy.newProxyInstance(IdleCheckoutTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(pg, method, args);
                    if (result instanceof Connection c) {
                        return Proxy.newProxyInstance(IdleCheckoutTest.class.getClassLoader(),
                                new Class<?>[] {Connection.class}, (p, m, a) -> {
                                    if (m.getName().equals("isValid")) {
                                        validations.incrementAndGet();
                                    }
                                    return invoke(c, m, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
