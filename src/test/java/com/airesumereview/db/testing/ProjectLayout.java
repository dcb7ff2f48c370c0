package com.airesumereview.db.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where this project's files are when its own tests run: the build passes the project directory as
 * system property {@value #PROPERTY}; otherwise the working directory is used.
 */
public final class ProjectLayout {
    /** System property holding the project directory. */
    public static final String PROPERTY = "resume-review-db.project-dir";

    private ProjectLayout() {
    }

    /** The project directory (the one holding pom.xml and schema/). */
    public static Path projectDir() {
        String dir = System.getProperty(PROPERTY);
        Path p = (dir != null ? Path.of(dir) : Path.of("")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("schema"))) {
            throw new IllegalStateException("no schema/ directory in " + p + "; set -D" + PROPERTY + "=<project dir>");
        }
        return p;
    }

    /** {@code ../shared/production/v1.0-schema.sql}, the pg_dump of production, beside the project. */
    public static Path productionDump() {
        Path dump = projectDir().resolveSibling("shared").resolve("production").resolve("v1.0-schema.sql");
        if (!Files.isRegularFile(dump)) {
            throw new IllegalStateException("production dump not found at " + dump
                    + "; the project expects ../shared/production/ beside it");
        }
        return dump;
    }
}
