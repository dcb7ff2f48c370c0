package com.airesumereview.db.provisioning;

import java.util.Locale;

/**
 * Which role the library connects as in a provisioned snapshot database.
 *
 * <p>{@link #OWNER} (the default) connects as the user that created the database. {@link #LEAST_PRIVILEGE}
 * connects as a login role the provisioner creates once per run ({@code rrdb_app_<random>}, dropped on close)
 * that holds only what a service's runtime user needs: {@code USAGE} on schema {@code public},
 * {@code SELECT, INSERT, UPDATE, DELETE} on its tables and {@code EXECUTE} on its functions. It owns nothing
 * and may create nothing (no {@code CREATE} on the schema or the database, no temporary tables), so a test
 * suite that passes in this mode proves the library issues no DDL.
 *
 * <p>Chosen by the system property {@value #PROPERTY} or the environment variable {@value #ENV}
 * ({@code owner} or {@code least-privilege}); the property wins:
 * <pre>{@code
 * mvn -B -q surefire:test -Dtest='com.airesumereview.db.repository.*Test' -Dresume-review-db.test-role=least-privilege
 * }</pre>
 */
public enum TestRole {
    /** The database's owner: may do anything in it. */
    OWNER,
    /** A role with row privileges only, created per run. */
    LEAST_PRIVILEGE;

    /** System property choosing the role ({@code owner} or {@code least-privilege}). */
    public static final String PROPERTY = "resume-review-db.test-role";
    /** Environment variable equivalent of {@link #PROPERTY}. */
    public static final String ENV = "RESUME_REVIEW_DB_TEST_ROLE";

    /**
     * The role chosen by {@value #PROPERTY} / {@value #ENV}; {@link #OWNER} when neither is set.
     *
     * @return the chosen role
     * @throws ProvisioningException when the value is neither {@code owner} nor {@code least-privilege}
     */
    public static TestRole fromSettings() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            value = System.getenv(ENV);
        }
        return parse(value);
    }

    /**
     * {@code owner} or {@code least-privilege} (case-insensitive; null or blank: owner).
     *
     * @param value the setting's value; may be null
     * @return the role it names
     * @throws ProvisioningException when it names neither role
     */
    public static TestRole parse(String value) {
        if (value == null || value.isBlank()) {
            return OWNER;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("owner")) {
            return OWNER;
        }
        if (v.equals("least-privilege") || v.equals("least_privilege")) {
            return LEAST_PRIVILEGE;
        }
        throw new ProvisioningException(PROPERTY + " (or " + ENV + ") is '" + value
                + "'; expected owner or least-privilege");
    }
}
