package com.airesumereview.db.inspection;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything that differs between an expected structure (the snapshot) and an actual database, as returned by
 * {@link SchemaComparison#compare}. Sorted by object kind, then name; a plain record, so it serialises to JSON as
 * {@code {"differences": [...]}}.
 * <pre>{@code
 * SchemaDifferences drift = SchemaComparison.compare(snapshot, live);
 * if (!drift.breaking().isEmpty()) {
 *     throw new IllegalStateException("database drifted from the snapshot:\n" + drift.render());
 * }
 * }</pre>
 *
 * @param differences every difference, in a stable order
 */
public record SchemaDifferences(List<Difference> differences) {
    /**
     * Checks and copies the components.
     *
     * @param differences every difference, in a stable order
     */
    public SchemaDifferences {
        differences = List.copyOf(differences);
    }

    /** {@return whether the database matches the snapshot exactly} */
    @JsonIgnore
    public boolean isEmpty() {
        return differences.isEmpty();
    }

    /** {@return the differences that may break the generated code or the repositories} */
    public List<Difference> breaking() {
        return withImpact(Impact.BREAKING);
    }

    /** {@return the objects the database has and the snapshot does not, and which reject nothing the snapshot accepts} */
    public List<Difference> additions() {
        return withImpact(Impact.ADDITION);
    }

    /** {@return the differences code written against the snapshot tolerates} */
    public List<Difference> compatibleChanges() {
        return withImpact(Impact.COMPATIBLE_CHANGE);
    }

    /**
     * The differences with {@code impact}.
     *
     * @param impact the impact to select
     * @return those differences, in this object's order
     */
    public List<Difference> withImpact(Impact impact) {
        return differences.stream().filter(d -> d.impact() == impact).toList();
    }

    /** {@return the differences grouped by object kind (kinds in {@link ObjectKind} order; kinds without any left out)} */
    public Map<ObjectKind, List<Difference>> byKind() {
        return Collections.unmodifiableMap(differences.stream().collect(Collectors.groupingBy(Difference::kind,
                () -> new EnumMap<>(ObjectKind.class), Collectors.toUnmodifiableList())));
    }

    /**
     * Text for people: a summary line, then one line per difference, breaking ones first, e.g.
     * <pre>
     * 2 differences: 1 breaking, 0 compatible changes, 1 addition
     * BREAKING          COLUMN users.email type: snapshot expects 'character varying(255)', database has 'text'
     * ADDITION          TABLE audit_log added: snapshot has none, database has 'columns: id, note'
     * </pre>
     *
     * @return the report, one line per difference after the summary
     */
    public String render() {
        if (isEmpty()) {
            return "no differences: the database matches the snapshot";
        }
        StringBuilder text = new StringBuilder();
        text.append(differences.size()).append(differences.size() == 1 ? " difference: " : " differences: ")
                .append(breaking().size()).append(" breaking, ")
                .append(compatibleChanges().size()).append(compatibleChanges().size() == 1 ? " compatible change, "
                        : " compatible changes, ")
                .append(additions().size()).append(additions().size() == 1 ? " addition" : " additions");
        for (Impact impact : Impact.values()) {
            for (Difference difference : withImpact(impact)) {
                text.append('\n').append(difference);
            }
        }
        return text.toString();
    }

    /** {@return the same as {@link #render()}} */
    @Override
    public String toString() {
        return render();
    }
}
