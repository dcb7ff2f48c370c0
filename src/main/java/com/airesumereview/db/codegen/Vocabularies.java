package com.airesumereview.db.codegen;

import com.airesumereview.db.codegen.internal.EnumSource;
import com.airesumereview.db.codegen.internal.VocabularyReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The generator's rules for CHECK-constrained vocabularies, for tools that tell what a schema change does to the
 * generated enums ({@code review}, {@code atlas}): which CHECK constraints are vocabularies, which enum each
 * becomes, and the Java constant of each value.
 */
public final class Vocabularies {
    /** Where the build puts {@code codegen/vocabularies.properties} inside the jar. */
    public static final String NAMES_RESOURCE = "/com/airesumereview/db/codegen/vocabularies.properties";

    private Vocabularies() {
    }

    /**
     * The values a CHECK constraint on {@code column} allows, if it has the vocabulary shape the generator turns
     * into an enum ({@code column IN ('a', 'b')}, optionally {@code OR column IS NULL}).
     *
     * @param table      the table, in the generator's schema
     * @param column     the column the constraint must be on
     * @param definition the constraint as {@code pg_get_constraintdef} prints it
     * @return the allowed values in the constraint's order; empty when the constraint is not of that shape
     */
    public static Optional<List<String>> values(String table, String column, String definition) {
        return VocabularyReader.parse(CodeGenerator.SCHEMA, table, column, "", definition).map(v -> v.values());
    }

    /**
     * The Java constant generated for a database value, e.g. {@code JUNIOR_RECRUITER} for {@code junior_recruiter}.
     *
     * @param value the value as stored in the column
     * @return the constant's name
     */
    public static String constantName(String value) {
        return EnumSource.constantName(value);
    }

    /**
     * The enum's simple name for {@code table.column}: the one in vocabularies.properties, else the generator's
     * default.
     *
     * @param table  the table, in the generator's schema
     * @param column the column
     * @return the enum's simple name
     */
    public static String enumName(String table, String column) {
        String named = bundledNames().get(CodeGenerator.SCHEMA + "." + table + "." + column);
        return named != null ? named : EnumSource.defaultEnumName(
                new com.airesumereview.db.codegen.Vocabulary(CodeGenerator.SCHEMA, table, column, "", List.of(), false));
    }

    /**
     * The enums' package, e.g. {@code com.airesumereview.db.generated.vocabulary}.
     *
     * @return the package name
     */
    public static String enumPackage() {
        return CodeGenerator.VOCABULARY_PACKAGE;
    }

    /**
     * {@code schema.table.column -> EnumName} from the bundled vocabularies.properties.
     *
     * @return the names, sorted by column; empty when the jar has no such file
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static Map<String, String> bundledNames() {
        Properties names = new Properties();
        try (InputStream in = Vocabularies.class.getResourceAsStream(NAMES_RESOURCE)) {
            if (in != null) {
                names.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + NAMES_RESOURCE + " failed", e);
        }
        Map<String, String> out = new TreeMap<>();
        names.forEach((k, v) -> out.put(k.toString(), v.toString().trim()));
        return out;
    }
}
