package io.leadai.pipeline.api;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Turns whatever stopped an API route into the response the caller gets. Only {@link ApiException}s
 * speak about the request; every other failure gets a fixed message, never a stack trace or SQL text.
 */
@Component("apiErrors")
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    /** Seconds a client should wait before retrying when a backing service is away. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final ObjectMapper objectMapper;

    public ApiErrors(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** Called by the api-errors route configuration with the caught exception on the exchange. */
    public void respond(Exchange exchange) throws JsonProcessingException {
        answer(exchange, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        // a failed operation commits nothing of its transaction; and a rollback that fails too (the connection
        // lost with the database) must not turn this answer into a bare 500: rollback-only-last rolls back and
        // keeps the handled answer
        if (exchange.isTransacted()) {
            exchange.setRollbackOnlyLast(true);
        }
    }

    /** The exchange's message becomes the answer to {@code failure}: status, Retry-After, JSON body. */
    void answer(Exchange exchange, Throwable failure) throws JsonProcessingException {
        ApiException error = classify(failure, exchange.getFromRouteId());
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, error.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (error.status() == 503) {
            message.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        message.setBody(objectMapper.writeValueAsString(error.body()));
    }

    ApiException classify(Throwable failure, String routeId) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (isDatabaseUnavailable(t)) {
                log.warn("Route {} answered 503: database unavailable ({})", routeId, t.toString());
                return new ApiException(503, "database unavailable", List.of());
            }
            if (t instanceof KafkaException) {
                log.warn("Route {} answered 503: Kafka unavailable ({})", routeId, t.toString());
                return new ApiException(503, "kafka unavailable", List.of());
            }
        }
        log.error("Route {} failed", routeId, failure);
        return new ApiException(500, "internal error", List.of());
    }

    private static boolean isDatabaseUnavailable(Throwable t) {
        if (t instanceof DataAccessResourceFailureException
                || t instanceof CannotCreateTransactionException
                || t instanceof SQLTransientConnectionException) {
            return true;
        }
        // SQLSTATE class 08 is "connection exception", 57P0x is "the server is shutting down"
        return t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"));
    }
}
