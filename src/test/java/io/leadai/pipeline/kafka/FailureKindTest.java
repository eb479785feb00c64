package io.leadai.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://ai/intent", status, "status " + status, null, Map.of(), "");
    }

    @Test
    void httpStatusesAreRejectedThrottledOrServerErrors() {
        assertThat(FailureKind.of(http(400))).isEqualTo(FailureKind.HTTP_4XX);
        assertThat(FailureKind.of(http(404))).isEqualTo(FailureKind.HTTP_4XX);
        assertThat(FailureKind.of(http(429))).isEqualTo(FailureKind.HTTP_429);
        assertThat(FailureKind.of(http(500))).isEqualTo(FailureKind.HTTP_5XX);
        assertThat(FailureKind.of(http(503))).isEqualTo(FailureKind.HTTP_5XX);
    }

    @Test
    void networkFailuresAreTimeoutsOrUnreachable() {
        assertThat(FailureKind.of(new SocketTimeoutException("Read timed out"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureKind.of(new ConnectTimeoutException("connect timed out"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureKind.of(new ConnectException("Connection refused"))).isEqualTo(FailureKind.UNREACHABLE);
        assertThat(FailureKind.of(new HttpHostConnectException("refused"))).isEqualTo(FailureKind.UNREACHABLE);
        assertThat(FailureKind.of(new NoHttpResponseException("closed"))).isEqualTo(FailureKind.UNREACHABLE);
    }

    @Test
    void theCauseDecidesNotTheWrappersAroundIt() {
        Exception wrapped = new CamelExchangeException("multicast failed", null,
                new ExecutionException(new SocketTimeoutException("Read timed out")));
        assertThat(FailureKind.of(wrapped)).isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureKind.of(new RuntimeException(new InvalidEventException("not JSON"))))
                .isEqualTo(FailureKind.INVALID_EVENT);
    }

    @Test
    void onlyWhatAnotherAttemptCanFixIsTransient() {
        assertThat(FailureKind.values()).filteredOn(FailureKind::isTransient)
                .containsExactlyInAnyOrder(FailureKind.HTTP_429, FailureKind.HTTP_5XX, FailureKind.TIMEOUT,
                        FailureKind.UNREACHABLE);
        assertThat(FailureKind.of(new IllegalStateException("unexpected"))).isEqualTo(FailureKind.OTHER);
        assertThat(FailureKind.of(null)).isEqualTo(FailureKind.OTHER);
    }

    @Test
    void tagsAreShortLowerCaseWords() {
        for (FailureKind kind : FailureKind.values()) {
            assertThat(kind.tag()).matches("[a-z0-9_]+");
        }
    }
}
