package io.leadai.pipeline.testinfra;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

/**
 * One test's answers of the WireMock AI services ({@link TestInfrastructure#aiServices()}): they match only
 * request texts that contain the test's marker, so tests sharing the server never answer each other.
 */
public final class AiServiceStubs implements AutoCloseable {

    private final WireMockServer ai = TestInfrastructure.aiServices();
    private final List<StubMapping> stubs = new ArrayList<>();
    private final String marker = "run " + UUID.randomUUID();

    /** Put this in every text the stubs should answer. */
    public String marker() {
        return marker;
    }

    /** A POST to {@code path} whose text contains {@code textPart} (the marker, or more of the text). */
    public MappingBuilder request(String path, String textPart) {
        return post(path).withRequestBody(matchingJsonPath("$.text", containing(textPart)));
    }

    public void stub(MappingBuilder mapping) {
        stubs.add(ai.stubFor(mapping));
    }

    /** Both services answer these bodies for every text with the marker. */
    public void answer(String intentJson, String entitiesJson) {
        stub(request("/intent", marker).willReturn(okJson(intentJson)));
        stub(request("/entities", marker).willReturn(okJson(entitiesJson)));
    }

    @Override
    public void close() {
        stubs.forEach(ai::removeStub);
        stubs.clear();
    }
}
