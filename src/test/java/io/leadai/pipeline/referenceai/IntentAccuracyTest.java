package io.leadai.pipeline.referenceai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Intent accuracy on held-out labelled lead messages (src/test/resources/referenceai/intents-heldout.tsv),
 * none of them in the training data the service ships. The figures are printed.
 */
class IntentAccuracyTest {

    @Test
    void accuracyOnHeldOutMessagesIsAtLeast085() throws IOException {
        IntentClassifier classifier;
        try (InputStream training = getClass().getResourceAsStream("/referenceai/intents-train.tsv")) {
            classifier = IntentClassifier.train(training, ReferenceAiConfig.MINIMUM_CONFIDENCE);
        }
        List<String[]> heldOut = examples("/referenceai/intents-heldout.tsv");
        Set<String> trainingTexts = new HashSet<>();
        examples("/referenceai/intents-train.tsv").forEach(e -> trainingTexts.add(e[1].trim().toLowerCase()));

        int correct = 0;
        Map<String, int[]> byIntent = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (String[] example : heldOut) {
            assertThat(trainingTexts).as("held-out message also in training: " + example[1])
                    .doesNotContain(example[1].trim().toLowerCase());
            String predicted = classifier.classify(example[1]).intent();
            int[] counts = byIntent.computeIfAbsent(example[0], k -> new int[2]);
            counts[1]++;
            if (predicted.equals(example[0])) {
                correct++;
                counts[0]++;
            } else {
                wrong.add(example[0] + " -> " + predicted + ": " + example[1]);
            }
        }
        double accuracy = (double) correct / heldOut.size();
        System.out.printf("Intent accuracy on %d held-out messages: %.3f (%d correct)%n", heldOut.size(), accuracy, correct);
        byIntent.forEach((intent, c) -> System.out.printf("  %-20s %d/%d%n", intent, c[0], c[1]));
        wrong.forEach(w -> System.out.println("  wrong: " + w));

        assertThat(heldOut.size()).isGreaterThanOrEqualTo(150);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.85);
    }

    private List<String[]> examples(String resource) throws IOException {
        List<String[]> examples = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    examples.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
                }
            }
        }
        return examples;
    }
}
