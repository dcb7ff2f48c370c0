package com.airesumereview.db.reliability;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.cli.Main;
import com.airesumereview.db.testing.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link PasswordAuthenticationSecretsTest} runs in a separate JVM, so that SLF4J and java.util.logging can
 * be set to their most verbose level from the start (SLF4J simple fixes a logger's level when it is created).
 * Everything goes to this process's stdout and stderr, which the test reads.
 *
 * <p>Reads from the environment: {@code SCENARIO_HOST_PORT}, {@code SCENARIO_DATABASE}, {@code SCENARIO_USER},
 * {@code SCENARIO_PASSWORD}, {@code SCENARIO_WRONG_PASSWORD}, {@code SCENARIO_DIR} (never from arguments, which
 * other users of the machine can see). Prints {@code SCENARIO OK <step>} after each step that behaved as expected
 * and exits 0 only when all did.
 */
public final class PasswordAuthenticationScenario {
    private PasswordAuthenticationScenario() {
    }

    public static void main(String[] args) throws Exception {
        String hostPort = System.getenv("SCENARIO_HOST_PORT");
        String database = System.getenv("SCENARIO_DATABASE");
        String user = System.getenv("SCENARIO_USER");
        String password = System.getenv("SCENARIO_PASSWORD");
        String wrong = System.getenv("SCENARIO_WRONG_PASSWORD");
        Path dir = Path.of(System.getenv("SCENARIO_DIR"));
        String libpq = "postgresql://" + user + ":" + password + "@" + hostPort + "/" + database;
        String jdbc = "jdbc:postgresql://" + hostPort + "/" + database + "?user=" + user + "&password=" + password;
        int failed = 0;
        // Proof that the most verbose level of both logging systems reaches the output the test reads.
        org.slf4j.LoggerFactory.getLogger("com.airesumereview.db.scenario").trace("capture check: SLF4J TRACE on");
        java.util.logging.Logger.getLogger("org.postgresql.scenario").finest("capture check: driver FINEST on");

        for (String url : List.of(libpq, jdbc)) {
            String form = url.startsWith("jdbc:") ? "jdbc" : "libpq";
            try (ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(url).maximumPoolSize(2)
                    .schemaCheck(SchemaCheck.WARN).build())) {
                Object who = db.dsl().fetchValue("SELECT current_user");
                db.users().create(TestUsers.newUser());
                System.out.println("verify: " + db.verifySchema().render());
                try {
                    db.dsl().execute("SELECT * FROM no_such_table");
                } catch (RuntimeException e) {
                    e.printStackTrace(System.out);
                }
                if (user.equals(who)) {
                    System.out.println("SCENARIO OK library " + form + ": authenticated as " + who);
                } else {
                    failed++;
                    System.out.println("SCENARIO FAILED library " + form + ": current_user " + who);
                }
            }
        }

        for (String url : List.of(libpq.replace(":" + password + "@", ":" + wrong + "@"),
                jdbc.replace("password=" + password, "password=" + wrong))) {
            try (ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(url).maximumPoolSize(1)
                    .schemaCheck(SchemaCheck.OFF).build())) {
                failed++;
                System.out.println("SCENARIO FAILED wrong password accepted");
            } catch (RuntimeException e) {
                e.printStackTrace(System.out);
                System.out.println("SCENARIO OK wrong password refused: " + e.getClass().getName());
            }
        }

        // The tools, with the password in the URL, as an option, and (through the parent) in PGPASSWORD.
        failed += tool("verify url", Main.run(new String[] {"verify", "--url", libpq}, System.out, System.err), 0);
        failed += tool("verify --password", Main.run(new String[] {"verify", "--url",
                "postgresql://" + user + "@" + hostPort + "/" + database, "--password", password}, System.out,
                System.err), 0);
        failed += tool("verify json", Main.run(new String[] {"verify", "--url", jdbc, "--format", "json"}, System.out,
                System.err), 0);
        Path snapshot = dir.resolve("snapshot.sql");
        failed += tool("snapshot", Main.run(new String[] {"snapshot", "--url", libpq, "--out", snapshot.toString(),
                "--force"}, System.out, System.err), 0);
        System.out.println(Files.readString(snapshot));
        failed += tool("audit", Main.run(new String[] {"audit", "--url", libpq}, System.out, System.err), 0);
        failed += tool("verify wrong password", Main.run(new String[] {"verify", "--url",
                libpq.replace(":" + password + "@", ":" + wrong + "@")}, System.out, System.err), 2);
        if (System.getenv("PGPASSWORD") != null) {
            failed += tool("verify PGPASSWORD", Main.run(new String[] {"verify", "--url",
                    "postgresql://" + user + "@" + hostPort + "/" + database}, System.out, System.err), 0);
        }
        System.out.println(failed == 0 ? "SCENARIO DONE" : "SCENARIO FAILED " + failed + " steps");
        System.out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }

    private static int tool(String step, int code, int expected) {
        if (code == expected) {
            System.out.println("SCENARIO OK tool " + step + ": exit " + code);
            return 0;
        }
        System.out.println("SCENARIO FAILED tool " + step + ": exit " + code + ", expected " + expected);
        return 1;
    }
}
