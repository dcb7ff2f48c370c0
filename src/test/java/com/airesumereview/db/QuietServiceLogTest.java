package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A service's log at INFO, as a fresh JVM sees it (jOOQ's banner and tips are printed once per JVM, so only a new
 * process shows them): the library's dependencies write nothing, unless the service asks for it.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class QuietServiceLogTest {

    @Test
    void serviceLogShowsNoJooqBannerTipOrVersionLineAtInfo(ProvisionedDatabase database) throws Exception {
        Child run = runService(database, List.of());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).as(run.toString()).contains("service: no user nobody@example.com");
        assertThat(run.err).as(run.toString())
                .doesNotContainIgnoringCase("jooq")
                .doesNotContain("tip of the day", "@@@@", "Thank you for using")
                .doesNotContain(" INFO ");
    }

    /** Control: the check above can fail. A service that sets jOOQ's properties itself gets what it asked for. */
    @Test
    void serviceThatAsksForJooqsBannerAndVersionLineGetsThem(ProvisionedDatabase database) throws Exception {
        Child run = runService(database, List.of("-Dorg.jooq.no-logo=false",
                "-Dorg.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=INFO"));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).as(run.toString()).contains("org.jooq", "Database version is supported");
    }

    private static Child runService(ProvisionedDatabase database, List<String> jvmOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        // A service logging at INFO (the test classpath's simplelogger.properties says warn).
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-Dorg.slf4j.simpleLogger.log.com.airesumereview=info");
        command.addAll(jvmOptions);
        command.add(Service.class.getName());
        command.add(database.url().jdbcUrl());
        command.add(database.url().user() == null ? "" : database.url().user());
        command.add(database.url().password() == null ? "" : database.url().password());
        Process process = new ProcessBuilder(command).start();
        // Small outputs: read after exit is safe below the pipe buffer, but drain stderr concurrently anyway.
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread drain = new Thread(() -> {
            try {
                err.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        drain.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("service finished in time").isTrue();
        drain.join();
        return new Child(process.exitValue(), out, err.join());
    }

    private record Child(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** The service: uses the library as the README shows, one query, then exits. */
    public static final class Service {
        public static void main(String[] args) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(args[0]);
            if (!args[1].isEmpty()) {
                dataSource.setUser(args[1]);
            }
            if (!args[2].isEmpty()) {
                dataSource.setPassword(args[2]);
            }
            try (ResumeReviewDb db = ResumeReviewDb.create(dataSource)) {
                boolean found = db.users().findByEmail("nobody@example.com").isPresent();
                // A query of the service's own through jOOQ: the statement engine does not go through jOOQ's
                // execution, so this is what would print jOOQ's version line.
                db.dsl().fetchOne("select 1");
                System.out.println("service: " + (found ? "found" : "no") + " user nobody@example.com");
            }
        }
    }
}
