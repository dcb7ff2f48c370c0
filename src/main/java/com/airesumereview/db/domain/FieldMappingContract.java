package com.airesumereview.db.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The domain field to column contract, {@code field-mapping.csv} (bundled in the jar): which domain field each
 * column carries, and how ({@code direct}, {@code rename}, {@code split}, {@code derived}, {@code unsupported}). Read
 * by the tools that show what a schema change touches ({@code review}, {@code atlas}); every row is tested.
 */
public final class FieldMappingContract {
    /** Where the build puts the CSV inside the jar. */
    public static final String RESOURCE = "/com/airesumereview/db/field-mapping.csv";
    private static final String HEADER = "entity,domain_field,table,column,strategy,note";

    /**
     * One row; {@code table} and {@code column} are empty for fields with no column.
     *
     * @param line        the row's line in the file (the header is line 1)
     * @param entity      the domain type, e.g. {@code User}; never null
     * @param domainField the field of that type, e.g. {@code passwordHash}
     * @param table       the table, e.g. {@code users}; empty when the field has no column
     * @param column      the column, e.g. {@code password_hash}; empty when the field has no column
     * @param strategy    how the column carries the field, e.g. {@code direct}, {@code rename}, {@code split}
     * @param note        free text, empty when there is none
     */
    public record Row(int line, String entity, String domainField, String table, String column, String strategy,
                      String note) {
        /**
         * Requires the entity; the other cells are taken as they are.
         *
         * @param line        the row's line in the file (the header is line 1)
         * @param entity      the domain type; null is refused with {@link NullPointerException}
         * @param domainField the field of that type
         * @param table       the table, empty when the field has no column
         * @param column      the column, empty when the field has no column
         * @param strategy    how the column carries the field
         * @param note        free text, empty when there is none
         */
        public Row {
            Objects.requireNonNull(entity, "entity");
        }

        /**
         * Whether this row maps {@code table.column}.
         *
         * @param tableName  the table, compared exactly (case matters)
         * @param columnName the column, compared exactly (case matters)
         * @return true when both equal this row's {@code table} and {@code column}
         */
        public boolean maps(String tableName, String columnName) {
            return table.equals(tableName) && column.equals(columnName);
        }

        /**
         * The row as it stands in the file, e.g. {@code User,role,users,role,direct,enum UserRole ...}.
         *
         * @return the six cells joined by commas, the note quoted when it holds a comma or a quote
         */
        public String csv() {
            return String.join(",", List.of(entity, domainField, table, column, strategy, quoted(note)));
        }

        private static String quoted(String cell) {
            return cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
        }
    }

    private FieldMappingContract() {
    }

    /**
     * Every row of the bundled file, in file order.
     *
     * @return the rows, unmodifiable
     * @throws IllegalStateException when the file is not on the classpath
     * @throws java.io.UncheckedIOException when reading it fails
     * @throws IllegalArgumentException when the header or a row's cell count is wrong
     */
    public static List<Row> bundled() {
        try (InputStream in = FieldMappingContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath; the build bundles field-mapping.csv");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE + " failed", e);
        }
    }

    /**
     * Rows of a file with the header {@value #HEADER} (RFC 4180: quoted cells may hold commas and quotes).
     * Blank lines are skipped; a quoted cell cannot span lines.
     *
     * @param reader the file, positioned at the header; not closed
     * @return the rows in file order, unmodifiable
     * @throws IOException when reading fails
     * @throws IllegalArgumentException when the header is missing or different, or a row has not six cells
     */
    public static List<Row> parse(BufferedReader reader) throws IOException {
        List<Row> rows = new ArrayList<>();
        String header = reader.readLine();
        if (header == null || !header.equals(HEADER)) {
            throw new IllegalArgumentException("field-mapping.csv must start with the header " + HEADER
                    + " but starts with: " + header);
        }
        String line;
        int number = 1;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells.size() != 6) {
                throw new IllegalArgumentException("field-mapping.csv line " + number + " has " + cells.size()
                        + " cells, expected 6: " + line);
            }
            rows.add(new Row(number, cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(4), cells.get(5)));
        }
        return List.copyOf(rows);
    }

    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }
}
