package com.airesumereview.db.codegen;

import com.airesumereview.db.codegen.internal.EnumSource;
import com.airesumereview.db.codegen.Vocabulary;
import com.airesumereview.db.codegen.internal.VocabularyReader;
import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.internal.QuietJooq;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.provisioning.SchemaSnapshot;
import com.airesumereview.db.internal.BundledSchemaModel;
import com.airesumereview.db.internal.StableJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.LambdaConverter;

/**
 * Regenerates {@code src/main/java/com/airesumereview/db/generated/} from {@code schema/}:
 * <ol>
 *   <li>provisions a throwaway PostgreSQL 15 ({@link PostgresProvisioner}: embedded unless configured otherwise),</li>
 *   <li>applies {@code schema/} with Flyway and writes the inspected model of that database as JSON
 *       ({@value BundledSchemaModel#SOURCE_PATH}), so services can verify their database without Flyway,</li>
 *   <li>reads every CHECK-constrained vocabulary from the catalog,</li>
 *   <li>runs jOOQ with {@code codegen/jooq-codegen.xml}, mapping each vocabulary column to its enum,</li>
 *   <li>writes one enum per vocabulary into {@code generated/vocabulary/}, each implementing the generated
 *       {@code Vocabulary} interface there (its database value), which the statement engine binds.</li>
 * </ol>
 * Run it with {@value #COMMAND}. Nothing here touches any database but the one it created.
 */
public final class CodeGenerator {
    /** The one command that regenerates the committed code. */
    public static final String COMMAND = "mvn -B -Pcodegen process-classes";
    /** Package of the generated code. */
    public static final String PACKAGE = "com.airesumereview.db.generated";
    /** Package of the generated vocabulary enums. */
    public static final String VOCABULARY_PACKAGE = PACKAGE + ".vocabulary";
    /** The database schema generated from. */
    public static final String SCHEMA = "public";

    /**
     * Where the generator reads and writes.
     *
     * @param schemaDir  the Flyway snapshot ({@code schema/})
     * @param codegenDir {@code codegen/}: {@code jooq-codegen.xml} and {@code vocabularies.properties}
     * @param targetDir  the source root to write into ({@code src/main/java})
     * @param resourceDir the resource root the model JSON goes into ({@code src/main/resources})
     */
    public record Options(Path schemaDir, Path codegenDir, Path targetDir, Path resourceDir) {
        /**
         * The standard layout below a project directory.
         *
         * @param projectDir the directory holding {@code schema/}, {@code codegen/} and {@code src/main/}
         * @return {@code schema/}, {@code codegen/}, {@code src/main/java} and {@code src/main/resources} below it
         */
        public static Options forProject(Path projectDir) {
            return new Options(projectDir.resolve("schema"), projectDir.resolve("codegen"),
                    projectDir.resolve("src/main/java"), projectDir.resolve("src/main/resources"));
        }

        /**
         * The same, writing everything (sources and the model JSON) below {@code dir} instead, at the same
         * package-relative paths; used to check the committed output is current without touching it.
         *
         * @param dir where both sources and the model JSON go, e.g. a temporary directory
         * @return options with the same schema and codegen directories
         */
        public Options withTargetDir(Path dir) {
            return new Options(schemaDir, codegenDir, dir, dir);
        }

        /**
         * Where the model JSON is written.
         *
         * @return {@link BundledSchemaModel#RESOURCE} below the resource root
         */
        public Path modelFile() {
            return resourceDir.resolve(BundledSchemaModel.RESOURCE);
        }
    }

    /**
     * What a run produced.
     *
     * @param vocabularies the vocabularies found, with the enum each became
     * @param files        the generated files, relative to the target source root, sorted
     * @param modelFile    the model JSON written ({@link Options#modelFile()})
     */
    public record Result(List<GeneratedEnum> vocabularies, List<Path> files, Path modelFile) {
    }

    /** One vocabulary and the enum generated for it. */
    public record GeneratedEnum(Vocabulary vocabulary, String enumName) {
    }

    private final Options options;
    private final Consumer<String> progress;

    /**
     * @param options  where to read schema/ and codegen/ and where to write
     * @param progress receives one line per step (e.g. {@code System.out::println})
     */
    public CodeGenerator(Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Provisions a database the usual way ({@link PostgresProvisioner#start()}) and generates.
     *
     * @return the vocabularies, the files written and the model JSON
     * @throws CodegenException when a step fails, naming it
     * @throws com.airesumereview.db.provisioning.ProvisioningException when no suitable PostgreSQL can be started
     */
    public Result generate() {
        progress.accept("[1/6] Starting PostgreSQL 15 for code generation");
        try (PostgresProvisioner provisioner = PostgresProvisioner.start()) {
            progress.accept("      using " + provisioner.description());
            return generate(provisioner);
        }
    }

    /**
     * Generates on a fresh database from {@code provisioner}.
     *
     * @param provisioner where to create the database the schema is applied to; left open
     * @return the vocabularies, the files written and the model JSON
     * @throws CodegenException when a step fails, naming it
     */
    public Result generate(PostgresProvisioner provisioner) {
        QuietJooq.apply();
        Configuration config = loadConfiguration();
        Properties names = loadNames();
        long start = System.nanoTime();
        try (ProvisionedDatabase db = provisioner.createDatabase()) {
            progress.accept("[2/6] Applying " + options.schemaDir() + " with Flyway");
            List<String> versions = db.applySnapshot(SchemaSnapshot.directory(options.schemaDir()));
            progress.accept("      applied versions " + versions);
            progress.accept("[3/6] Writing the inspected model to " + options.modelFile());
            writeModel(SchemaInspector.forSchema(SCHEMA).inspect(db.dataSource()));
            try (Connection connection = db.dataSource().getConnection()) {
                progress.accept("[4/6] Reading CHECK-constrained vocabularies");
                List<GeneratedEnum> enums = new ArrayList<>();
                for (Vocabulary v : VocabularyReader.read(connection, SCHEMA)) {
                    String name = names.getProperty(v.qualifiedColumn());
                    if (name == null) {
                        name = EnumSource.defaultEnumName(v);
                        progress.accept("      NOTE: no enum name for " + v.qualifiedColumn() + " in "
                                + options.codegenDir().resolve("vocabularies.properties") + "; using " + name);
                    }
                    if (name.equals("Vocabulary")) {
                        throw new CodegenException(v.qualifiedColumn() + ": the enum name Vocabulary is taken by the"
                                + " interface every vocabulary enum implements; name it otherwise in vocabularies.properties");
                    }
                    enums.add(new GeneratedEnum(v, name));
                    progress.accept("      " + v.qualifiedColumn() + " -> " + name + " " + v.values());
                    config.getGenerator().getDatabase().getForcedTypes().add(forcedType(v, name));
                }
                reportVanished(connection, names, enums);
                config.getGenerator().getTarget().setDirectory(options.targetDir().toString());
                progress.accept("[5/6] Running jOOQ " + org.jooq.Constants.FULL_VERSION + " into " + options.targetDir());
                GenerationTool tool = new GenerationTool();
                tool.setConnection(connection);
                tool.run(config);
                normalizeForAnyJdk(options.targetDir());
                progress.accept("[6/6] Writing " + enums.size() + " vocabulary enums");
                writeEnums(enums);
                List<Path> files = listGenerated(options.targetDir());
                progress.accept(String.format("Done: %d files in %s (%.1f s)", files.size(),
                        options.targetDir().resolve(PACKAGE.replace('.', '/')),
                        (System.nanoTime() - start) / 1e9));
                return new Result(List.copyOf(enums), files, options.modelFile());
            }
        } catch (SQLException e) {
            throw new CodegenException("reading the provisioned database failed: " + e.getMessage(), e);
        } catch (CodegenException e) {
            throw e;
        } catch (Exception e) {
            throw new CodegenException("jOOQ code generation failed: " + e.getMessage(), e);
        }
    }

    /**
     * A vocabulary named in {@code codegen/vocabularies.properties} that {@code schema/} no longer has would otherwise
     * vanish silently (its enum is simply not written): say which enum is gone and why, one line each.
     */
    private void reportVanished(Connection connection, Properties names, List<GeneratedEnum> found) throws SQLException {
        Set<String> generated = found.stream().map(e -> e.vocabulary().qualifiedColumn()).collect(Collectors.toSet());
        for (String column : new TreeSet<>(names.stringPropertyNames())) {
            if (!generated.contains(column)) {
                progress.accept("      GONE: enum " + names.getProperty(column) + " is not generated: " + column + " "
                        + whyNoVocabulary(connection, column) + ". Code using " + names.getProperty(column)
                        + " will not compile; adapt it, then remove the line " + column + " from "
                        + options.codegenDir().resolve("vocabularies.properties"));
            }
        }
    }

    private static String whyNoVocabulary(Connection connection, String qualifiedColumn) throws SQLException {
        String[] parts = qualifiedColumn.split("\\.", 3);
        if (parts.length != 3) {
            return "is not of the form schema.table.column";
        }
        String sql = """
                SELECT a.attnum,
                       (SELECT count(*) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c'
                          AND a.attnum = ANY (k.conkey)) AS checks
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = ? AND NOT a.attisdropped AND a.attnum > 0
                WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')
                """;
        try (java.sql.PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, parts[2]);
            ps.setString(2, parts[0]);
            ps.setString(3, parts[1]);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "has no table any more (table " + parts[0] + "." + parts[1] + " is not in schema/)";
                }
                if (rs.getObject(1) == null) {
                    return "no longer exists (the column was dropped or renamed in schema/)";
                }
                return rs.getLong(2) == 0
                        ? "has no CHECK constraint any more (it was dropped in schema/), so its values are no longer a"
                                + " closed list"
                        : "has a CHECK constraint that is no longer a list of values (col IN (...)), so no vocabulary"
                                + " can be read from it";
            }
        }
    }

    /**
     * jOOQ adds {@code "this-escape"} to its {@code @SuppressWarnings} only when it runs on JDK 21+, so
     * the same schema would generate different files on different JDKs. Always use the JDK 21+ form
     * (javac 17 ignores the unknown token) so the committed code is the same whoever generates it.
     */
    private static void normalizeForAnyJdk(Path sourceRoot) throws IOException {
        String jdk17 = "@SuppressWarnings({ \"all\", \"unchecked\", \"rawtypes\" })";
        String jdk21 = "@SuppressWarnings({ \"all\", \"unchecked\", \"rawtypes\", \"this-escape\" })";
        for (Path file : listGenerated(sourceRoot)) {
            Path path = sourceRoot.resolve(file);
            String text = Files.readString(path, StandardCharsets.UTF_8);
            if (text.contains(jdk17)) {
                Files.writeString(path, text.replace(jdk17, jdk21), StandardCharsets.UTF_8);
            }
        }
    }

    private void writeModel(SchemaModel model) {
        try {
            Files.createDirectories(options.modelFile().getParent());
            Files.writeString(options.modelFile(), StableJson.write(model), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CodegenException("cannot write the schema model " + options.modelFile() + ": " + e.getMessage(), e);
        }
    }

    private static ForcedType forcedType(Vocabulary v, String enumName) {
        String type = VOCABULARY_PACKAGE + "." + enumName;
        return new ForcedType()
                .withUserType(type)
                .withLambdaConverter(new LambdaConverter()
                        .withFrom(type + "::fromLiteral")
                        .withTo(type + "::literal"))
                .withIncludeExpression(Pattern.quote(v.qualifiedColumn()))
                .withIncludeTypes(".*");
    }

    private void writeEnums(List<GeneratedEnum> enums) throws IOException {
        Path dir = options.targetDir().resolve(VOCABULARY_PACKAGE.replace('.', '/'));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Vocabulary.java"), EnumSource.renderInterface(VOCABULARY_PACKAGE, COMMAND),
                StandardCharsets.UTF_8);
        for (GeneratedEnum e : enums) {
            Files.writeString(dir.resolve(e.enumName() + ".java"),
                    EnumSource.render(VOCABULARY_PACKAGE, e.enumName(), e.vocabulary(), COMMAND), StandardCharsets.UTF_8);
        }
    }

    /**
     * Every file below the generated package, relative to {@code sourceRoot}, sorted.
     *
     * @param sourceRoot a source root such as {@code src/main/java}
     * @return the generated files' paths relative to {@code sourceRoot}; empty when the package directory is missing
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static List<Path> listGenerated(Path sourceRoot) {
        Path dir = sourceRoot.resolve(PACKAGE.replace('.', '/'));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var stream = Files.walk(dir)) {
            return stream.filter(Files::isRegularFile).map(sourceRoot::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Configuration loadConfiguration() {
        Path file = options.codegenDir().resolve("jooq-codegen.xml");
        try (InputStream in = Files.newInputStream(file)) {
            return GenerationTool.load(in);
        } catch (IOException e) {
            throw new CodegenException("cannot read jOOQ configuration " + file + ": " + e.getMessage(), e);
        }
    }

    private Properties loadNames() {
        Path file = options.codegenDir().resolve("vocabularies.properties");
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new CodegenException("cannot read enum names " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    /**
     * Command-line entry used by {@value #COMMAND}; the only argument is the project directory
     * (default: the current directory). Exits with status 2 when generation fails.
     *
     * @param args optionally the project directory
     */
    public static void main(String[] args) {
        Path project = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        try {
            new CodeGenerator(Options.forProject(project), System.out::println).generate();
        } catch (RuntimeException e) {
            System.err.println("codegen failed: " + e.getMessage());
            System.exit(2);
        }
    }
}
