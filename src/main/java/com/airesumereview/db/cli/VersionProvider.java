package com.airesumereview.db.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the library version from the jar's Maven descriptor, with jOOQ's and Java's. */
final class VersionProvider implements IVersionProvider {
    private static final String POM_PROPERTIES = "META-INF/maven/com.airesumereview/resume-review-db/pom.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"resume-review-db " + libraryVersion(),
                "jOOQ " + org.jooq.Constants.VERSION + ", Java " + System.getProperty("java.version")};
    }

    // The descriptor is only in the built jar; from target/classes (tests, IDE) there is no version to show.
    private static String libraryVersion() {
        try (InputStream in = VersionProvider.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "(version unknown: not running from the built jar)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown: " + e.getMessage() + ")";
        }
    }
}
