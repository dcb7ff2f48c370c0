package com.airesumereview.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.airesumereview.db.Pooler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one decision of what a pool's connections carry, per pooler (the library's pools and a Boot pool use it). */
class ConnectionSettingsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void withoutAPoolerTheTimeoutIsAStartupParameterAndStatementsMayBePrepared() {
        ConnectionSettings s = ConnectionSettings.of(Pooler.NONE, TIMEOUT, "svc");

        assertThat(s.dataSourceProperties()).containsExactly(entry("logServerErrorDetail", "false"),
                entry("options", "-c statement_timeout=30000"), entry("ApplicationName", "svc"));
        assertThat(s.initSql()).isNull();
    }

    @Test
    void behindASessionPoolerTheTimeoutIsSetPerConnectionNotAtStartup() {
        ConnectionSettings s = ConnectionSettings.of(Pooler.SESSION, TIMEOUT, "svc");

        assertThat(s.dataSourceProperties()).containsExactly(entry("logServerErrorDetail", "false"),
                entry("ApplicationName", "svc"));
        assertThat(s.initSql()).isEqualTo("SET statement_timeout = 30000");
    }

    @Test
    void behindATransactionPoolerNothingLivesInTheSession() {
        ConnectionSettings s = ConnectionSettings.of(Pooler.TRANSACTION, TIMEOUT, "svc");

        assertThat(s.dataSourceProperties()).containsExactly(entry("logServerErrorDetail", "false"),
                entry("prepareThreshold", "0"), entry("ApplicationName", "svc"));
        assertThat(s.initSql()).isNull();
    }

    @Test
    void noTimeoutMeansNoTimeoutSettingInAnyMode() {
        for (Duration none : new Duration[] {null, Duration.ZERO, Duration.ofSeconds(-1)}) {
            assertThat(ConnectionSettings.of(Pooler.NONE, none, "svc").dataSourceProperties()).doesNotContainKey("options");
            assertThat(ConnectionSettings.of(Pooler.SESSION, none, "svc").initSql()).isNull();
        }
        assertThat(ConnectionSettings.of(Pooler.NONE, TIMEOUT, null).dataSourceProperties())
                .doesNotContainKey("ApplicationName");
    }
}
