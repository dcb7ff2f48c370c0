package com.airesumereview.db.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of {@code field-mapping.csv} (bundled in the jar), for tests that prove the contract.
 * The file is RFC 4180 CSV with a header row: entity, domain_field, table, column, strategy, note.
 */
final class FieldMapping {
    /** Where the build puts the CSV inside the jar. */
    public static final String RESOURCE = "/com/airesumereview/db/field-mapping.csv";

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
        try (InputStream in = FieldMapping.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Row> parse(BufferedReader reader) throws IOException {
        List<Row> rows = new ArrayList<>();
        String header = reader.readLine();
        if (header == null || !header.equals("entity,domain_field,table,column,strategy,note")) {
            throw new IllegalStateException("field-mapping.csv must start with the header"
                    + " entity,domain_field,table,column,strategy,note but starts with: " + header);
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
                throw new IllegalStateException("field-mapping.csv line " + number + " has " + cells.size()
                        + " cells, expected 6: " + line);
            }
            rows.add(new Row(cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(4), cells.get(5)));
        }
        return rows;
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
