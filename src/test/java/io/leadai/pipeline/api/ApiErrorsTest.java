package io.leadai.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class ApiErrorsTest {

    private final ApiErrors errors = new ApiErrors(new ObjectMapper());

    @Test
    void requestProblemsKeepTheirStatusEvenWhenWrapped() {
        ApiException notFound = ApiException.notFound("lead", "lead_id", "no such lead");
        assertThat(errors.classify(new RuntimeException(notFound), "r")).isSameAs(notFound);
    }

    @Test
    void unreachableBackendsAre503() {
        assertThat(errors.classify(new CannotGetJdbcConnectionException("x"), "r").status()).isEqualTo(503);
        assertThat(errors.classify(new RuntimeException(new SQLException("gone", "08006")), "r").status()).isEqualTo(503);
        assertThat(errors.classify(new TimeoutException("no metadata"), "r").body().error()).isEqualTo("kafka unavailable");
    }

    @Test
    void anythingElseIs500WithoutItsMessage() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("tenant_id", "acme");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                new SQLException("ERROR: column \"secret\" does not exist", "42703"));

        errors.respond(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("{\"error\":\"internal error\",\"details\":[]}");
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey("tenant_id");
        assertThat(List.of(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE))).containsExactly("application/json");
    }
}
