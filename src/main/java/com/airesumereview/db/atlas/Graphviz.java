package com.airesumereview.db.atlas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Lays out a graph with Graphviz's {@code dot} (Debian package {@code graphviz}), run as a process: the DOT text on
 * its standard input, SVG on its standard output.
 */
final class Graphviz {
    private static final long TIMEOUT_SECONDS = 60;

    private Graphviz() {
    }

    /** The {@code dot} executable on the PATH (or /usr/bin/dot), if installed. */
    static Optional<Path> dot() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "dot");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        Path usual = Path.of("/usr/bin/dot");
        return Files.isExecutable(usual) ? Optional.of(usual) : Optional.empty();
    }

    /** The SVG document {@code dot -Tsvg} makes of {@code graph}. */
    static String svg(String graph) {
        Path dot = dot().orElseThrow(() -> new AtlasException("Graphviz's dot is not installed (looked on the PATH"
                + " and at /usr/bin/dot); the atlas lays its diagram out with it: apt-get install graphviz"));
        try {
            Process process = new ProcessBuilder(dot.toString(), "-Tsvg").start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(graph.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AtlasException(dot + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String svg = new String(out.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || !svg.contains("<svg")) {
                throw new AtlasException(dot + " -Tsvg failed (exit " + process.exitValue() + "): "
                        + new String(err.join(), StandardCharsets.UTF_8).strip());
            }
            return svg;
        } catch (IOException e) {
            throw new AtlasException("running " + dot + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtlasException("interrupted while " + dot + " laid out the diagram", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
