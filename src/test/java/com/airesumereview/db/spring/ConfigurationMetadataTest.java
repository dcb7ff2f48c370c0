package com.airesumereview.db.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.spring.internal.PropertyBinding;
import com.airesumereview.db.testing.ProjectLayout;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.boot.convert.DurationStyle;

/**
 * The IDE metadata in the jar ({@code META-INF/spring-configuration-metadata.json}) lists every property of
 * {@link ResumeReviewDbProperties}, nothing else under its prefix, each with a description, and the defaults the
 * class really has: it is written by hand, so this test is what keeps it true.
 */
class ConfigurationMetadataTest {

    /** Every bindable property of the class, by its kebab-case name, with its default. */
    private static Map<String, Object> properties(String prefix, Object bean) throws Exception {
        Map<String, Object> found = new LinkedHashMap<>();
        for (PropertyDescriptor p : Introspector.getBeanInfo(bean.getClass(), Object.class).getPropertyDescriptors()) {
            Method read = p.getReadMethod();
            String name = prefix + "." + p.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
            Object value = read.invoke(bean);
            if (p.getWriteMethod() == null) {   // a nested group (getPoolSettings, getHealth)
                found.putAll(properties(name, value));
            } else {
                found.put(name, value);
            }
        }
        return found;
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json on the classpath (target/classes)").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    /**
     * The README's {@code ```properties} block of "Use it in Spring Boot", as a service would paste it: every key is
     * a real property (in the metadata) and every value binds and passes the library's checks.
     */
    @Test
    void theReadmesPropertiesExistAndAreValid() throws Exception {
        String readme = Files.readString(ProjectLayout.projectDir().resolve("README.md"));
        Matcher block = Pattern.compile("(?ms)^```properties\\n(.*?)^```").matcher(
                readme.substring(readme.indexOf("## Use it in Spring Boot")));
        assertThat(block.find()).as("a properties block in README.md's Spring Boot section").isTrue();
        Properties pasted = new Properties();
        pasted.load(new StringReader(block.group(1)));
        Set<String> known = new HashSet<>();
        metadata().get("properties").forEach(p -> known.add(p.get("name").asText()));

        assertThat(pasted.stringPropertyNames()).isNotEmpty().allSatisfy(key -> assertThat(known).contains(key));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new PropertiesPropertySource("readme", pasted));
        ResumeReviewDbProperties bound = PropertyBinding.bind(environment);
        PropertyBinding.config(bound, new SimpleDriverDataSource(), null, null);   // the builder's checks
        assertThat(bound.getSchemaCheck()).isEqualTo(SchemaCheck.FAIL);
    }

    @Test
    void listsEveryPropertyWithADescriptionAndItsRealDefault() throws Exception {
        Map<String, Object> expected = properties(ResumeReviewDbProperties.PREFIX, new ResumeReviewDbProperties());
        Map<String, JsonNode> listed = new LinkedHashMap<>();
        metadata().get("properties").forEach(p -> {
            if (p.get("name").asText().startsWith(ResumeReviewDbProperties.PREFIX + ".")) {
                listed.put(p.get("name").asText(), p);
            }
        });

        assertThat(listed.keySet()).as("properties in the metadata").containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((name, value) -> {
            JsonNode entry = listed.get(name);
            assertThat(entry.path("description").asText()).as("description of %s", name).isNotBlank();
            JsonNode declared = entry.get("defaultValue");
            if (value instanceof Duration d) {
                assertThat(DurationStyle.detectAndParse(declared.asText())).as("default of %s", name).isEqualTo(d);
            } else if (value == null) {
                assertThat(declared).as("default of %s (none)", name).isNull();
            } else if (value instanceof java.util.List<?> list) {
                assertThat(list).isEmpty();
                assertThat(declared).as("default of %s", name).isNull();
            } else {
                assertThat(declared.asText()).as("default of %s", name).isEqualToIgnoringCase(String.valueOf(value));
            }
        });
    }
}
