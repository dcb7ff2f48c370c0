package com.airesumereview.db.cli;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.provisioning.DatabaseSource;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import java.util.Map;
import picocli.CommandLine.Option;

/** The connection options every database command shares (a picocli mixin). */
final class ConnectionOptions {
    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "Database: postgresql://user:password@host:5432/db or jdbc:postgresql://host:5432/db?user=..."
                    + " (a read-only user is enough).")
    private String url;

    @Option(names = "--user", paramLabel = "USER", description = "User name; overrides the one in --url.")
    private String user;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "Password; overrides the one in --url. Prefer the environment variable PGPASSWORD (used"
                    + " when neither gives one): command lines are visible to other users. Never printed.")
    private String password;

    /** The address with the password from --password, else the URL, else PGPASSWORD (as libpq orders them). */
    DatabaseUrl resolve(Map<String, String> environment) {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        String effectivePassword = password != null ? password
                : parsed.password() != null ? parsed.password() : environment.get(CommandSecrets.PASSWORD_ENV);
        return parsed.withCredentials(user, effectivePassword);
    }

    /** A URL option of a command without --user/--password: its own password, else PGPASSWORD (as libpq does). */
    static DatabaseUrl withEnvironmentPassword(String value, Map<String, String> environment) {
        DatabaseUrl parsed = DatabaseUrl.parse(value);
        return parsed.password() != null ? parsed
                : parsed.withCredentials(null, environment.get(CommandSecrets.PASSWORD_ENV));
    }

    /** Where a command builds its throwaway databases: the server given (null: an embedded PostgreSQL 15). */
    static PostgresProvisioner throwawayServer(String server, Map<String, String> environment) {
        return server == null ? PostgresProvisioner.start(DatabaseSource.EMBEDDED)
                : PostgresProvisioner.onServer(withEnvironmentPassword(server, environment));
    }
}
