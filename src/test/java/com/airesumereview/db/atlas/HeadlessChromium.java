package com.airesumereview.db.atlas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Test tool: Debian's headless Chromium ({@code /usr/bin/chromium}), one process per page, with a fresh profile and
 * no network chatter. Missing: the test is skipped locally and fails in CI ({@code CI=true}, set by
 * {@code .ci/run}, which installs it).
 */
final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 90;

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The browser, or a skipped (locally) or failed (CI) test. */
    static HeadlessChromium requireInstalled() {
        Optional<Path> found = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst();
        requireTool(found.isPresent(), "chromium (apt-get install chromium)");
        return new HeadlessChromium(found.get());
    }

    /** Skips locally, fails when CI=true, if {@code installed} is false. */
    static void requireTool(boolean installed, String what) {
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(what + " is missing; .ci/run installs it and CI=true requires it");
        }
        Assumptions.assumeTrue(installed, what + " is not installed; skipped (CI=true makes this a failure)");
    }

    /** The DOM after the page at {@code file} loaded. */
    String dumpDom(Path file) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", file.toUri().toString()));
    }

    /** A PNG of the page at {@code file}, {@code width} x {@code height} pixels. */
    void screenshot(Path file, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", file.toUri().toString()));
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("rrdb-chromium-");
        try {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
            command.addAll(args);
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited " + p.exitValue() + ": " + err.join());
            }
            return out.join();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
