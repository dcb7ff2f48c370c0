package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.HidingClassLoader;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Micrometer is optional: a service without it on the classpath loads and uses the library. The library runs in a
 * class loader built from the test classpath minus the Micrometer jars, which records every io.micrometer class
 * anything asks it for.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class WithoutMicrometerTest {

    @Test
    void theLibraryWorksWithoutMicrometerAndNeverAsksForIt(ProvisionedDatabase database) throws Exception {
        try (HidingClassLoader loader = new HidingClassLoader("/io/micrometer/", "io.micrometer.")) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .as("Micrometer is hidden").isInstanceOf(ClassNotFoundException.class);
            loader.requested().clear();

            String result = run(loader, "com.airesumereview.db.WithoutMicrometerScenario",
                    database.url().jdbcUrl(), database.url().user(), database.url().password());

            assertThat(result).isEqualTo("users 1, migrations 0, prompts true");
            assertThat(loader.requested()).as("Micrometer classes the no-registry path asked for").isEmpty();
            assertThat(loader.loadedLibraryClass("com.airesumereview.db.ResumeReviewDb"))
                    .as("the library really ran inside the hiding loader").isTrue();
        }
    }

    @Test
    void askingForMetricsWithoutMicrometerIsAConfigurationExceptionNamingTheDependency() throws Exception {
        try (HidingClassLoader loader = new HidingClassLoader("/io/micrometer/", "io.micrometer.")) {
            String result = run(loader, "com.airesumereview.db.WithoutMicrometerScenario$AskForMetrics");
            assertThat(result).startsWith("meterRegistry: ").contains("io.micrometer:micrometer-core");
        }
    }

    @SuppressWarnings("unchecked")
    static String run(ClassLoader loader, String scenario, String... args) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // ServiceLoader look-ups (SLF4J, the driver) stay inside too
        try {
            Class<?> type = Class.forName(scenario, true, loader);
            assertThat(type.getClassLoader()).isSameAs(loader);
            return ((Function<String[], String>) type.getConstructor().newInstance()).apply(args);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
