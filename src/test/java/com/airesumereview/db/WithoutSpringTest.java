package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.HidingClassLoader;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Spring is optional: a service without it (no spring-jdbc, spring-tx, Boot) loads and uses the library, its own
 * transactions included, and nothing asks for a Spring class. The library runs in a class loader built from the
 * test classpath minus every org/springframework jar, which records each org.springframework class asked for.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class WithoutSpringTest {

    private static HidingClassLoader withoutSpring() throws Exception {
        return new HidingClassLoader("/org/springframework/", "org.springframework.");
    }

    @Test
    void theLibraryAndItsOwnTransactionsWorkWithoutSpringAndNeverAskForIt(ProvisionedDatabase database)
            throws Exception {
        try (HidingClassLoader loader = withoutSpring()) {
            assertThatThrownBy(() -> loader.loadClass("org.springframework.transaction.PlatformTransactionManager"))
                    .as("Spring is hidden").isInstanceOf(ClassNotFoundException.class);
            loader.requested().clear();

            String result = WithoutMicrometerTest.run(loader, "com.airesumereview.db.WithoutSpringScenario",
                    database.url().jdbcUrl(), database.url().user(), database.url().password());

            assertThat(result).isEqualTo("users 1, sessions 1, failed logins 1");
            assertThat(loader.requested()).as("Spring classes the library asked for").isEmpty();
            assertThat(loader.loadedLibraryClass("com.airesumereview.db.internal.LocalTransactions"))
                    .as("the library's own transactions really ran inside the hiding loader").isTrue();
        }
    }

    @Test
    void askingForSpringTransactionsWithoutSpringIsAConfigurationExceptionNamingTheDependency() throws Exception {
        try (HidingClassLoader loader = withoutSpring()) {
            String result = WithoutMicrometerTest.run(loader,
                    "com.airesumereview.db.WithoutSpringScenario$AskForSpringTransactions");
            assertThat(result).startsWith("transactionManager: ").contains("org.springframework:spring-jdbc");
        }
    }
}
