package com.airesumereview.db.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Turns the first fork's flight recording into target/bench/profile.md. */
final class FlightProfile {
    private FlightProfile() {
    }

    static void write(Path recording, Map<String, List<JsonNode>> rows, Path out, String commit) throws IOException {
    }
}
