package com.airesumereview.db.internal;

import com.airesumereview.db.inspection.InspectionException;
import com.airesumereview.db.inspection.SchemaModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The structure the generated code was generated from, read from this library's jar: the model the code
 * generator inspected right after applying {@code schema/} (resource {@value #RESOURCE}).
 *
 * <p>Why a JSON model and not the Flyway files: a running service verifies its database at start-up, and it has
 * neither Flyway nor a throwaway PostgreSQL to build the snapshot with. The file is written by
 * {@code mvn -B -Pcodegen process-classes} and checked by {@code GeneratedCodeIsCurrentTest}.
 * <pre>{@code
 * SchemaModel expected = BundledSchemaModel.model();
 * }</pre>
 */
public final class BundledSchemaModel {
    /** Classpath location of the model. */
    public static final String RESOURCE = "com/airesumereview/db/snapshot-model.json";
    /** The same path below {@code src/main/resources}, where the code generator writes it. */
    public static final String SOURCE_PATH = "src/main/resources/" + RESOURCE;

    private BundledSchemaModel() {
    }

    /**
     * Reads the bundled model (a few kilobytes; read on each call, callers keep it if they need it often).
     *
     * @throws InspectionException if the resource is missing from the classpath
     */
    public static SchemaModel model() {
        ClassLoader loader = BundledSchemaModel.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new InspectionException("the bundled schema model " + RESOURCE + " is not on the classpath;"
                        + " the resume-review-db jar is incomplete (it is written by mvn -B -Pcodegen process-classes)");
            }
            return StableJson.readModel(in, "classpath:" + RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + RESOURCE, e);
        }
    }
}
