package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** The seam for a service's own HikariCP pool, on a real server. */
@ExtendWith(SnapshotDatabaseExtension.class)
class FailoverConnectionsTest {

    private static HikariConfig config(DatabaseUrl url) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(url.jdbcUrl());
        h.setUsername(url.user());
        h.setPassword(url.password());
        h.setMaximumPoolSize(2);
        h.addDataSourceProperty("ApplicationName", "own-pool");
        return h;
    }

    @Test
    void aServicesOwnPoolWritesThroughTheLocatorKeepsItsDriverPropertiesAndShowsItsTopology(ProvisionedDatabase database)
            throws Exception {
        HikariConfig h = config(database.url());
        FailoverConnections failover = FailoverConnections.install(h, List.of(), null);
        assertThat(failover.installed()).isTrue();
        assertThat(h.getJdbcUrl()).as("the URL moved to the locator").isNull();
        try (HikariDataSource pool = new HikariDataSource(h); ResumeReviewDb db = ResumeReviewDb.create(pool)) {
            failover.evictOnSwitch(pool);
            db.users().create(TestUsers.newUser());
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('application_name')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("own-pool");
            }
            Topology topology = db.health(Duration.ofSeconds(2)).topology();
            assertThat(topology.primary()).as(topology.toString()).contains(database.url().hosts().get(0));
            assertThat(topology.hosts()).hasSize(1);
            db.close();
            // Closing the library leaves the caller's pool and its locator working.
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        } finally {
            failover.close();
        }
    }

    @Test
    void aStartedPoolIsRefusedNamingThePool(ProvisionedDatabase database) throws Exception {
        try (HikariDataSource pool = new HikariDataSource(config(database.url()))) {
            pool.getConnection().close();
            assertThatThrownBy(() -> FailoverConnections.install(pool, List.of(), null))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("has started")
                    .satisfies(e -> assertThat(((ConfigurationException) e).setting()).isEqualTo("pool"));
        }
    }

    @Test
    void aPoolWithItsOwnDataSourceIsLeftAlone(ProvisionedDatabase database) {
        HikariConfig h = new HikariConfig();
        PGSimpleDataSource own = new PGSimpleDataSource();
        own.setURL(database.url().jdbcUrl());
        h.setDataSource(own);
        FailoverConnections failover = FailoverConnections.install(h, List.of(), null);
        assertThat(failover.installed()).isFalse();
        assertThat(h.getDataSource()).isSameAs(own);
        failover.close();
    }
}
