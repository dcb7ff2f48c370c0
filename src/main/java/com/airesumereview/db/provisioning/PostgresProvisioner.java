package com.airesumereview.db.provisioning;

import com.airesumereview.db.provisioning.internal.QuietTestLogs;
import com.airesumereview.db.DatabaseUrl;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests and tools a fresh, empty PostgreSQL 15 database, from the first source that works:
 * <ol>
 *   <li>an existing server named by {@value #SERVER_URL_ENV} (JDBC or {@code postgresql://} URL of a
 *       database on that server, with a user allowed to {@code CREATE DATABASE});</li>
 *   <li>Testcontainers ({@code postgres:15}) when a Docker engine answers;</li>
 *   <li>embedded PostgreSQL 15 from Maven Central.</li>
 * </ol>
 * {@value #SOURCE_ENV} ({@code auto}, {@code server}, {@code container}, {@code embedded}) forces one
 * source. Both settings may also be given as system properties {@value #SERVER_URL_PROPERTY} and
 * {@value #SOURCE_PROPERTY}, which win over the environment.
 *
 * <p>Every database it hands out has a unique name ({@code rrdb_...}) and is dropped on close; it never
 * touches any other database on the server.
 * <pre>{@code
 * try (PostgresProvisioner pg = PostgresProvisioner.start();
 *      ProvisionedDatabase db = pg.createSnapshotDatabase()) {
 *     DataSource ds = db.dataSource();   // production structure, built from schema/
 * }
 * }</pre>
 */
public final class PostgresProvisioner implements AutoCloseable {
    static {
        // Before embedded PostgreSQL or Flyway create their first logger (see QuietTestLogs for the switch back).
        QuietTestLogs.apply();
    }

    /** Environment variable naming an existing server to provision databases on. */
    public static final String SERVER_URL_ENV = "RESUME_REVIEW_DB_SERVER_URL";
    /** Environment variable forcing one source: auto, server, container or embedded. */
    public static final String SOURCE_ENV = "RESUME_REVIEW_DB_SOURCE";
    /** System property equivalent of {@link #SERVER_URL_ENV}. */
    public static final String SERVER_URL_PROPERTY = "resume-review-db.server-url";
    /** System property equivalent of {@link #SOURCE_ENV}. */
    public static final String SOURCE_PROPERTY = "resume-review-db.source";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresProvisioner.class);
    private static final String NAME_PREFIX = "rrdb_";

    private final PostgresServer server;
    /** {@code SHOW server_version} of the server, checked against production's major version. */
    private final String serverVersion;
    private final SecureRandom random = new SecureRandom();
    private final Set<String> created = new LinkedHashSet<>();
    private final Map<String, String> templates = new LinkedHashMap<>();
    /** Templates already granted to {@link #appRole}. */
    private final Set<String> grantedTemplates = new LinkedHashSet<>();
    /** The least-privilege login role of this run, created on first use (see {@link TestRole}); null until then. */
    private String appRole;
    private String appPassword;
    private boolean closed;

    private PostgresProvisioner(PostgresServer server, String serverVersion) {
        this.server = server;
        this.serverVersion = serverVersion;
    }

    /**
     * Chooses the source as described in the class comment and logs which one it chose and why.
     *
     * @return a provisioner on a server running production's major version; close it to drop its databases
     * @throws ProvisioningException when the forced source is unknown or missing, or the server's version is wrong
     */
    public static PostgresProvisioner start() {
        TestDependencies.fromBuild().requireFlyway();
        String forced = setting(SOURCE_PROPERTY, SOURCE_ENV);
        String serverUrl = setting(SERVER_URL_PROPERTY, SERVER_URL_ENV);
        if (forced != null && !forced.isBlank() && !forced.equalsIgnoreCase("auto")) {
            DatabaseSource source;
            try {
                source = DatabaseSource.valueOf(forced.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ProvisioningException(SOURCE_ENV + " is '" + forced
                        + "'; expected one of auto, server, container, embedded");
            }
            return start(source);
        }
        if (serverUrl != null && !serverUrl.isBlank()) {
            return checked(existing(serverUrl), SERVER_URL_ENV + " is set");
        }
        if (ContainerServer.dockerAnswers()) {
            return checked(ContainerServer.start(ServerVersion.expectedMajor()), "no " + SERVER_URL_ENV + ", Docker answers");
        }
        return checked(embedded(), "no " + SERVER_URL_ENV + ", no Docker engine");
    }

    /**
     * Uses exactly {@code source}; fails with a message naming what is missing.
     *
     * @param source the server given by {@value #SERVER_URL_ENV}, a Testcontainers container, or embedded PostgreSQL
     * @return a provisioner on a server running production's major version; close it to drop its databases
     * @throws ProvisioningException when the source is not available or the server's version is wrong
     */
    public static PostgresProvisioner start(DatabaseSource source) {
        TestDependencies.fromBuild().requireFlyway();
        switch (source) {
            case SERVER: {
                String url = setting(SERVER_URL_PROPERTY, SERVER_URL_ENV);
                if (url == null || url.isBlank()) {
                    throw new ProvisioningException("source 'server' needs " + SERVER_URL_ENV
                            + ", e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
                }
                return checked(existing(url), "source forced to server");
            }
            case CONTAINER:
                if (!ContainerServer.dockerAnswers()) {
                    throw new ProvisioningException("source 'container' needs a Docker engine and"
                            + " org.testcontainers:postgresql on the classpath; neither answered");
                }
                return checked(ContainerServer.start(ServerVersion.expectedMajor()), "source forced to container");
            case EMBEDDED:
                return checked(embedded(), "source forced to embedded");
            default:
                throw new IllegalArgumentException(String.valueOf(source));
        }
    }

    /**
     * Provisions databases on the server at {@code adminUrl} (any database there; credentials included).
     *
     * @param adminUrl a database on the server, with a user allowed to {@code CREATE DATABASE}
     * @return a provisioner on that server; close it to drop the databases it created (the server stays)
     * @throws ProvisioningException when the server cannot be read or runs another major version
     */
    public static PostgresProvisioner onServer(DatabaseUrl adminUrl) {
        return checked(new ExistingServer(adminUrl, "caller"), "server given by caller");
    }

    private static PostgresServer embedded() {
        TestDependencies.fromBuild().requireEmbeddedPostgres();
        return EmbeddedServer.start();
    }

    /**
     * Checks that {@code server} runs production's major version (or the one {@value ServerVersion#MAJOR_ENV}
     * allows), stopping it if it is the wrong one, and logs which server was chosen and why.
     */
    private static PostgresProvisioner checked(PostgresServer server, String why) {
        String version;
        try {
            int versionNum = Integer.parseInt(show(server.adminUrl(), "server_version_num"));
            version = show(server.adminUrl(), "server_version");
            ServerVersion.check(server.source(), server.description(), versionNum, version,
                    ServerVersion.expectedMajor(), TestDependencies.fromBuild());
        } catch (RuntimeException e) {
            try {
                server.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return log(new PostgresProvisioner(server, version), why);
    }

    private static String show(DatabaseUrl url, String setting) {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new ProvisioningException("could not read " + setting + " on " + url + ": " + e.getMessage(), e);
        }
    }

    private static ExistingServer existing(String url) {
        return new ExistingServer(DatabaseUrl.parse(url), SERVER_URL_ENV);
    }

    private static PostgresProvisioner log(PostgresProvisioner p, String why) {
        LOG.info("PostgreSQL for tests and tools: {} ({})", p.description(), why);
        return p;
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(env);
    }

    /**
     * The source that was chosen.
     *
     * @return server, container or embedded
     */
    public DatabaseSource source() {
        return server.source();
    }

    /**
     * One line naming the server and its version; safe to log.
     *
     * @return the server's description and {@code SHOW server_version}, without credentials
     */
    public String description() {
        return server.description() + ", PostgreSQL " + serverVersion;
    }

    /**
     * Creates a fresh, empty database (no extension, no table).
     *
     * @return a database with a unique {@code rrdb_} name, owned by the provisioning user; dropped on close
     * @throws IllegalStateException when this provisioner is closed
     */
    public synchronized ProvisionedDatabase createDatabase() {
        return create(null);
    }

    /**
     * Creates a database holding the bundled production snapshot.
     *
     * @return a database with production's structure and no rows, connecting as the owner; dropped on close
     */
    public ProvisionedDatabase createSnapshotDatabase() {
        return createSnapshotDatabase(SchemaSnapshot.bundled());
    }

    /**
     * Creates a database holding the bundled snapshot whose {@link ProvisionedDatabase#dataSource()} connects as
     * {@code role}: the owner, or this run's least-privilege role (see {@link TestRole}).
     * {@link ProvisionedDatabase#ownerDataSource()} always connects as the owner.
     *
     * @param role whom {@link ProvisionedDatabase#dataSource()} connects as
     * @return a database with production's structure and no rows; dropped on close
     * @throws ProvisioningException when the least-privilege role cannot be created (the user lacks CREATEROLE)
     */
    public ProvisionedDatabase createSnapshotDatabase(TestRole role) {
        return createSnapshotDatabase(SchemaSnapshot.bundled(), role);
    }

    /**
     * Creates a database holding {@code snapshot}. The snapshot is applied once per provisioner into a
     * template database; every further call copies the template, which takes milliseconds.
     *
     * @param snapshot the schema to apply, e.g. {@link SchemaSnapshot#bundled()}
     * @return a database holding {@code snapshot}, connecting as the owner; dropped on close
     */
    public ProvisionedDatabase createSnapshotDatabase(SchemaSnapshot snapshot) {
        return createSnapshotDatabase(snapshot, TestRole.OWNER);
    }

    /**
     * Like {@link #createSnapshotDatabase(SchemaSnapshot)}, handing out {@code role}'s data source.
     *
     * @param snapshot the schema to apply, e.g. {@link SchemaSnapshot#bundled()}
     * @param role     whom {@link ProvisionedDatabase#dataSource()} connects as; not null
     * @return a database holding {@code snapshot}; dropped on close
     * @throws ProvisioningException when the least-privilege role cannot be created (the user lacks CREATEROLE)
     */
    public synchronized ProvisionedDatabase createSnapshotDatabase(SchemaSnapshot snapshot, TestRole role) {
        java.util.Objects.requireNonNull(role, "role");
        String template = templates.get(snapshot.location());
        if (template == null) {
            long start = System.nanoTime();
            ProvisionedDatabase tpl = create(null);
            try {
                tpl.applySnapshot(snapshot);
            } catch (RuntimeException e) {
                tpl.close();
                throw e;
            }
            // The template stays until close(); drop() ignores it.
            template = tpl.name();
            templates.put(snapshot.location(), template);
            LOG.debug("Schema snapshot {} applied to template {} in {} ms", snapshot, template,
                    (System.nanoTime() - start) / 1_000_000);
        }
        if (role == TestRole.OWNER) {
            return create(template);
        }
        grantToAppRole(template);
        ProvisionedDatabase db = create(template);
        // Database-level privileges are not copied from the template: PUBLIC may create temporary tables.
        execute(db.ownerUrl(), "REVOKE TEMPORARY ON DATABASE " + db.name() + " FROM PUBLIC");
        return db.withApplicationUrl(server.adminUrl().withDatabase(db.name()).withCredentials(appRole, appPassword));
    }

    /**
     * Creates this run's least-privilege role (once) and grants it, in {@code template}, exactly the row
     * privileges a service needs. Copies of the template inherit the grants (they live in the catalog of the
     * copied database); the role itself is cluster-wide, hence its unique name.
     */
    private void grantToAppRole(String template) {
        if (appRole == null) {
            String name = "rrdb_app_" + HexFormat.of().formatHex(bytes(6));
            String password = HexFormat.of().formatHex(bytes(24));
            try {
                admin("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "' NOSUPERUSER NOCREATEDB NOCREATEROLE"
                        + " NOINHERIT NOREPLICATION NOBYPASSRLS");
            } catch (ProvisioningException e) {
                throw new ProvisioningException("could not create the least-privilege test role on "
                        + server.description() + " (the provisioning user needs CREATEROLE), or set "
                        + TestRole.PROPERTY + "=owner", e);
            }
            appRole = name;
            appPassword = password;
            LOG.info("Least-privilege test role {} created ({}=least-privilege)", name, TestRole.PROPERTY);
        }
        if (grantedTemplates.add(template)) {
            execute(server.adminUrl().withDatabase(template),
                    "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                    "GRANT USAGE ON SCHEMA public TO " + appRole,
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + appRole,
                    "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO " + appRole);
        }
    }

    /**
     * The least-privilege role of this run, if one was created (see {@link TestRole}).
     *
     * @return the role's name ({@code rrdb_app_...}); empty until a database was asked for with that role
     */
    public synchronized java.util.Optional<String> leastPrivilegeRole() {
        return java.util.Optional.ofNullable(appRole);
    }

    private ProvisionedDatabase create(String template) {
        ensureOpen();
        String name = NAME_PREFIX + HexFormat.of().formatHex(bytes(6));
        String sql = "CREATE DATABASE " + name + (template != null ? " TEMPLATE " + template : "") + " ENCODING 'UTF8'"
                + (template == null ? " TEMPLATE template0" : "");
        admin(sql);
        created.add(name);
        DatabaseUrl url = server.adminUrl().withDatabase(name);
        return new ProvisionedDatabase(this, name, url, server.source(), null);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    synchronized void drop(String name) {
        if (templates.containsValue(name) || closed || !created.remove(name)) {
            return;
        }
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) {
        execute(server.adminUrl(), sql);
    }

    /** Runs {@code sql} in order on one connection to {@code url}, with the admin credentials. */
    private void execute(DatabaseUrl admin, String... statements) {
        Properties props = new Properties();
        if (admin.user() != null) {
            props.setProperty("user", admin.user());
        }
        if (admin.password() != null) {
            props.setProperty("password", admin.password());
        }
        String sql = null;
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), props); Statement s = c.createStatement()) {
            for (String one : statements) {
                sql = one;
                s.execute(one);
            }
        } catch (SQLException e) {
            String shown = sql == null ? "connecting" : "'" + sql.replaceAll("PASSWORD '[^']*'", "PASSWORD '***'") + "'";
            throw new ProvisioningException("on " + server.description() + ": " + shown + " failed: " + e.getMessage()
                    + " (the user needs the CREATEDB privilege)", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("provisioner is closed");
        }
    }

    /** Drops every database this provisioner created (and its least-privilege role) and stops the server if it started one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            for (String name : created) {
                try {
                    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (ProvisioningException e) {
                    LOG.warn("could not drop {}: {}", name, e.getMessage());
                }
            }
            created.clear();
            if (appRole != null) {
                try {
                    admin("DROP ROLE IF EXISTS " + appRole);
                } catch (ProvisioningException e) {
                    LOG.warn("could not drop role {}: {}", appRole, e.getMessage());
                }
            }
        } finally {
            closed = true;
            server.close();
        }
    }
}
