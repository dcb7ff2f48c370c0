package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.DatabaseSource;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The last step of an upgrade-safety run ({@code .ci/run --nightly}): the schema behaviour tests and the repository
 * suite ran on embedded PostgreSQL 16 or 17 ({@code -Ppg16} / {@code -Ppg17} swap the zonky binaries), and this test,
 * run after them with the same profile, proves which server they had and turns their surefire reports into a
 * figure. Runs only when {@value #MAJOR_ENV} names the major version the run is for; skipped otherwise.
 *
 * <pre>{@code
 * export RESUME_REVIEW_DB_SOURCE=embedded RESUME_REVIEW_DB_POSTGRES_MAJOR=16
 * rm -f target/surefire-reports/*.txt
 * mvn -B surefire:test -Ppg16 -Dtest='com.airesumereview.db.schema.*Test,com.airesumereview.db.repository.*Test'
 * mvn -B surefire:test -Ppg16 -Dtest=UpgradeSafetyTest
 * }</pre>
 */
class UpgradeSafetyTest {
    static final String MAJOR_ENV = "RESUME_REVIEW_DB_POSTGRES_MAJOR";
    private static final Pattern COUNTS = Pattern.compile(
            "Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+)");

    @Test
    void theSuitesOfThisRunPassedOnTheEmbeddedMajorVersionItNames() throws Exception {
        String major = System.getenv(MAJOR_ENV);
        Assumptions.assumeTrue(major != null && !major.isBlank(), MAJOR_ENV + " is not set: not an upgrade-safety run");
        String version;
        try (PostgresProvisioner embedded = PostgresProvisioner.start(DatabaseSource.EMBEDDED);
             ProvisionedDatabase db = embedded.createSnapshotDatabase()) {
            version = ReliabilityFigures.serverVersion(db.dataSource());
        }
        assertThat(version).as("the embedded binaries on this run's classpath").startsWith("PostgreSQL " + major + ".");

        Path reports = Path.of(System.getProperty("resume-review-db.project-dir", "."), "target", "surefire-reports");
        // Both suites unless the run says it ran fewer (-Dreliability.upgrade.suites=schema); the figure names them.
        List<String> suites = List.of(System.getProperty("reliability.upgrade.suites", "schema,repository").split(","));
        String schema = suites.contains("schema") ? totals(reports, "com.airesumereview.db.schema.") : "not run";
        String repository = suites.contains("repository") ? totals(reports, "com.airesumereview.db.repository.")
                : "not run";
        System.out.printf("[reliability] upgrade safety on %s: schema behaviour tests %s; repository suite %s%n",
                version, schema, repository);
        ReliabilityFigures.record("upgrade.postgres_" + major, "schema behaviour tests: " + schema
                + "; repository suite: " + repository, null, version);
    }

    /** "N classes, M tests passed (S skipped)" over the reports of one package; fails on any failure. */
    private static String totals(Path reports, String prefix) throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(reports)) {
            files = list.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith("Test.txt")).sorted().toList(); // not *-output.txt
        }
        assertThat(files).as("surefire reports of %s* in %s (run the suites first, same profile)", prefix, reports)
                .isNotEmpty();
        int run = 0;
        int skipped = 0;
        for (Path f : files) {
            Matcher m = COUNTS.matcher(Files.readString(f));
            assertThat(m.find()).as("counts in %s", f).isTrue();
            assertThat(Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3))).as("failures and errors in %s", f)
                    .isZero();
            run += Integer.parseInt(m.group(1));
            skipped += Integer.parseInt(m.group(4));
        }
        return String.format("%d classes, %d tests, %d passed, %d skipped, 0 failed", files.size(), run, run - skipped,
                skipped);
    }
}
