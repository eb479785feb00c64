package io.leadai.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class StartupGateFilterTest {

    private final ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
    private final StartupGateFilter gate = new StartupGateFilter(availability, new ObjectMapper());

    @Test
    void beforeStartUpHasFinishedARequestIs503WithRetryAfter() throws Exception {
        MockHttpServletResponse response = send();

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(new ObjectMapper().readTree(response.getContentAsString()).get("details").get(0).get("field").asText())
                .isEqualTo("service");
    }

    @Test
    void onceAcceptingTrafficRequestsPass() throws Exception {
        readiness(ReadinessState.ACCEPTING_TRAFFIC);

        MockHttpServletResponse response = send();

        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void whileShuttingDownARequestIs503Again() throws Exception {
        readiness(ReadinessState.ACCEPTING_TRAFFIC);
        readiness(ReadinessState.REFUSING_TRAFFIC);

        assertThat(send().getStatus()).isEqualTo(503);
    }

    private void readiness(ReadinessState state) {
        availability.onApplicationEvent(new AvailabilityChangeEvent<>(new StaticApplicationContext(), state));
    }

    private MockHttpServletResponse send() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/leads");
        MockHttpServletResponse response = new MockHttpServletResponse();
        gate.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
