package com.airesumereview.db.bench;

import com.airesumereview.db.testing.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * Progress lines. Surefire sends a test's stdout to target/surefire-reports/*-output.txt, so the lines also go
 * to target/bench/progress.log, which {@code tail -f} can follow while the run goes on.
 */
final class Progress {
    static final Path DIR = ProjectLayout.projectDir().resolve("target").resolve("bench");
    private static final Path LOG = DIR.resolve("progress.log");

    private Progress() {
    }

    static synchronized void line(String text) {
        String line = LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + text;
        System.out.println("[bench] " + line);
        try {
            Files.createDirectories(DIR);
            Files.writeString(LOG, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void reset() {
        try {
            Files.deleteIfExists(LOG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The load average (1, 5, 15 min), for the machine section of a report. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(java.util.Locale.ROOT, "%.2f (1 min)",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** The commit the benchmark ran on ({@code git describe --always --dirty}). */
    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "-C", ProjectLayout.projectDir().toString(), "describe", "--always",
                    "--dirty", "--abbrev=12").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "unknown (git: " + out + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
