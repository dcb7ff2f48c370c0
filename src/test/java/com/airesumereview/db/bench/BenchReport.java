package com.airesumereview.db.bench;

import com.airesumereview.db.testing.ProjectLayout;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of one benchmark run, written as a table to stdout and {@code target/bench/<name>.md} and as
 * {@code target/bench/<name>.json} ({@code {"run": {...}, "scenarios": [...]}}). Every number in a row was
 * measured in this run; a scenario that could not run is a row with status "skipped" and no numbers.
 */
final class BenchReport {
    /**
     * One line of the table.
     *
     * @param name       what was measured
     * @param libraryMs  the library's median (or total) in {@code unit}; null when skipped
     * @param baselineMs the baseline's, null when the scenario has none
     * @param ratio      library / baseline (or the ratio the target is about), null when none
     * @param unit       e.g. "ms/op", "ms per 100,000 rows", "ms total"
     * @param baseline   what the baseline is
     * @param target     the target in words
     * @param status     met, missed, info (no target) or skipped
     * @param detail     further measured facts (rows/s, duplicates, ...), or why it was skipped
     * @param extra      further fields for the JSON, in order (e.g. the spread across forks); may be empty
     */
    record Row(String name, Double libraryMs, Double baselineMs, Double ratio, String unit, String baseline,
               String target, String status, String detail, Map<String, Object> extra) {
        Row(String name, Double libraryMs, Double baselineMs, Double ratio, String unit, String baseline,
            String target, String status, String detail) {
            this(name, libraryMs, baselineMs, ratio, unit, baseline, target, status, detail, Map.of());
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> sqlCompared = new LinkedHashMap<>();
    private final Map<String, Object> machine = new LinkedHashMap<>();

    synchronized void add(Row row) {
        rows.add(row);
        Progress.line("result: " + line(row));
    }

    void machine(String key, Object value) {
        machine.put(key, value);
    }

    /** The SQL the library sent and the SQL the baseline sends, for the reader to compare. */
    void sql(String operation, String library, String baseline) {
        sqlCompared.put(operation, "library:  " + library + "\nbaseline: " + baseline);
    }

    static String status(boolean met) {
        return met ? "met" : "MISSED";
    }

    void write(Path dir) {
        write(dir, "summary", "Benchmark: resume-review-db vs raw JDBC and COPY", "Medians per operation after"
                + " warm-up; library and baseline interleaved in the same JVM on one HikariCP pool.");
    }

    /** Writes {@code <name>.md} and {@code <name>.json} into {@code dir}, and the table to stdout. */
    void write(Path dir, String name, String title, String method) {
        try {
            Files.createDirectories(dir);
            String md = markdown(title, method);
            System.out.println(md);
            Files.writeString(dir.resolve(name + ".md"), md, StandardCharsets.UTF_8);
            List<Map<String, Object>> json = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", r.name());
                o.put("library_ms", round(r.libraryMs()));
                o.put("baseline_ms", round(r.baselineMs()));
                o.put("ratio", round(r.ratio()));
                o.put("unit", r.unit());
                o.put("baseline", r.baseline());
                o.put("target", r.target());
                o.put("met", switch (r.status()) {
                    case "met" -> Boolean.TRUE;
                    case "MISSED" -> Boolean.FALSE;
                    default -> null;
                });
                o.put("status", r.status().toLowerCase(Locale.ROOT));
                r.extra().forEach(o::put);
                o.put("detail", r.detail());
                json.add(o);
            }
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("run", machine);
            whole.put("scenarios", json);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve(name + ".json").toFile(), whole);
            publish(dir, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a run with the documented settings keeps its report, beside the docs that cite it. */
    static final Path PUBLISHED = ProjectLayout.projectDir().resolve("docs").resolve("bench");

    /**
     * Copies the report to {@link #PUBLISHED} when the run used the documented settings (no {@code bench.*}
     * setting changed, at least 3 forks), so the figures the docs cite are the benchmark command's own output,
     * with the commit they ran on; a shortened run stays in {@code target/bench}.
     */
    private static void publish(Path dir, String name) throws IOException {
        Map<String, String> changed = ForkRuns.benchProperties();
        int forks = Integer.getInteger("bench.forks", 3);
        if (!changed.isEmpty() || forks < 3) {
            Progress.line(name + ": not copied to docs/bench (settings " + changed + ", " + forks + " forks)");
            return;
        }
        Files.createDirectories(PUBLISHED);
        for (String ext : List.of(".md", ".json")) {
            Files.copy(dir.resolve(name + ext), PUBLISHED.resolve(name + ext), StandardCopyOption.REPLACE_EXISTING);
        }
        Progress.line(name + ": copied to " + PUBLISHED);
    }

    private String markdown(String title, String method) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(title).append("\n\n");
        b.append("Run finished ").append(Instant.now()).append(". ").append(method).append("\n\n");
        machine.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n| scenario | library | baseline | ratio | unit | baseline is | target | status | detail |\n");
        b.append("|---|---:|---:|---:|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.name()).append(" | ").append(fmt(r.libraryMs())).append(" | ")
                    .append(fmt(r.baselineMs())).append(" | ").append(fmt(r.ratio())).append(" | ").append(r.unit())
                    .append(" | ").append(nz(r.baseline())).append(" | ").append(nz(r.target())).append(" | ")
                    .append(r.status()).append(" | ").append(nz(r.detail())).append(" |\n");
        }
        if (!sqlCompared.isEmpty()) {
            b.append("\n## SQL compared (captured from the library in this run; the baseline's text)\n\n");
            sqlCompared.forEach((op, sql) -> b.append("### ").append(op).append("\n```\n").append(sql).append("\n```\n"));
        }
        return b.toString();
    }

    private static String line(Row r) {
        return r.name() + ": library " + fmt(r.libraryMs()) + ", baseline " + fmt(r.baselineMs()) + ", ratio "
                + fmt(r.ratio()) + " " + r.unit() + " [" + r.status() + (r.target() == null ? "" : ", target " + r.target())
                + "]" + (r.detail() == null ? "" : " " + r.detail());
    }

    private static String nz(String s) {
        return s == null ? "" : s.replace("|", "\\|");
    }

    static String fmt(Double v) {
        if (v == null) {
            return "-";
        }
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    private static Double round(Double v) {
        return v == null ? null : Math.round(v * 10_000.0) / 10_000.0;
    }
}
