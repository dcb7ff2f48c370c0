package com.airesumereview.db.replication;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.provisioning.TestRole;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundled snapshot on a {@link ReplicaPair}'s primary (through the project's provisioner, so with Flyway),
 * replayed on its replica, with a HikariCP pool on each side as {@code role}.
 */
public final class ReplicatedSnapshot implements AutoCloseable {
    public final ReplicaPair pair;
    final PostgresProvisioner provisioner;
    final ProvisionedDatabase database;
    public final DatabaseUrl primaryUrl;
    public final DatabaseUrl replicaUrl;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private ReplicatedSnapshot(ReplicaPair pair, TestRole role) {
        this.pair = pair;
        this.provisioner = PostgresProvisioner.onServer(pair.primaryAdminUrl());
        this.database = provisioner.createSnapshotDatabase(role);
        this.primaryUrl = database.url();
        this.replicaUrl = pair.onReplica(database.url());
        pair.awaitReplayed();
    }

    public static ReplicatedSnapshot start(TestRole role) {
        return start(role, ReplicaPair.Mode.COMMIT_OFF);
    }

    /** Like {@link #start(TestRole)}, commits waiting as {@code mode} says ({@link ReplicaPair#start(ReplicaPair.Mode)}). */
    public static ReplicatedSnapshot start(TestRole role, ReplicaPair.Mode mode) {
        ReplicaPair pair = ReplicaPair.start(mode);
        try {
            return new ReplicatedSnapshot(pair, role);
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    public HikariDataSource primaryPool() {
        return pool(primaryUrl, "test-primary", 10);
    }

    public HikariDataSource replicaPool() {
        return pool(replicaUrl, "test-replica", 10);
    }

    public HikariDataSource pool(DatabaseUrl url, String name, int size) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setJdbcUrl(url.jdbcUrl());
        h.setUsername(url.user());
        h.setPassword(url.password());
        h.setMaximumPoolSize(size);
        h.setConnectionTimeout(1000);
        // the replica may be down when the pool starts (restart tests): do not fail construction
        h.setInitializationFailTimeout(-1);
        HikariDataSource ds = new HikariDataSource(h);
        pools.add(ds);
        return ds;
    }

    /** True when {@code c} is a session on the replica (in recovery). */
    public static boolean onReplica(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_is_in_recovery()"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** True when {@code c} sees the user {@code id}. */
    static boolean seesUser(Connection c, java.util.UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM users WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }

    @Override
    public void close() {
        for (HikariDataSource p : pools) {
            p.close();
        }
        try {
            database.close();
            provisioner.close();
        } finally {
            pair.close();
        }
    }
}
