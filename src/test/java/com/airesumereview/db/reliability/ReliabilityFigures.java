package com.airesumereview.db.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Figures the reliability tests measured, written where the README's table is copied from:
 * {@code target/reliability/figures/<figure>.json} (one file per figure, so separate Maven runs add up), and after
 * every write the whole set again as {@code target/reliability/summary.json} and {@code summary.md} (figure, value,
 * seed, machine, date). A figure is written only after the assertions about it passed, so a failed run leaves the
 * previous value or none, never a value the test rejected.
 *
 * <p>{@code docs/reliability/} holds the committed copy; {@link ReadmeReliabilityFiguresTest} checks that the README
 * quotes nothing the committed copy does not hold.
 */
public final class ReliabilityFigures {
    static final String HEADER = "| figure | value | seed | machine | date |";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReliabilityFigures() {
    }

    /** Where the figures go: {@code <project>/target/reliability}. */
    static Path directory() {
        String project = System.getProperty("resume-review-db.project-dir", ".");
        return Path.of(project, "target", "reliability");
    }

    /**
     * Records one figure and rewrites the summaries.
     *
     * @param figure a stable name, e.g. {@code faults.backends_killed}
     * @param value  what was measured, as it should read in the table
     * @param seed   the random seed of the run, or null when the run has none
     * @param server the PostgreSQL version the run used, e.g. {@code PostgreSQL 15.19}
     */
    public static synchronized void record(String figure, String value, Long seed, String server) {
        ObjectNode node = JSON.createObjectNode();
        node.put("figure", figure);
        node.put("value", value);
        if (seed == null) {
            node.putNull("seed");
        } else {
            node.put("seed", seed);
        }
        node.put("machine", machine() + ", " + server);
        node.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            Path dir = directory().resolve("figures");
            Files.createDirectories(dir);
            write(dir.resolve(figure + ".json"), JSON.writeValueAsString(node) + "\n");
            List<JsonNode> all = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    all.add(JSON.readTree(p.toFile()));
                }
            }
            all.sort(Comparator.comparing(n -> n.get("figure").asText()));
            ArrayNode array = JSON.createArrayNode().addAll(all);
            write(directory().resolve("summary.json"), JSON.writeValueAsString(array) + "\n");
            write(directory().resolve("summary.md"), markdown(all));
        } catch (IOException e) {
            throw new UncheckedIOException("writing reliability figure " + figure, e);
        }
    }

    /** The Markdown table of {@code figures} (as read from summary.json), one row per figure. */
    static String markdown(List<JsonNode> figures) {
        StringBuilder md = new StringBuilder(HEADER).append('\n').append("|---|---|---|---|---|\n");
        for (JsonNode f : figures) {
            md.append("| ").append(cell(f.get("figure").asText()))
                    .append(" | ").append(cell(f.get("value").asText()))
                    .append(" | ").append(f.get("seed").isNull() ? "-" : f.get("seed").asText())
                    .append(" | ").append(cell(f.get("machine").asText()))
                    .append(" | ").append(f.get("date").asText()).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static void write(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Host name, cores, memory, OS and Java: enough to tell two machines apart, nothing secret. */
    static String machine() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        long memory = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            memory = 0;
        }
        return String.format(java.util.Locale.ROOT, "%s, %d cores, %s, %s %s, Java %s", host,
                Runtime.getRuntime().availableProcessors(),
                memory == 0 ? "memory unknown" : String.format(java.util.Locale.ROOT, "%.1f GiB", memory / 1073741824.0),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    /** {@code PostgreSQL 15.19} from {@code SHOW server_version} on {@code connection}. */
    public static String serverVersion(java.sql.Connection connection) throws java.sql.SQLException {
        try (java.sql.Statement s = connection.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1).split(" ")[0];
        }
    }

    public static String serverVersion(javax.sql.DataSource dataSource) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return serverVersion(c);
        }
    }
}
