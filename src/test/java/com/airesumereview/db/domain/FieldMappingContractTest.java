package com.airesumereview.db.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.generated.Public;
import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.inspection.SchemaModel;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * field-mapping.csv is a contract, not documentation: these checks fail the build when it and the code
 * or the schema disagree. Round trips of the non-direct strategies live in the *MappingTest classes.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class FieldMappingContractTest {
    private static final Set<String> STRATEGIES =
            Set.of("direct", "rename", "convert", "json key", "split", "derived", "internal", "unsupported");
    private static final String DOMAIN_PACKAGE = "com.airesumereview.db.domain.";

    private final List<FieldMapping.Row> rows = FieldMapping.load();

    @Test
    void everyColumnOfEveryTableInTheSnapshotHasARow(DataSource dataSource) {
        SchemaModel model = SchemaInspector.forPublicSchema().inspect(dataSource);
        Set<String> mapped = new TreeSet<>();
        rows.stream().filter(r -> !r.table().isEmpty()).forEach(r -> mapped.add(r.table() + "." + r.column()));
        List<String> missing = new ArrayList<>();
        for (SchemaModel.Table table : model.tables()) {
            for (SchemaModel.Column column : table.columns()) {
                if (!mapped.contains(table.name() + "." + column.name())) {
                    missing.add(table.name() + "." + column.name());
                }
            }
        }
        assertThat(missing)
                .as("columns in schema/ without a row in field-mapping.csv; add one row per column"
                        + " (entity, domain_field, table, column, strategy, note)")
                .isEmpty();
        assertThat(model.tables()).as("the snapshot's tables").hasSize(8);
    }

    @Test
    void everyRowIsWellFormed() {
        assertThat(rows).as("rows in field-mapping.csv").hasSizeGreaterThan(100);
        for (FieldMapping.Row r : rows) {
            assertThat(STRATEGIES).as("strategy of %s", r).contains(r.strategy());
            assertThat(r.entity()).as("entity of %s", r).isNotBlank();
            assertThat(r.domainField()).as("domain field of %s", r).isNotBlank();
            assertThat(r.table().isEmpty()).as("table and column both set or both empty in %s", r)
                    .isEqualTo(r.column().isEmpty());
            if (Set.of("direct", "rename", "convert", "json key").contains(r.strategy())) {
                assertThat(r.column()).as("a %s row names its column: %s", r.strategy(), r).isNotEmpty();
            }
            if (r.strategy().equals("derived") || r.strategy().equals("unsupported")) {
                assertThat(r.column()).as("a %s row has no column: %s", r.strategy(), r).isEmpty();
            }
        }
    }

    @Test
    void everyMappedColumnExistsInTheGeneratedCode() {
        List<String> missing = new ArrayList<>();
        for (FieldMapping.Row r : rows) {
            if (r.table().isEmpty()) {
                continue;
            }
            Table<?> table = Public.PUBLIC.getTable(r.table());
            if (table == null || table.field(r.column()) == null) {
                missing.add(r.table() + "." + r.column());
            }
        }
        assertThat(missing).as("columns named in field-mapping.csv but absent from the generated code"
                + " (regenerate with mvn -B -Pcodegen process-classes, or fix the row)").isEmpty();
    }

    /** Values that are not named New... but are passed into writes (an upload's extraction result). */
    private static final Set<String> INPUT_VALUES = Set.of("ExtractionMetadata", "ExtractionResult");

    @Test
    void everyDomainFieldExistsOnItsRecord() {
        List<String> missing = new ArrayList<>();
        List<String> passable = new ArrayList<>();
        for (FieldMapping.Row r : rows) {
            if (r.domainField().contains(".")) {
                continue; // a value of a field (status.uploading): checked by the repository's mapping test
            }
            if (r.strategy().equals("unsupported")) {
                // No column can hold it, so no input (New...) may take it: a caller cannot lose it at run time.
                if ((r.entity().startsWith("New") || INPUT_VALUES.contains(r.entity()))
                        && (component(r.entity(), r.domainField()).isPresent() || accessor(r.entity(), r.domainField())
                        || accessor(r.entity() + "$Builder", r.domainField()))) {
                    passable.add(r.entity() + "." + r.domainField());
                }
                continue;
            }
            boolean present = r.strategy().equals("derived")
                    // a derived field is computed from the row: an accessor, not a stored component
                    ? accessor(r.entity(), r.domainField())
                    // inputs are built by name (classes with builders), outputs are records
                    : component(r.entity(), r.domainField()).isPresent() || accessor(r.entity(), r.domainField());
            if (!present) {
                missing.add(r.entity() + "." + r.domainField());
            }
        }
        assertThat(missing).as("domain fields named in field-mapping.csv but absent from their types in "
                + DOMAIN_PACKAGE).isEmpty();
        assertThat(passable).as("unsupported domain fields (no column) that an input still accepts").isEmpty();
    }

    @Test
    void directAndRenamedFieldsHaveATypeCompatibleWithTheirColumn() {
        List<String> incompatible = new ArrayList<>();
        for (FieldMapping.Row r : rows) {
            if (!(r.strategy().equals("direct") || r.strategy().equals("rename"))) {
                continue;
            }
            RecordComponent component = component(r.entity(), r.domainField()).orElse(null);
            Field<?> column = Public.PUBLIC.getTable(r.table()).field(r.column());
            if (component == null || column == null) {
                continue; // reported by the two tests above
            }
            if (component.getType().isPrimitive() && column.getDataType().nullable()) {
                incompatible.add(r.entity() + "." + r.domainField() + " is primitive " + component.getType()
                        + " but " + r.table() + "." + r.column() + " is nullable: a NULL in production would not read back");
            } else if (!compatible(component.getGenericType(), column.getType())) {
                incompatible.add(r.entity() + "." + r.domainField() + " is " + component.getGenericType().getTypeName()
                        + " but " + r.table() + "." + r.column() + " is " + column.getType().getName());
            }
        }
        assertThat(incompatible).isEmpty();
    }

    /**
     * An input and the record it creates use the same Java type for the same field (boxed or not: outputs box
     * what production may hold as NULL), so a value read can be written back without a cast.
     */
    @Test
    void inputsAndOutputsUseOneJavaTypePerField() throws ClassNotFoundException {
        Map<String, String> inputToOutput = Map.of("NewUser", "User", "NewFileUpload", "FileUpload",
                "NewAnalysisRequest", "AnalysisRequest", "NewAnalysisResult", "AnalysisResult", "NewPrompt", "Prompt",
                "NewRefreshToken", "RefreshToken", "ExtractionResult", "FileUpload", "NewPromptVersion", "Prompt");
        List<String> different = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, String> e : inputToOutput.entrySet()) {
            Class<?> input = Class.forName(DOMAIN_PACKAGE + e.getKey());
            Class<?> output = Class.forName(DOMAIN_PACKAGE + e.getValue());
            for (java.lang.reflect.Method in : input.getDeclaredMethods()) {
                if (in.getParameterCount() != 0 || !java.lang.reflect.Modifier.isPublic(in.getModifiers())
                        || java.lang.reflect.Modifier.isStatic(in.getModifiers())) {
                    continue;
                }
                try {
                    Class<?> out = output.getMethod(in.getName()).getReturnType();
                    compared++;
                    if (boxed(out) != boxed(in.getReturnType())) {
                        different.add(e.getKey() + "." + in.getName() + " is " + in.getReturnType().getName()
                                + " but " + e.getValue() + "." + in.getName() + " is " + out.getName());
                    }
                } catch (NoSuchMethodException notInOutput) {
                    // an input-only field (e.g. the raw token)
                }
            }
        }
        assertThat(compared).as("fields compared").isGreaterThan(30);
        assertThat(different).isEmpty();
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
    }

    private static Optional<RecordComponent> component(String entity, String field) {
        try {
            Class<?> type = Class.forName(DOMAIN_PACKAGE + entity);
            if (!type.isRecord()) {
                return Optional.empty();
            }
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equals(field)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    private static boolean accessor(String entity, String field) {
        try {
            return Class.forName(DOMAIN_PACKAGE + entity).getMethod(field).getParameterCount() == 0;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return false;
        }
    }

    /** The domain type can hold every value of the column type (the column's converter type for enums). */
    private static boolean compatible(Type domain, Class<?> column) {
        Class<?> raw = domain instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) domain;
        if (column == OffsetDateTime.class) {
            return raw == Instant.class || raw == OffsetDateTime.class;
        }
        if (column == String[].class) {
            return List.class.isAssignableFrom(raw) || raw == String[].class;
        }
        if (column == JSONB.class) {
            return JsonNode.class.isAssignableFrom(raw) || raw == JSONB.class;
        }
        // One Java type per column type: int for integer, long for bigint, in inputs and outputs alike.
        if (column == Integer.class) {
            return raw == Integer.class || raw == int.class;
        }
        if (column == Long.class) {
            return raw == Long.class || raw == long.class;
        }
        if (column == Boolean.class) {
            return raw == Boolean.class || raw == boolean.class;
        }
        if (column == UUID.class || column == String.class || column.isEnum()) {
            return raw == column;
        }
        return raw == column;
    }
}
