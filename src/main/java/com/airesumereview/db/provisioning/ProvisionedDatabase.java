package com.airesumereview.db.provisioning;

import com.airesumereview.db.DatabaseUrl;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database created by {@link PostgresProvisioner}, dropped again by {@link #close()}.
 * Its {@link #dataSource()} opens a new connection per call (no pool), so the database can be
 * dropped or used as a template as soon as callers close their connections.
 *
 * <p>{@link #dataSource()} and {@link #url()} are what a test hands to the library: the owner's, or the
 * run's least-privilege role's when the database was created for {@link TestRole#LEAST_PRIVILEGE}.
 * {@link #ownerDataSource()} and {@link #ownerUrl()} always connect as the owner, for test set-up the
 * library itself never does (DDL, {@code ANALYZE}, triggers that provoke failures).
 */
public final class ProvisionedDatabase implements AutoCloseable {
    private final PostgresProvisioner owner;
    private final String name;
    private final DatabaseUrl url;
    private final DatabaseSource source;
    private final PGSimpleDataSource dataSource;
    /** The least-privilege role's address, or null when tests connect as the owner. */
    private final DatabaseUrl applicationUrl;
    private final PGSimpleDataSource applicationDataSource;

    ProvisionedDatabase(PostgresProvisioner owner, String name, DatabaseUrl url, DatabaseSource source,
            DatabaseUrl applicationUrl) {
        this.owner = owner;
        this.name = name;
        this.url = url;
        this.source = source;
        this.dataSource = unpooled(url);
        this.applicationUrl = applicationUrl;
        this.applicationDataSource = applicationUrl == null ? null : unpooled(applicationUrl);
    }

    private static PGSimpleDataSource unpooled(DatabaseUrl url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url.jdbcUrl());
        if (url.user() != null) {
            ds.setUser(url.user());
        }
        if (url.password() != null) {
            ds.setPassword(url.password());
        }
        ds.setApplicationName("resume-review-db provisioning");
        return ds;
    }

    /** The same database, handed out as {@code applicationUrl}'s role. */
    ProvisionedDatabase withApplicationUrl(DatabaseUrl applicationUrl) {
        return new ProvisionedDatabase(owner, name, url, source, applicationUrl);
    }

    /**
     * The database name, unique on its server.
     *
     * @return the name, never null
     */
    public String name() {
        return name;
    }

    /**
     * Address and credentials of {@link #dataSource()}'s role; {@code url().toString()} is safe to log.
     *
     * @return the URL of the role {@link #role()} names
     */
    public DatabaseUrl url() {
        return applicationUrl != null ? applicationUrl : url;
    }

    /**
     * Address and credentials of the database's owner.
     *
     * @return the owner's URL
     */
    public DatabaseUrl ownerUrl() {
        return url;
    }

    /**
     * The role tests connect as through {@link #dataSource()}.
     *
     * @return {@link TestRole#LEAST_PRIVILEGE} when a least-privilege role was asked for, else {@link TestRole#OWNER}
     */
    public TestRole role() {
        return applicationUrl != null ? TestRole.LEAST_PRIVILEGE : TestRole.OWNER;
    }

    /**
     * The JDBC URL without credentials.
     *
     * @return the owner's JDBC URL, credentials left out
     */
    public String jdbcUrl() {
        return url.jdbcUrl();
    }

    /**
     * Which source provided the server.
     *
     * @return the source, never null
     */
    public DatabaseSource source() {
        return source;
    }

    /**
     * An unpooled data source on this database for the code under test: the owner, or the least-privilege
     * role (see {@link #role()}).
     * @return a data source that opens a new connection on every call
     */
    public DataSource dataSource() {
        return applicationDataSource != null ? applicationDataSource : dataSource;
    }

    /**
     * An unpooled data source connecting as the database's owner, whatever {@link #role()} is.
     *
     * @return a data source that opens a new connection on every call
     */
    public DataSource ownerDataSource() {
        return dataSource;
    }

    /**
     * Applies the bundled snapshot (schema/) with Flyway and returns the versions applied.
     *
     * @return the Flyway versions applied, in order; empty when every one was applied before
     * @throws ProvisioningException when a migration fails
     */
    public java.util.List<String> applySnapshot() {
        return applySnapshot(SchemaSnapshot.bundled());
    }

    /**
     * Applies {@code snapshot} with Flyway and returns the versions applied.
     *
     * @param snapshot the migrations to apply, as the owner
     * @return the Flyway versions applied, in order; empty when every one was applied before
     * @throws ProvisioningException when a migration fails
     */
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
        return name + (applicationUrl != null ? " as " + applicationUrl.user() : "") + " on " + source.name().toLowerCase(java.util.Locale.ROOT) + " (" + url.jdbcUrl() + ")";
    }
}
