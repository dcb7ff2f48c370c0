package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.SchemaSnapshot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link SecretsTest} runs against servers that trust every connection, where a password in the URL is never
 * sent. Here the password really travels: a dedicated embedded PostgreSQL whose {@code pg_hba.conf} (written by
 * this test) demands {@code scram-sha-256} for the test role, which has a random password. The library and the
 * tools run in a separate JVM with SLF4J at TRACE and java.util.logging (the PostgreSQL driver's logger) at ALL;
 * the password must appear nowhere in that JVM's output, nor the wrong password of the refused attempts.
 */
@Tag("slow")
class PasswordAuthenticationSecretsTest {
    private static final String ROLE = "rrdb_secret_app";
    private static final String DATABASE = "secrets";

    @Test
    void aPasswordThatReallyAuthenticatesIsNeverLoggedAtAnyLevel(@TempDir Path dir) throws Exception {
        String password = "pw-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12)) + "-Zq";
        String wrong = "wrong-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path hba = dir.resolve("pg_hba.conf");
        // The superuser keeps trust for set-up; every other role must prove its password with SCRAM.
        Files.writeString(hba, String.join("\n",
                "host all postgres 127.0.0.1/32 trust",
                "host all postgres ::1/128 trust",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256", ""));
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pgdata"))
                .setPort(port).setPGStartupWait(Duration.ofSeconds(120))
                .setServerConfig("timezone", "UTC")
                .setServerConfig("hba_file", hba.toString())
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start()) {
            String admin = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            String serverVersion;
            try (Connection c = DriverManager.getConnection(admin, "postgres", null); Statement s = c.createStatement()) {
                serverVersion = ReliabilityFigures.serverVersion(c);
                s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'");
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
                assertThat(one(s, "SELECT substr(rolpassword, 1, 14) FROM pg_authid WHERE rolname = '" + ROLE + "'"))
                        .as("stored verifier").isEqualTo("SCRAM-SHA-256$");
                assertThat(one(s, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"
                        + " WHERE 'all' = ANY(user_name)")).as("authentication of every role but postgres")
                        .isEqualTo("scram-sha-256");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
            // The server really asks: no password and a wrong one are refused.
            assertThatThrownBy(() -> DriverManager.getConnection(url, ROLE, null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, ROLE, wrong).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            PGSimpleDataSource asRole = new PGSimpleDataSource();
            asRole.setURL(url);
            asRole.setUser(ROLE);
            asRole.setPassword(password);
            SchemaSnapshot.bundled().applyTo(asRole);

            Run run = scenario(dir, "127.0.0.1:" + port, password, wrong);
            String output = run.output();
            Files.createDirectories(ReliabilityFigures.directory());
            Files.writeString(ReliabilityFigures.directory().resolve("password-authentication-scenario.log"), output);
            long steps = output.lines().filter(l -> l.startsWith("SCENARIO OK")).count();
            System.out.printf("[reliability] secrets with scram-sha-256: %s, exit %d, %d steps ok, %d lines of output"
                            + " (TRACE %d, DEBUG %d, driver FINE..FINEST %d); password found %d times, wrong password"
                            + " %d times%n", serverVersion, run.exit(), steps, output.lines().count(),
                    count(output, " TRACE "), count(output, " DEBUG "), count(output, "FINE"), count(output, password),
                    count(output, wrong));
            output.lines().filter(l -> l.startsWith("SCENARIO")).forEach(l -> System.out.println("[reliability]   " + l));

            assertThat(run.exit()).as("scenario exit code; output in target/reliability").isZero();
            assertThat(output).contains("SCENARIO OK library libpq: authenticated as " + ROLE)
                    .contains("SCENARIO OK library jdbc: authenticated as " + ROLE).contains("SCENARIO DONE");
            // The capture saw every level, so "not found" means something.
            assertThat(output).as("SLF4J at TRACE").contains("TRACE com.airesumereview.db.scenario - capture check");
            assertThat(output).as("java.util.logging at FINEST").contains("FINEST: capture check: driver FINEST on");
            assertThat(output).as("DEBUG lines of the pool").contains("DEBUG com.zaxxer.hikari");
            assertThat(output).as("the driver's own lines at FINE or finer").containsPattern("(FINE|FINER|FINEST): ");
            assertThat(count(output, password)).as("occurrences of the password in all output").isZero();
            assertThat(count(output, wrong)).as("occurrences of the wrong password in all output").isZero();
            ReliabilityFigures.record("secrets.password_authentication", String.format("scram-sha-256 on a server"
                            + " the test configures; library (both URL forms) and verify, snapshot, audit in a JVM"
                            + " logging at TRACE / ALL: %d steps ok, %d lines of output, password found 0 times",
                    steps, output.lines().count()), null, serverVersion);
        }
    }

    private record Run(int exit, String output) {
    }

    /** Runs {@link PasswordAuthenticationScenario} in a new JVM with every logger at its most verbose level. */
    private static Run scenario(Path dir, String hostPort, String password, String wrong) throws Exception {
        Path jul = dir.resolve("logging.properties");
        Files.writeString(jul, String.join("\n", "handlers=java.util.logging.ConsoleHandler", ".level=ALL",
                "org.postgresql.level=ALL", "java.util.logging.ConsoleHandler.level=ALL", ""));
        Path out = dir.resolve("scenario.out");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-Dorg.slf4j.simpleLogger.log.com.airesumereview=trace",
                "-Dorg.slf4j.simpleLogger.logFile=System.out",
                "-Djava.util.logging.config.file=" + jul,
                PasswordAuthenticationScenario.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.put("SCENARIO_HOST_PORT", hostPort);
        env.put("SCENARIO_DATABASE", DATABASE);
        env.put("SCENARIO_USER", ROLE);
        env.put("SCENARIO_PASSWORD", password);
        env.put("SCENARIO_WRONG_PASSWORD", wrong);
        env.put("SCENARIO_DIR", dir.toString());
        env.put("PGPASSWORD", password);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("scenario did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
