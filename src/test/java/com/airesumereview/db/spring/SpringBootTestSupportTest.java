package com.airesumereview.db.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.SnapshotDatabaseProperties;
import com.airesumereview.db.testing.TestUsers;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Part 3 of issue 16 inside the library: one {@code @DynamicPropertySource} line gives a {@code @SpringBootTest}
 * a snapshot database that the application's beans use, with Boot's Flyway auto-configuration on the classpath
 * (flyway-core is) and out of the way; and the library's JUnit extension on the same class does not compete with
 * Spring's for parameters.
 */
@SpringBootTest(classes = SpringBootTestSupportTest.Service.class)
@ExtendWith(SnapshotDatabaseExtension.class)
class SpringBootTestSupportTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SnapshotDatabaseProperties.register(registry);
    }

    /** A service with nothing but Boot's auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {
    }

    @Autowired
    ResumeReviewDb db;

    @Test
    void theApplicationsBeansUseTheSnapshotDatabaseAndBothExtensionsResolveTheirOwnParameters(
            @Autowired DataSource applicationDataSource, ProvisionedDatabase ownDatabase) {
        db.users().create(TestUsers.newUser());

        JdbcTemplate jdbc = new JdbcTemplate(applicationDataSource);
        assertThat(jdbc.queryForObject("select count(*) from users", Integer.class))
                .as("the library's write, seen through the application's DataSource").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from prompts", Integer.class))
                .as("the snapshot's reference prompts are there").isEqualTo(3);
        assertThat(db.dsl().fetchValue("select current_database()"))
                .isEqualTo(jdbc.queryForObject("select current_database()", String.class))
                .as("the extension's ProvisionedDatabase is a database of its own").isNotEqualTo(ownDatabase.name());
    }
}
