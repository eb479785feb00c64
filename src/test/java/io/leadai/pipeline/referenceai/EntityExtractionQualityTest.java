package io.leadai.pipeline.referenceai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Entity precision and recall on annotated lead messages (src/test/resources/referenceai/entities-annotated.jsonl),
 * scored on exact type and value. The figures are printed.
 */
class EntityExtractionQualityTest {

    private static final EntityExtractor EXTRACTOR = EntityExtractor.load();

    @Test
    void precisionAndRecallOnAnnotatedMessagesAreAtLeast085() throws IOException {
        ObjectMapper json = new ObjectMapper();
        int truePositives = 0;
        int predicted = 0;
        int expected = 0;
        int messages = 0;
        TreeMap<String, int[]> byType = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/referenceai/entities-annotated.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                messages++;
                JsonNode example = json.readTree(line);
                String text = example.get("text").asText();
                Set<String> gold = new HashSet<>();
                example.get("entities").forEach(e -> gold.add(e.get("type").asText() + "=" + e.get("value").asText()));
                Set<String> found = new HashSet<>();
                EXTRACTOR.extract(text).forEach(e -> found.add(e.type() + "=" + e.value()));
                for (String entity : found) {
                    int[] counts = byType.computeIfAbsent(entity.substring(0, entity.indexOf('=')), t -> new int[3]);
                    counts[1]++;
                    if (gold.contains(entity)) {
                        truePositives++;
                        counts[0]++;
                    } else {
                        misses.add("extra   " + entity + "   in: " + text);
                    }
                }
                for (String entity : gold) {
                    byType.computeIfAbsent(entity.substring(0, entity.indexOf('=')), t -> new int[3])[2]++;
                    if (!found.contains(entity)) {
                        misses.add("missed  " + entity + "   in: " + text);
                    }
                }
                predicted += found.size();
                expected += gold.size();
            }
        }
        double precision = (double) truePositives / predicted;
        double recall = (double) truePositives / expected;
        System.out.printf("Entity extraction on %d annotated messages: precision %.3f (%d/%d), recall %.3f (%d/%d)%n",
                messages, precision, truePositives, predicted, recall, truePositives, expected);
        byType.forEach((type, c) -> System.out.printf("  %-9s precision %.2f  recall %.2f  (%d expected)%n", type,
                c[1] == 0 ? 1.0 : (double) c[0] / c[1], c[2] == 0 ? 1.0 : (double) c[0] / c[2], c[2]));
        misses.forEach(m -> System.out.println("  " + m));

        assertThat(messages).isGreaterThanOrEqualTo(60);
        assertThat(precision).isGreaterThanOrEqualTo(0.85);
        assertThat(recall).isGreaterThanOrEqualTo(0.85);
    }
}
