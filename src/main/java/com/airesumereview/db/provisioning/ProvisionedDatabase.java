package com.airesumereview.db.provisioning;

import com.airesumereview.db.DatabaseUrl;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database created by {@link PostgresProvisioner}, dropped again by {@link #close()}.
 * Its {@link #dataSource()} opens a new connection per call (no pool), so the database can be
 * dropped or used as a template as soon as callers close their connections.
 */
public final class ProvisionedDatabase implements AutoCloseable {
    private final PostgresProvisioner owner;
    private final String name;
    private final DatabaseUrl url;
    private final DatabaseSource source;
    private final PGSimpleDataSource dataSource;

    ProvisionedDatabase(PostgresProvisioner owner, String name, DatabaseUrl url, DatabaseSource source) {
        this.owner = owner;
        this.name = name;
        this.url = url;
        this.source = source;
        this.dataSource = new PGSimpleDataSource();
        dataSource.setURL(url.jdbcUrl());
        if (url.user() != null) {
            dataSource.setUser(url.user());
        }
        if (url.password() != null) {
            dataSource.setPassword(url.password());
        }
        dataSource.setApplicationName("resume-review-db provisioning");
    }

    /** The database name, unique on its server. */
    public String name() {
        return name;
    }

    /** Address and credentials; {@code url().toString()} is safe to log. */
    public DatabaseUrl url() {
        return url;
    }

    /** The JDBC URL without credentials. */
    public String jdbcUrl() {
        return url.jdbcUrl();
    }

    /** Which source provided the server. */
    public DatabaseSource source() {
        return source;
    }

    /** An unpooled data source on this database. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Applies the bundled snapshot (schema/) with Flyway and returns the versions applied. */
    public java.util.List<String> applySnapshot() {
        return applySnapshot(SchemaSnapshot.bundled());
    }

    /** Applies {@code snapshot} with Flyway and returns the versions applied. */
    public java.util.List<String> applySnapshot(SchemaSnapshot snapshot) {
        return snapshot.applyTo(dataSource);
    }

    /** Drops the database (terminating any connection still open on it). */
    @Override
    public void close() {
        owner.drop(name);
    }

    @Override
    public String toString() {
        return name + " on " + source.name().toLowerCase(java.util.Locale.ROOT) + " (" + url.jdbcUrl() + ")";
    }
}
