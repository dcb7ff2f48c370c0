package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        try (HidingLoader loader = new HidingLoader()) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .as("Micrometer is hidden").isInstanceOf(ClassNotFoundException.class);
            loader.requested.clear();

            String result = run(loader, "com.airesumereview.db.WithoutMicrometerScenario",
                    database.url().jdbcUrl(), database.url().user(), database.url().password());

            assertThat(result).isEqualTo("users 1, migrations 0, prompts true");
            assertThat(loader.requested).as("Micrometer classes the no-registry path asked for").isEmpty();
            assertThat(loader.loadedLibraryClass("com.airesumereview.db.ResumeReviewDb"))
                    .as("the library really ran inside the hiding loader").isTrue();
        }
    }

    @Test
    void askingForMetricsWithoutMicrometerIsAConfigurationExceptionNamingTheDependency() throws Exception {
        try (HidingLoader loader = new HidingLoader()) {
            String result = run(loader, "com.airesumereview.db.WithoutMicrometerScenario$AskForMetrics");
            assertThat(result).startsWith("meterRegistry: ").contains("io.micrometer:micrometer-core");
        }
    }

    @SuppressWarnings("unchecked")
    private static String run(ClassLoader loader, String scenario, String... args) throws Exception {
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

    /** The test classpath without Micrometer, parent-last on the platform loader; records io.micrometer requests. */
    private static final class HidingLoader extends URLClassLoader {
        final List<String> requested = Collections.synchronizedList(new ArrayList<>());

        HidingLoader() throws MalformedURLException {
            super("without-micrometer", classpathWithoutMicrometer(), ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.micrometer.")) {
                requested.add(name);
            }
            return super.loadClass(name, resolve);
        }

        boolean loadedLibraryClass(String name) {
            return findLoadedClass(name) != null;
        }

        private static URL[] classpathWithoutMicrometer() throws MalformedURLException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<URL> urls = new ArrayList<>();
            boolean hidSome = false;
            for (String entry : classpath.split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                if (entry.replace('\\', '/').contains("/io/micrometer/")) {
                    hidSome = true;
                    continue;
                }
                urls.add(new File(entry).toURI().toURL());
            }
            assertThat(hidSome).as("the test classpath had Micrometer to hide: %s", classpath).isTrue();
            return urls.toArray(URL[]::new);
        }
    }
}
