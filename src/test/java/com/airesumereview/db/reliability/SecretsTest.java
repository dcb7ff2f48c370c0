package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.cli.Main;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password given in the URL appears in no log line (SLF4J simple writes to {@code System.err}, captured here
 * along with {@code System.out}), no exception message or cause, and no tool output, whether the connection
 * succeeds or fails.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class SecretsTest {
    /** Unique per run, so a hit cannot be a coincidence; trust authentication ignores it. */
    private static final String PASSWORD = "pw-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8)) + "-Zq";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final List<String> checked = new ArrayList<>();
    private PrintStream originalErr;
    private PrintStream originalOut;

    @BeforeEach
    void captureConsole() {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(tee(originalErr), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(tee(originalOut), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreConsole() {
        System.setErr(originalErr);
        System.setOut(originalOut);
        String console = captured.toString(StandardCharsets.UTF_8);
        assertThat(console).as("console (SLF4J log lines)").doesNotContain(PASSWORD);
        originalOut.printf("[reliability] secrets: %d outputs checked (%s) and the console (%d characters);"
                + " password found 0 times%n", checked.size(), String.join(", ", checked), console.length());
    }

    private OutputStream tee(PrintStream also) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                also.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                also.write(b, off, len);
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** libpq form with the password in the user info. */
    private static String libpqUrl(String hostPort, String database) {
        return "postgresql://postgres:" + PASSWORD + "@" + hostPort + "/" + database;
    }

    /** JDBC form with the password as a parameter. */
    private static String jdbcUrl(String hostPort, String database) {
        return "jdbc:postgresql://" + hostPort + "/" + database + "?user=postgres&password=" + PASSWORD + "&connectTimeout=2";
    }

    private static String hostPort(ProvisionedDatabase db) {
        String rest = db.jdbcUrl().substring("jdbc:postgresql://".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    private void assertNoPassword(String what, String text) {
        checked.add(what);
        assertThat(text).as(what).doesNotContain(PASSWORD);
    }

    private void assertNoPassword(String what, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace)); // every message, cause and suppressed exception
        assertNoPassword(what, trace.toString());
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void toolsNeverPrintThePassword(ProvisionedDatabase db, @TempDir Path dir) throws IOException {
        String dead = "127.0.0.1:" + freePort();
        for (String url : List.of(libpqUrl(dead, "nodb"), jdbcUrl(dead, "nodb"))) {
            for (String command : List.of("verify", "snapshot")) {
                Run run = command.equals("verify") ? cli("verify", "--url", url)
                        : cli("snapshot", "--url", url, "--out", dir.resolve("dead.sql").toString(), "--force");
                assertThat(run.code()).as(command + " against an unreachable port: " + run).isEqualTo(2);
                assertNoPassword(command + " unreachable (" + url.substring(0, 8) + ")", run.out() + run.err());
            }
        }
        String live = hostPort(db);
        for (String url : List.of(libpqUrl(live, db.name()), jdbcUrl(live, db.name()))) {
            Run verify = cli("verify", "--url", url);
            assertThat(verify.code()).as(verify.toString()).isEqualTo(0);
            assertNoPassword("verify live", verify.out() + verify.err());
            Run json = cli("verify", "--url", url, "--format", "json");
            assertNoPassword("verify live json", json.out() + json.err());
            Path out = dir.resolve("snapshot.sql");
            Run snapshot = cli("snapshot", "--url", url, "--out", out.toString(), "--force");
            assertThat(snapshot.code()).as(snapshot.toString()).isEqualTo(0);
            assertNoPassword("snapshot live", snapshot.out() + snapshot.err());
            assertNoPassword("snapshot file", Files.readString(out));
            Run missing = cli("verify", "--url", url.replace("/" + db.name(), "/no_such_database_here"));
            assertThat(missing.code()).isEqualTo(2);
            assertNoPassword("verify missing database", missing.out() + missing.err());
        }
        Run badUrl = cli("verify", "--url", "postgresql://postgres:" + PASSWORD + "@/");
        assertNoPassword("verify malformed URL", badUrl.out() + badUrl.err());
        Run option = cli("verify", "--url", "postgresql://" + dead + "/x", "--user", "postgres", "--password", PASSWORD);
        assertNoPassword("verify --password unreachable", option.out() + option.err());
    }

    @Test
    void theLibraryNeverLogsOrThrowsThePassword(ProvisionedDatabase db) throws IOException {
        String live = hostPort(db);
        for (String url : List.of(libpqUrl(live, db.name()), jdbcUrl(live, db.name()))) {
            ResumeReviewDbConfig config = ResumeReviewDbConfig.builder().url(url).maximumPoolSize(2)
                    .schemaCheck(SchemaCheck.WARN).build();
            assertNoPassword("config.toString", config.toString());
            assertNoPassword("DatabaseUrl.toString", DatabaseUrl.parse(url).toString());
            assertNoPassword("DatabaseUrl.jdbcUrl", DatabaseUrl.parse(url).jdbcUrl());
            try (ResumeReviewDb lib = ResumeReviewDb.connect(config)) {
                lib.users().create(TestUsers.newUser());
                assertNoPassword("verifySchema report", lib.verifySchema().render());
                try {
                    lib.dsl().execute("SELECT * FROM no_such_table");
                } catch (RuntimeException e) {
                    assertNoPassword("failing query", e);
                }
            }
        }
        String dead = "127.0.0.1:" + freePort();
        for (String url : List.of(libpqUrl(dead, "nodb"), jdbcUrl(dead, "nodb"), libpqUrl(live, "no_such_database_here"))) {
            try (ResumeReviewDb lib = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(url)
                    .connectionTimeout(Duration.ofSeconds(1)).build())) {
                throw new AssertionError("connected to " + DatabaseUrl.parse(url));
            } catch (RuntimeException e) {
                assertThat(e).isInstanceOf(com.airesumereview.db.ResumeReviewDbException.class);
                assertNoPassword("failing connect", e);
            }
        }
        try {
            DatabaseUrl.parse("postgresql://postgres:" + PASSWORD + "@/nodb");
        } catch (RuntimeException e) {
            assertNoPassword("malformed URL", e);
        }
        try {
            DatabaseUrl.parse("mysql://postgres:" + PASSWORD + "@host/db");
        } catch (RuntimeException e) {
            assertNoPassword("wrong scheme", e);
        }
    }

    @Test
    void theCaptureSeesLogLines() {
        // Guard against a capture that sees nothing: the library's start-up check logs through SLF4J.
        org.slf4j.LoggerFactory.getLogger(SecretsTest.class).warn("capture check {}", "marker-7f3a");
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("marker-7f3a");
    }
}
