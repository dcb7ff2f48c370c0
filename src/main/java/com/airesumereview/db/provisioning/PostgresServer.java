package com.airesumereview.db.provisioning;

import com.airesumereview.db.DatabaseUrl;

/** A running PostgreSQL server on which the provisioner may create and drop its own databases. */
interface PostgresServer extends AutoCloseable {

    DatabaseSource source();

    /** The maintenance database ({@code postgres}) with credentials allowed to CREATE DATABASE. */
    DatabaseUrl adminUrl();

    /** One line for logs: where the server is; never a password. */
    String description();

    /** Stops the server if the provisioner started it; a shared server is left running. */
    @Override
    void close();
}
