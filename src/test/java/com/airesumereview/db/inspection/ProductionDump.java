package com.airesumereview.db.inspection;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The production pg_dump (../shared/production/v1.0-schema.sql), restored the way the embedded path can: JDBC. */
final class ProductionDump {
    static final String PROJECT_DIR_PROPERTY = "resume-review-db.project-dir";

    private ProductionDump() {
    }

    /** The dump's path; fails the test (never skips) when it is not where the project expects it. */
    static Path path() {
        String projectDir = System.getProperty(PROJECT_DIR_PROPERTY);
        if (projectDir == null) {
            fail("system property " + PROJECT_DIR_PROPERTY + " is not set (surefire sets it to the project"
                    + " directory); cannot locate ../shared/production/v1.0-schema.sql");
        }
        Path dump = Path.of(projectDir, "..", "shared", "production", "v1.0-schema.sql").normalize();
        if (!Files.isRegularFile(dump)) {
            fail("production dump not found at " + dump.toAbsolutePath()
                    + " (" + PROJECT_DIR_PROPERTY + "=" + projectDir + "/../shared/production/v1.0-schema.sql)");
        }
        return dump;
    }

    /** Restores the dump into {@code dataSource}, an empty database. */
    static void restoreInto(DataSource dataSource) throws SQLException {
        String sql;
        try {
            sql = Files.readString(path(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path(), e);
        }
        // pgJDBC splits the script itself and respects $$ bodies; the dump's set_config dies with the connection.
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
