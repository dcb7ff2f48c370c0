package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;

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
 * What a quiet service pays per call on the pools the library creates: HikariCP checks a connection that sat idle
 * longer than 500 ms with a validation round trip ({@code Connection.isValid}) before handing it out. Its
 * background keepalive does not count as use, so it does not spare that check; only HikariCP's JVM-wide
 * {@code com.zaxxer.hikari.aliveBypassWindowMs} system property moves the window, which a library must not set
 * for its host. The figures here are counted, not assumed.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class IdleCheckoutTest {

    @Test
    void callsOneSecondApartEachPayOneValidationRoundTripCallsCloseTogetherNone(ProvisionedDatabase database)
            throws InterruptedException {
        AtomicInteger validations = new AtomicInteger();
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url(database.url())
                .maximumPoolSize(1)
                .schemaCheck(SchemaCheck.OFF)
                .poolCustomizer(h -> h.setDataSource(counting(h.getJdbcUrl(), h.getUsername(), validations)))
                .build();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config)) {
            db.schemaMigrations().list();
            validations.set(0);
            for (int i = 0; i < 3; i++) {
                Thread.sleep(Duration.ofMillis(1_000).toMillis());
                db.schemaMigrations().list();
            }
            int apart = validations.getAndSet(0);
            for (int i = 0; i < 3; i++) {
                Thread.sleep(50);
                db.schemaMigrations().list();
            }
            int closeTogether = validations.get();
            assertThat(apart).as("validation round trips of 3 calls 1 s apart").isEqualTo(3);
            assertThat(closeTogether).as("validation round trips of 3 calls 50 ms apart").isZero();
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
