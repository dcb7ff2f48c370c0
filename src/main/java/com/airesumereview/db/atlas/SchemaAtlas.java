package com.airesumereview.db.atlas;

import com.airesumereview.db.domain.FieldMappingContract;
import com.airesumereview.db.inspection.Difference;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.inspection.SchemaModel.Column;
import com.airesumereview.db.inspection.SchemaModel.Constraint;
import com.airesumereview.db.inspection.SchemaModel.ConstraintType;
import com.airesumereview.db.inspection.SchemaModel.Index;
import com.airesumereview.db.inspection.SchemaModel.Table;
import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.usage.SchemaUsage;
import java.sql.Connection;
import java.sql.SQLException;
import com.airesumereview.db.usage.SchemaUsage.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema as a static HTML site that opens from disk: {@code index.html} with the entity-relationship diagram
 * (SVG laid out by Graphviz's {@code dot}, foreign keys as edges, each table linking to its page) and
 * {@code tables/<table>.html} per table: columns (type, nullability, default, CHECK vocabulary and its generated enum,
 * the {@code field-mapping.csv} rows, the repository methods that read and write it), indexes (and the methods whose
 * queries search them), constraints and triggers; with a {@link LiveView}, the live database's row count and drift.
 * Every text from the database or the CSV is HTML-escaped.
 * <pre>{@code
 * List<Path> files = SchemaAtlas.of(model, usage).withLive(live).writeTo(Path.of("target/atlas"));
 * }</pre>
 */
public final class SchemaAtlas {
    private static final Pattern REFERENCES = Pattern.compile("REFERENCES (?:\\w+\\.)?\"?([^\"(\\s]+)\"?\\(");
    private static final Pattern FK_COLUMNS = Pattern.compile("FOREIGN KEY \\(([^)]*)\\) REFERENCES [^(]*\\(([^)]*)\\)");
    private static final String STYLE = "body{font-family:system-ui,Helvetica,Arial,sans-serif;margin:2em;color:#222}"
            + "table.grid{border-collapse:collapse;margin:1em 0}table.grid td,table.grid th{border:1px solid #ccc;"
            + "padding:4px 8px;vertical-align:top;text-align:left}table.grid th{background:#eef3f8}"
            + "code{font-size:90%}.drift{color:#a00}.muted{color:#777}svg{max-width:100%;height:auto}";

    private final SchemaModel model;
    private final SchemaUsage usage;
    private final LiveView live;

    private SchemaAtlas(SchemaModel model, SchemaUsage usage, LiveView live) {
        this.model = Objects.requireNonNull(model, "model");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.live = live;
    }

    /**
     * An atlas of {@code model} (the snapshot) with what the library's code uses of it.
     *
     * @param model the snapshot's structure
     * @param usage what the repositories read, write and search of it
     * @return the atlas, without a live database
     */
    public static SchemaAtlas of(SchemaModel model, SchemaUsage usage) {
        return new SchemaAtlas(model, usage, null);
    }

    /**
     * An atlas of the snapshot bundled in this jar: built into a throwaway database created by {@code provisioner}
     * (dropped afterwards), inspected, and its queries' plans asked of the planner.
     *
     * @param provisioner where the throwaway database comes from
     * @return the atlas, without a live database
     */
    public static SchemaAtlas ofBundledSnapshot(PostgresProvisioner provisioner) {
        try (ProvisionedDatabase db = provisioner.createSnapshotDatabase();
             Connection c = db.ownerDataSource().getConnection()) {
            SchemaModel model = SchemaInspector.forPublicSchema().inspect(c);
            return of(model, SchemaUsage.explainedOn(c, model.schema()));
        } catch (SQLException e) {
            throw new AtlasException("reading the snapshot database failed: " + e.getMessage(), e);
        }
    }

    /** {@return the snapshot's structure the atlas shows} */
    public SchemaModel model() {
        return model;
    }

    /**
     * The same atlas showing a live database's drift and row counts.
     *
     * @param view what was read of the live database
     * @return a new atlas
     */
    public SchemaAtlas withLive(LiveView view) {
        return new SchemaAtlas(model, usage, Objects.requireNonNull(view, "live"));
    }

    /**
     * Writes the site into {@code dir} (created if missing; files of an earlier run are replaced).
     *
     * @param dir the site's directory
     * @return the files written, {@code index.html} first
     * @throws AtlasException if Graphviz is missing or fails, or a file cannot be written
     */
    public List<Path> writeTo(Path dir) {
        String svg = Graphviz.svg(dot());
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir.resolve("tables"));
            written.add(write(dir.resolve("index.html"), index(svg)));
            written.add(write(dir.resolve("schema.svg"), svg));
            for (Table table : model.tables()) {
                written.add(write(dir.resolve("tables").resolve(table.name() + ".html"), tablePage(table)));
            }
        } catch (IOException e) {
            throw new AtlasException("writing the atlas to " + dir.toAbsolutePath() + " failed: " + e.getMessage(), e);
        }
        return written;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    // ---- the diagram -----------------------------------------------------------------------------------------

    /** The graph in DOT: one node per table (its columns in an HTML-like label), one edge per foreign key. */
    String dot() {
        StringBuilder b = new StringBuilder("digraph schema {\n  graph [rankdir=LR, fontname=\"Helvetica\","
                + " nodesep=0.4, ranksep=1.0];\n  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#5577aa\"];\n");
        for (Table table : model.tables()) {
            Set<String> keys = keyColumns(table.name(), ConstraintType.PRIMARY_KEY);
            Set<String> foreign = keyColumns(table.name(), ConstraintType.FOREIGN_KEY);
            b.append("  ").append(quoted(table.name())).append(" [id=").append(quoted("table-" + table.name()))
                    .append(", URL=").append(quoted("tables/" + table.name() + ".html")).append(", tooltip=")
                    .append(quoted(table.name())).append(", label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\""
                            + " CELLSPACING=\"0\" CELLPADDING=\"3\"><TR><TD BGCOLOR=\"#dbe9f6\"><B>")
                    .append(html(table.name())).append("</B></TD></TR>");
            for (Column c : table.columns()) {
                String marks = (keys.contains(c.name()) ? " PK" : "") + (foreign.contains(c.name()) ? " FK" : "");
                b.append("<TR><TD ALIGN=\"LEFT\" PORT=").append(quoted(c.name())).append('>').append(html(c.name()))
                        .append(" <FONT COLOR=\"#777777\">").append(html(c.type())).append(html(marks))
                        .append("</FONT></TD></TR>");
            }
            b.append("</TABLE>>];\n");
        }
        for (Constraint fk : foreignKeys()) {
            // From the referencing column to the referenced one, when the key has one column on each side.
            Matcher cols = FK_COLUMNS.matcher(fk.definition());
            String from = cols.find() && !cols.group(1).contains(",") ? ":" + quoted(cols.group(1).strip()) : "";
            String to = from.isEmpty() || cols.group(2).contains(",") ? "" : ":" + quoted(cols.group(2).strip());
            referencedTable(fk).ifPresent(target -> b.append("  ").append(quoted(fk.table())).append(from)
                    .append(" -> ").append(quoted(target)).append(to).append(" [id=").append(quoted("fk." + fk.table() + "." + fk.name()))
                    .append(", tooltip=").append(quoted(fk.name() + ": " + fk.definition())).append("];\n"));
        }
        return b.append("}\n").toString();
    }

    private List<Constraint> foreignKeys() {
        return model.constraints().stream().filter(c -> c.type() == ConstraintType.FOREIGN_KEY).toList();
    }

    /** The table a foreign key references, from {@code pg_get_constraintdef}'s text. */
    static Optional<String> referencedTable(Constraint fk) {
        Matcher m = REFERENCES.matcher(fk.definition());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private Set<String> keyColumns(String table, ConstraintType type) {
        Set<String> out = new TreeSet<>();
        for (Constraint c : model.constraints()) {
            if (c.table().equals(table) && c.type() == type) {
                String def = c.definition();
                int open = def.indexOf('(');
                int close = def.indexOf(')');
                if (open >= 0 && close > open) {
                    for (String name : def.substring(open + 1, close).split(",")) {
                        out.add(name.strip().replace("\"", ""));
                    }
                }
            }
        }
        return out;
    }

    // ---- pages -----------------------------------------------------------------------------------------------

    private String index(String svg) {
        StringBuilder b = page("Schema atlas: " + model.schema(), "");
        b.append("<h1>Schema atlas: ").append(html(model.schema())).append("</h1>\n<p>").append(model.tables().size())
                .append(" tables, ").append(foreignKeys().size()).append(" foreign keys (arrows point at the"
                        + " referenced table), from the snapshot the library's code was generated from")
                .append(live == null ? "" : "; live database " + html(live.database()) + ": "
                        + live.drift().differences().size() + (live.drift().differences().size() == 1 ? " difference"
                        : " differences") + " from the snapshot")
                .append(". Click a table for its page.</p>\n<div id=\"diagram\">\n");
        b.append(svg.substring(svg.indexOf("<svg"))).append("\n</div>\n<h2>Tables</h2>\n<ul id=\"tables\">\n");
        for (Table t : model.tables()) {
            b.append("<li><a href=\"tables/").append(html(t.name())).append(".html\">").append(html(t.name()))
                    .append("</a> <span class=\"muted\">").append(t.columns().size()).append(" columns")
                    .append(live != null && live.rows().containsKey(t.name()) ? ", " + rows(t.name()) : "")
                    .append(t.comment() == null ? "" : " - " + html(t.comment())).append("</span></li>\n");
        }
        return b.append("</ul>\n</body>\n</html>\n").toString();
    }

    private String tablePage(Table table) {
        String name = table.name();
        StringBuilder b = page("Table " + name, "../");
        b.append("<p><a href=\"../index.html\">Schema atlas</a></p>\n<h1 id=\"table-name\">").append(html(name))
                .append("</h1>\n");
        if (table.comment() != null) {
            b.append("<p>").append(html(table.comment())).append("</p>\n");
        }
        if (live != null) {
            b.append("<h2>Live database ").append(html(live.database())).append("</h2>\n<p id=\"rows\">")
                    .append(live.rows().containsKey(name) ? rows(name) : "table missing in the live database")
                    .append("</p>\n");
            List<Difference> drift = live.drift().differences().stream()
                    .filter(d -> d.name().equals(name) || d.name().startsWith(name + ".")).toList();
            b.append(drift.isEmpty() ? "<p id=\"drift\">no drift: this table matches the snapshot</p>\n"
                    : "<ul id=\"drift\" class=\"drift\">\n");
            for (Difference d : drift) {
                b.append("<li>").append(html(d.toString())).append("</li>\n");
            }
            if (!drift.isEmpty()) {
                b.append("</ul>\n");
            }
        }
        b.append("<h2>Columns</h2>\n<table class=\"grid\" id=\"columns\">\n<tr><th>column</th><th>type</th>"
                + "<th>null</th><th>default</th><th>vocabulary (CHECK) and enum</th><th>domain field (field-mapping.csv)"
                + "</th><th>written by</th><th>read by</th></tr>\n");
        for (Column c : table.columns()) {
            b.append("<tr id=\"column-").append(html(c.name())).append("\"><td class=\"column\"><code>")
                    .append(html(c.name())).append("</code>").append(c.comment() == null ? ""
                            : "<br><span class=\"muted\">" + html(c.comment()) + "</span>").append("</td><td>")
                    .append(html(c.type())).append("</td><td>")
                    .append(c.notNull() ? "NOT NULL" : "nullable").append("</td><td>")
                    .append(c.defaultExpression() == null ? "" : "<code>" + html(c.defaultExpression()) + "</code>")
                    .append("</td><td>");
            Optional<Vocabulary> v = SchemaUsage.vocabulary(model, name, c.name());
            v.ifPresent(voc -> b.append(html(String.join(", ", voc.values()))).append("<br><code>")
                    .append(html(voc.qualifiedEnumName())).append("</code> <span class=\"muted\">(CHECK ")
                    .append(html(voc.constraint())).append(")</span>"));
            b.append("</td><td>");
            for (FieldMappingContract.Row row : usage.mappingRows(name, c.name())) {
                b.append("<div><code>").append(html(row.entity() + "." + row.domainField())).append("</code> ")
                        .append(html(row.strategy())).append(row.note().isEmpty() ? "" : ": " + html(row.note()))
                        .append("</div>");
            }
            b.append("</td><td>").append(html(String.join(", ", usage.writers(name, c.name())))).append("</td><td>")
                    .append(html(String.join(", ", usage.readers(name, c.name())))).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Indexes</h2>\n<table class=\"grid\" id=\"indexes\">\n<tr><th>index</th>"
                + "<th>definition</th><th>queries that search it</th></tr>\n");
        for (Index i : model.indexes()) {
            if (i.table().equals(name)) {
                b.append("<tr id=\"index-").append(html(i.name())).append("\"><td><code>").append(html(i.name()))
                        .append("</code>").append(i.constraint() == null ? "" : "<br><span class=\"muted\">backs "
                                + html(i.constraint()) + "</span>").append("</td><td><code>")
                        .append(html(i.definition())).append("</code></td><td>")
                        .append(html(String.join(", ", usage.usingIndex(i.name())))).append("</td></tr>\n");
            }
        }
        b.append("</table>\n<h2>Constraints</h2>\n<table class=\"grid\" id=\"constraints\">\n<tr><th>constraint</th>"
                + "<th>type</th><th>definition</th></tr>\n");
        for (Constraint c : model.constraints()) {
            if (c.table().equals(name)) {
                String definition = html(c.definition());
                if (c.type() == ConstraintType.FOREIGN_KEY) {
                    String target = referencedTable(c).orElse(null);
                    if (target != null) {
                        definition += " <a href=\"" + html(target) + ".html\">" + html(target) + "</a>";
                    }
                }
                b.append("<tr><td><code>").append(html(c.name())).append("</code></td><td>").append(html(c.type()
                        .name())).append("</td><td><code>").append(definition).append("</code></td></tr>\n");
            }
        }
        b.append("</table>\n");
        List<String> referencedBy = foreignKeys().stream()
                .filter(fk -> referencedTable(fk).filter(name::equals).isPresent())
                .map(fk -> "<a href=\"" + html(fk.table()) + ".html\">" + html(fk.table()) + "</a> ("
                        + html(fk.name()) + ")").toList();
        if (!referencedBy.isEmpty()) {
            b.append("<p>Referenced by: ").append(String.join(", ", referencedBy)).append("</p>\n");
        }
        List<SchemaModel.Trigger> triggers = model.triggers().stream().filter(t -> t.table().equals(name)).toList();
        if (!triggers.isEmpty()) {
            b.append("<h2>Triggers</h2>\n<ul>\n");
            triggers.forEach(t -> b.append("<li><code>").append(html(t.definition())).append("</code></li>\n"));
            b.append("</ul>\n");
        }
        return b.append("</body>\n</html>\n").toString();
    }

    private String rows(String table) {
        long n = live.rows().get(table);
        return Boolean.TRUE.equals(live.exact().get(table)) ? n + (n == 1 ? " row" : " rows")
                : "about " + n + " rows (planner estimate: counting took longer than "
                + LiveView.COUNT_TIMEOUT_MS + " ms)";
    }

    private static StringBuilder page(String title, String root) {
        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(html(title)).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String html(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }

    /** A DOT double-quoted ID. */
    private static String quoted(String id) {
        return "\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
