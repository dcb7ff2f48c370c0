package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The latency and pooler benchmarks' settings: a mistyped one fails naming the property, before any fork runs. */
class BenchSettingsTest {

    @Test
    void readsAddedLatencyInMillisecondsOrMicroseconds() {
        assertThat(LatencyBenchmarkTest.roundTripMs("1ms")).isEqualTo(1.0);
        assertThat(LatencyBenchmarkTest.roundTripMs("0.5ms")).isEqualTo(0.5);
        assertThat(LatencyBenchmarkTest.roundTripMs("500us")).isEqualTo(0.5);
        assertThat(LatencyBenchmarkTest.roundTripMs("2")).isEqualTo(2.0);
    }

    @Test
    void rejectsLatencyWithoutANumberNamingTheProperty() {
        assertThatThrownBy(() -> LatencyBenchmarkTest.roundTripMs("fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bench.latency").hasMessageContaining("1ms").hasMessageContaining("fast");
    }

    @Test
    void poolerModesAreNamedAsTheDocsSay() {
        assertThat(java.util.Arrays.stream(PoolerMode.values()).map(PoolerMode::property))
                .containsExactly("direct", "no-server-prepares", "pgbouncer-transaction");
    }

    @Test
    void rejectsUnknownPoolerModeNamingThePropertyAndTheChoices() {
        String before = System.getProperty(PoolerMode.PROPERTY);
        System.setProperty(PoolerMode.PROPERTY, "pgbouncer");
        try {
            assertThatThrownBy(PoolerMode::fromProperty)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bench.pooler").hasMessageContaining("pgbouncer-transaction")
                    .hasMessageContaining("got pgbouncer");
        } finally {
            if (before == null) {
                System.clearProperty(PoolerMode.PROPERTY);
            } else {
                System.setProperty(PoolerMode.PROPERTY, before);
            }
        }
    }
}
