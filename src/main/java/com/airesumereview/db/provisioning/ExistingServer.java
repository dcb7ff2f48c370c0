package com.airesumereview.db.provisioning;

import com.airesumereview.db.DatabaseUrl;

/** A server someone else runs; only the databases the provisioner creates are touched. */
final class ExistingServer implements PostgresServer {
    private final DatabaseUrl adminUrl;
    private final String origin;

    ExistingServer(DatabaseUrl adminUrl, String origin) {
        this.adminUrl = adminUrl;
        this.origin = origin;
    }

    @Override
    public DatabaseSource source() {
        return DatabaseSource.SERVER;
    }

    @Override
    public DatabaseUrl adminUrl() {
        return adminUrl;
    }

    @Override
    public String description() {
        return "existing server " + adminUrl + " (from " + origin + ")";
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
