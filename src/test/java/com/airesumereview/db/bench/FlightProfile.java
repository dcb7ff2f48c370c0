package com.airesumereview.db.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time of each side goes, from the first fork's flight recording ({@code -Dbench.jfr=true}):
 * {@code jdk.ExecutionSample} events (the JDK's "profile" settings with Java sampling every 1 ms instead of
 * 10 ms, see {@link #settingsFile}) of the measuring thread that fall inside a
 * {@link SteadyStateComparison.MeasuredBatch}, grouped by scenario and side. Each sample is charged to the layer of its first frame outside the JDK (java.*, jdk.*,
 * sun.*), so that e.g. a HashMap lookup done for jOOQ counts as jOOQ. Also counts, per layer, the share of
 * samples with that layer anywhere on the stack. Writes {@code target/bench/profile.md}, with the allocation per
 * call of every side (machine-independent) from the fork results.
 */
final class FlightProfile {
    private static final List<String> LAYERS = List.of("jOOQ", "pgJDBC", "HikariCP", "Jackson", "library (own code)",
            "benchmark harness / JDBC baseline code", "other");
    private static final int TOP = 25;

    private FlightProfile() {
    }

    private record Batch(long thread, Instant start, Instant end, String key) {
    }

    private static final class Tally {
        long samples;
        final Map<String, Long> charged = new HashMap<>();
        final Map<String, Long> onStack = new HashMap<>();
        final Map<String, Long> frames = new HashMap<>();
        double batchMillis;
        long batches;
    }

    static void write(Path recording, Map<String, List<JsonNode>> rows, Path out, String commit) throws IOException {
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<Batch> batches = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("resumereviewdb.bench.MeasuredBatch")) {
                batches.add(new Batch(e.getThread().getJavaThreadId(), e.getStartTime(), e.getEndTime(),
                        e.getString("scenario") + "\u0000" + e.getString("side")));
            }
        }
        batches.sort(Comparator.comparing(Batch::start));
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (Batch b : batches) {
            Tally t = tallies.computeIfAbsent(b.key(), k -> new Tally());
            t.batchMillis += (b.end().toEpochMilli() - b.start().toEpochMilli());
            t.batches++;
        }
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            long thread = e.getThread("sampledThread").getJavaThreadId();
            Batch b = find(batches, thread, e.getStartTime());
            RecordedStackTrace stack = e.getStackTrace();
            if (b == null || stack == null) {
                continue;
            }
            Tally t = tallies.get(b.key());
            t.samples++;
            List<RecordedFrame> frames = stack.getFrames();
            String charged = "other";
            String chargedFrame = frames.isEmpty() ? "?" : name(frames.get(0));
            for (RecordedFrame f : frames) {
                String layer = layer(f.getMethod().getType().getName());
                if (layer != null) {
                    charged = layer;
                    chargedFrame = name(f);
                    break;
                }
            }
            t.charged.merge(charged, 1L, Long::sum);
            t.frames.merge(chargedFrame, 1L, Long::sum);
            Set<String> present = new LinkedHashSet<>();
            for (RecordedFrame f : frames) {
                String layer = layer(f.getMethod().getType().getName());
                if (layer != null) {
                    present.add(layer);
                }
            }
            present.forEach(l -> t.onStack.merge(l, 1L, Long::sum));
        }
        Files.writeString(out, markdown(tallies, rows, commit, recording), StandardCharsets.UTF_8);
    }

    /**
     * The JDK's {@code lib/jfr/profile.jfc} with Java execution sampled every 1 ms (instead of 10 ms): a
     * single-row call costs tens of microseconds of client CPU, so 10 ms sampling leaves too few samples.
     */
    static Path settingsFile(Path dir) throws IOException {
        Path jdk = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
        String profile = Files.readString(jdk, StandardCharsets.UTF_8);
        String sampling = "<setting name=\"period\" control=\"method-sampling-java-interval\">";
        int at = profile.indexOf(sampling);
        if (at < 0) {
            return jdk; // another JDK's layout: its own profile settings still work, with fewer samples
        }
        int end = profile.indexOf("</setting>", at);
        Path out = dir.resolve("bench-profile.jfc");
        Files.writeString(out, profile.substring(0, at + sampling.length()) + "1 ms" + profile.substring(end),
                StandardCharsets.UTF_8);
        return out;
    }

    private static Batch find(List<Batch> batches, long thread, Instant at) {
        int lo = 0;
        int hi = batches.size() - 1;
        int found = -1;
        while (lo <= hi) { // last batch starting at or before 'at'
            int mid = (lo + hi) >>> 1;
            if (!batches.get(mid).start().isAfter(at)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        Batch b = batches.get(found);
        return b.thread() == thread && !at.isAfter(b.end()) ? b : null;
    }

    /** The layer of a class, or null for the JDK (whose work is charged to the first caller outside it). */
    private static String layer(String type) {
        if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("javax.")) {
            return null;
        }
        if (type.startsWith("org.jooq.")) {
            return "jOOQ";
        }
        if (type.startsWith("org.postgresql.")) {
            return "pgJDBC";
        }
        if (type.startsWith("com.zaxxer.hikari.")) {
            return "HikariCP";
        }
        if (type.startsWith("com.fasterxml.jackson.")) {
            return "Jackson";
        }
        if (type.startsWith("com.airesumereview.db.bench.")) {
            return "benchmark harness / JDBC baseline code";
        }
        if (type.startsWith("com.airesumereview.db.")) {
            return "library (own code)";
        }
        return "other";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String markdown(Map<String, Tally> tallies, Map<String, List<JsonNode>> rows, String commit,
                                   Path recording) {
        StringBuilder b = new StringBuilder();
        b.append("# Where the library's time goes (measured)\n\n");
        b.append("Commit ").append(commit).append(", ").append(Instant.now()).append(". Flight recording of fork 1 (")
                .append(recording.getFileName()).append(", the JDK profile settings with Java execution sampled every 1 ms per")
                .append(" thread). Only samples of the measuring thread inside timed batches count. A sample is")
                .append(" charged to the first frame outside the JDK on its stack; 'on stack' counts samples with the")
                .append(" layer anywhere on the stack. Samples cover Java execution only: time waiting for")
                .append(" PostgreSQL (socket reads) is not sampled, so the shares are shares of the client-side CPU")
                .append(" work. Allocation (bytes per call, mean of the timed calls, median over forks) is counted by")
                .append(" the JVM per thread and does not depend on machine load.\n\n");
        b.append("| scenario | side | bytes/call | samples | samples per 1,000 calls |");
        LAYERS.forEach(l -> b.append(' ').append(l).append(" |"));
        b.append(" on stack: jOOQ | on stack: pgJDBC |\n|---|---|---:|---:|---:|");
        LAYERS.forEach(l -> b.append("---:|"));
        b.append("---:|---:|\n");
        Map<String, Long> libraryFrames = new HashMap<>();
        tallies.forEach((key, t) -> {
            String[] parts = key.split("\u0000");
            String scenario = parts[0];
            String side = parts[1];
            List<JsonNode> r = rows.getOrDefault(scenario, List.of());
            double bytes = r.isEmpty() ? Double.NaN : LibraryVsJdbcBenchmarkTest.median(r.stream()
                    .mapToDouble(n -> n.path(side + "_bytes_per_op").asDouble()).toArray());
            long calls = r.isEmpty() ? 0 : r.get(0).path("measured_calls_per_side").asLong();
            b.append("| ").append(scenario).append(" | ").append(side).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", bytes)).append(" | ").append(t.samples).append(" | ")
                    .append(calls == 0 ? "-" : String.format(Locale.ROOT, "%.1f", 1000.0 * t.samples / calls)).append(" |");
            for (String l : LAYERS) {
                b.append(' ').append(pct(t.charged.getOrDefault(l, 0L), t.samples)).append(" |");
            }
            b.append(' ').append(pct(t.onStack.getOrDefault("jOOQ", 0L), t.samples)).append(" | ")
                    .append(pct(t.onStack.getOrDefault("pgJDBC", 0L), t.samples)).append(" |\n");
            if (side.equals("library")) {
                t.frames.forEach((f, n) -> libraryFrames.merge(f, n, Long::sum));
            }
        });
        long total = libraryFrames.values().stream().mapToLong(Long::longValue).sum();
        b.append("\n## The library side's samples by charged frame (all scenarios, top ").append(TOP).append(")\n\n");
        b.append("| frame (first outside the JDK) | samples | share |\n|---|---:|---:|\n");
        libraryFrames.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> b.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" | ")
                        .append(pct(e.getValue(), total)).append(" |\n"));
        return b.toString();
    }

    private static String pct(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
    }
}
