package com.airesumereview.db.domain;

import java.util.List;

/**
 * The rows of {@code field-mapping.csv} (bundled in the jar), for tests that prove the contract; read by the same
 * reader the tools use ({@link FieldMappingContract}), so the contract has one parser.
 */
final class FieldMapping {
    /** Where the build puts the CSV inside the jar. */
    public static final String RESOURCE = FieldMappingContract.RESOURCE;

    /** One row of the contract; {@code table} and {@code column} are empty for fields with no column. */
    public record Row(String entity, String domainField, String table, String column, String strategy, String note) {
        @Override
        public String toString() {
            return entity + "." + domainField + " -> " + (table.isEmpty() ? "(no column)" : table + "." + column)
                    + " [" + strategy + "]";
        }
    }

    private FieldMapping() {
    }

    /** Every row, in file order. */
    public static List<Row> load() {
        return FieldMappingContract.bundled().stream()
                .map(r -> new Row(r.entity(), r.domainField(), r.table(), r.column(), r.strategy(), r.note())).toList();
    }
}
