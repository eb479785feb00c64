package io.leadai.pipeline.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class ResultEventIdTest {

    @Test
    void aRedeliveredEventsResultKeepsItsId() {
        String source = UUID.randomUUID().toString();

        assertThat(EnrichmentResults.resultEventId(source)).isEqualTo(EnrichmentResults.resultEventId(source));
    }

    @Test
    void eachSourceEventHasAResultIdOfItsOwn() {
        String source = "7f1c1a8e-2b1d-4c55-9c1e-1f0d2b9a6e01";
        String other = "7f1c1a8e-2b1d-4c55-9c1e-1f0d2b9a6e02";

        assertThat(EnrichmentResults.resultEventId(source))
                .isNotEqualTo(EnrichmentResults.resultEventId(other))
                .isNotEqualTo(UUID.fromString(source));
    }
}
