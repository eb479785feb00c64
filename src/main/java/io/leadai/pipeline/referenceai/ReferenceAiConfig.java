package io.leadai.pipeline.referenceai;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The reference AI services, for local runs and demos: on with {@code referenceai.enabled=true} (the local
 * run turns them on), trained at start-up, served on {@code referenceai.port}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "referenceai.enabled", havingValue = "true")
public class ReferenceAiConfig {

    /** Below this probability the classifier's best guess is not worth naming: the intent is "other". */
    public static final double MINIMUM_CONFIDENCE = 0.3;

    @Bean
    IntentClassifier intentClassifier() throws IOException {
        try (InputStream training = getClass().getClassLoader().getResourceAsStream("referenceai/intents-train.tsv")) {
            if (training == null) {
                throw new IllegalStateException("referenceai/intents-train.tsv is not on the classpath");
            }
            return IntentClassifier.train(training, MINIMUM_CONFIDENCE);
        }
    }

    @Bean
    EntityExtractor entityExtractor() {
        return EntityExtractor.load();
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    ReferenceAiServer referenceAiServer(IntentClassifier intents, EntityExtractor entities, ObjectMapper json,
                                        @Value("${referenceai.host:127.0.0.1}") String host,
                                        @Value("${referenceai.port:8090}") int port) throws IOException {
        return new ReferenceAiServer(host, port, intents, entities, json, 8);
    }
}
