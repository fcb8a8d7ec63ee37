package org.langevin.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Maps {@link Results} to and from {@code results.json} with Jackson, pretty printed. Record
 * components are the JSON keys; a non-finite number is written as {@code null} ({@link FiniteJson}) and
 * read back as NaN (the strings "NaN" and "Infinity" of older files are read too). Unknown keys are ignored
 * on reading, so files written by later versions still load. In the free-form {@code spec} and
 * {@code theory} maps, numbers come back as Integer, Long or Double according to their JSON text.
 *
 * <p>Stateless (one shared, thread-safe mapper); thread-safe.
 */
public final class ResultsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(FiniteJson.module());

    private ResultsJson() {
    }

    /**
     * @param results the results
     * @return the pretty-printed JSON text
     */
    public static String toJson(Results results) {
        try {
            return MAPPER.writeValueAsString(results);
        } catch (IOException e) {
            throw new IllegalStateException("results could not be written as JSON", e);
        }
    }

    /**
     * @param json JSON text as written by {@link #toJson}
     * @return the results
     * @throws IOException if the text is not valid results JSON
     */
    public static Results fromJson(String json) throws IOException {
        return MAPPER.readValue(json, Results.class);
    }

    /**
     * Writes {@code results.json} (via a temporary file moved into place; an existing file is replaced).
     *
     * @param file destination
     * @param results the results
     * @throws IOException if writing fails
     */
    public static void write(Path file, Results results) throws IOException {
        write(file, results, java.util.Map.of());
    }

    /**
     * Writes {@code results.json} with more top-level keys after those of {@link Results} (e.g. {@code series}).
     *
     * @param file destination
     * @param results the results
     * @param more extra top-level keys and values, in order
     * @throws IOException if writing fails
     */
    public static void write(Path file, Results results, java.util.Map<String, Object> more) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            if (more.isEmpty()) {
                MAPPER.writeValue(tmp.toFile(), results);
            } else {
                com.fasterxml.jackson.databind.node.ObjectNode node = MAPPER.valueToTree(results);
                for (var e : more.entrySet()) {
                    node.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
                }
                MAPPER.writeValue(tmp.toFile(), node);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a {@code results.json}.
     *
     * @param file the file
     * @return the results
     * @throws IOException if reading or parsing fails
     */
    public static Results read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), Results.class);
    }
}
