package io.leadai.pipeline.testinfra;

import java.util.concurrent.ThreadLocalRandom;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A WireMock transformer that turns a random share of a stub's answers into {@code 503}, keeping the stub's
 * delay: an overloaded AI service. Only stubs that name it are affected:
 * {@code .withTransformers(FlakyAnswers.NAME).withTransformerParameter(FlakyAnswers.FAILURE_RATE, 0.3)}.
 */
public final class FlakyAnswers implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "flaky-answers";
    public static final String FAILURE_RATE = "failure-rate";

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        double failureRate = Double.parseDouble(String.valueOf(serveEvent.getTransformerParameters().get(FAILURE_RATE)));
        ResponseDefinition answer = serveEvent.getResponseDefinition();
        if (ThreadLocalRandom.current().nextDouble() >= failureRate) {
            return answer;
        }
        return ResponseDefinitionBuilder.like(answer).but()
                .withStatus(503)
                .withBody("{\"error\": \"overloaded, try again\"}")
                .build();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
