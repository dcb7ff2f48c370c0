package com.airesumereview.db.cli;

import com.airesumereview.db.DatabaseUrl;
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
}
