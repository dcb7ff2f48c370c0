package com.airesumereview.db.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a new JVM on this test run's classpath, e.g. with a capped heap. */
final class SeparateJvm {
    record Outcome(int exitCode, long millis, boolean timedOut, String stdoutTail, String stderrTail) {
        boolean outOfMemory() {
            return stderrTail.contains("OutOfMemoryError") || stdoutTail.contains("OutOfMemoryError");
        }
    }

    private SeparateJvm() {
    }

    /** The classpath: Surefire's real one when it runs tests through a manifest-only jar. */
    static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    static Outcome run(List<String> jvmOptions, String mainClass, List<String> args, Map<String, String> env,
                       long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(args);
        Path out = Files.createTempFile("bench-jvm", ".out");
        Path err = Files.createTempFile("bench-jvm", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            long start = System.nanoTime();
            Process p = pb.start();
            boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Outcome(finished ? p.exitValue() : -1, millis, !finished, tail(out), tail(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    }
}
