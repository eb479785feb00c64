package io.leadai.pipeline.referenceai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import opennlp.tools.doccat.BagOfWordsFeatureGenerator;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.doccat.NGramFeatureGenerator;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;

/**
 * The reference intent service's model: Apache OpenNLP's maximum-entropy document categorizer, trained at
 * start-up on labelled lead messages ({@code referenceai/intents-train.tsv}, {@code label<TAB>text}).
 * A text it cannot place with some confidence is {@value #OTHER}.
 */
public class IntentClassifier {

    public static final String OTHER = "other";
    private static final Pattern WORD = Pattern.compile("[a-z]+(?:'[a-z]+)?|\\d+");

    private final DoccatModel model;
    private final double minimumConfidence;

    IntentClassifier(DoccatModel model, double minimumConfidence) {
        this.model = model;
        this.minimumConfidence = minimumConfidence;
    }

    /** Trains on labelled examples, {@code label<TAB>text} per line. */
    public static IntentClassifier train(InputStream examples, double minimumConfidence) {
        try {
            List<DocumentSample> samples = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(examples, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    int tab = line.indexOf('\t');
                    if (tab > 0) {
                        samples.add(new DocumentSample(line.substring(0, tab), words(line.substring(tab + 1))));
                    }
                }
            }
            TrainingParameters parameters = TrainingParameters.defaultParams();
            parameters.put(TrainingParameters.ITERATIONS_PARAM, 300);
            parameters.put(TrainingParameters.CUTOFF_PARAM, 1);
            DoccatFactory factory = new DoccatFactory(new FeatureGenerator[] {
                    new BagOfWordsFeatureGenerator(), new NGramFeatureGenerator(2, 2)});
            DoccatModel model = DocumentCategorizerME.train("en", ObjectStreamUtils.createObjectStream(samples),
                    parameters, factory);
            return new IntentClassifier(model, minimumConfidence);
        } catch (IOException e) {
            throw new UncheckedIOException("intent training data unreadable", e);
        }
    }

    /** The most likely intent and its probability; {@value #OTHER} when nothing is likely enough. */
    public Intent classify(String text) {
        String[] words = words(text);
        if (words.length == 0) {
            return new Intent(OTHER, 0.0);
        }
        // one categorizer per call: DocumentCategorizerME is not thread-safe, and it is cheap to create
        DocumentCategorizerME categorizer = new DocumentCategorizerME(model);
        double[] outcomes = categorizer.categorize(words);
        String best = categorizer.getBestCategory(outcomes);
        double confidence = outcomes[categorizer.getIndex(best)];
        if (confidence < minimumConfidence) {
            return new Intent(OTHER, round(confidence));
        }
        return new Intent(best, round(confidence));
    }

    /** Lower-case words and numbers; everything else (punctuation, emoji, other scripts) is left out. */
    static String[] words(String text) {
        var matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        List<String> words = new ArrayList<>();
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words.toArray(String[]::new);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** An intent and its confidence, 0 to 1. */
    public record Intent(String intent, double confidence) {
    }
}
