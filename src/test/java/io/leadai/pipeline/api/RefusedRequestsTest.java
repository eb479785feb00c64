package io.leadai.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.util.List;

import org.apache.catalina.connector.ClientAbortException;
import org.apache.coyote.BadRequestException;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;

class RefusedRequestsTest {

    private static MockHttpServletRequest request() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/leads");
        request.setProtocol("HTTP/1.1");
        request.addHeader("Host", "localhost:8080");
        return request;
    }

    private static String field(int status, MockHttpServletRequest request, Throwable error) {
        FieldProblem problem = RefusedRequests.problem(status, request, error);
        assertThat(problem.problem()).isNotBlank();
        return problem.field();
    }

    @Test
    void aBodyTomcatCouldNotReadIsTheBody() {
        assertThat(RefusedRequests.problem(400, request(), new ClientAbortException(new EOFException())))
                .isEqualTo(RefusedRequests.UNREADABLE_BODY);
        assertThat(RefusedRequests.problem(400, request(), new BadRequestException("Invalid chunk header")))
                .isEqualTo(RefusedRequests.UNREADABLE_BODY);
        // wrapped, as Spring's dispatcher hands it on
        assertThat(RefusedRequests.problem(400, request(),
                new IllegalStateException("dispatch failed", new BadRequestException("Invalid chunk header"))))
                .isEqualTo(RefusedRequests.UNREADABLE_BODY);
    }

    @Test
    void headerProblemsNameTheHeader() {
        MockHttpServletRequest noHost = new MockHttpServletRequest("GET", "/api/v1/leads");
        noHost.setProtocol("HTTP/1.1");
        assertThat(field(400, noHost, null)).isEqualTo("Host");
        assertThat(field(400, request(),
                new IllegalArgumentException("The character [ ] is never valid in a domain name."))).isEqualTo("Host");

        MockHttpServletRequest badLength = request();
        badLength.addHeader("Content-Length", "many");
        assertThat(field(400, badLength, null)).isEqualTo("Content-Length");

        assertThat(field(400, request(), new IllegalArgumentException(
                "The HTTP header line [bad Header: x] does not conform to RFC 7230."))).isEqualTo("headers");
    }

    @Test
    void theRequestLineAndThePath() {
        assertThat(field(400, request(), new IllegalArgumentException("Invalid character found in the HTTP protocol")))
                .isEqualTo("request line");
        // Tomcat's "Invalid URI" refusals carry no exception
        assertThat(RefusedRequests.problem(400, request(), null)).isEqualTo(RefusedRequests.PATH_NOT_ALLOWED);
        // an HTTP/1.0 request needs no Host
        MockHttpServletRequest http10 = new MockHttpServletRequest("GET", "/api/v1/leads/%2F");
        http10.setProtocol("HTTP/1.0");
        assertThat(RefusedRequests.problem(400, http10, null)).isEqualTo(RefusedRequests.PATH_NOT_ALLOWED);
    }

    @Test
    void dispatcherRefusalsNameMethodPathAndContentType() {
        assertThat(RefusedRequests.problem(405, request(),
                new HttpRequestMethodNotSupportedException("DELETE", List.of("GET", "POST"))))
                .isEqualTo(new FieldProblem("method", "must be one of GET, POST"));
        assertThat(field(405, request(), null)).isEqualTo("method");
        assertThat(RefusedRequests.problem(415, request(), new HttpMediaTypeNotSupportedException(
                MediaType.TEXT_PLAIN, List.of(MediaType.APPLICATION_JSON))))
                .isEqualTo(new FieldProblem("Content-Type", "must be application/json, was 'text/plain'"));
        assertThat(field(404, request(), null)).isEqualTo("path");
        assertThat(field(413, request(), null)).isEqualTo("body");
        assertThat(field(414, request(), null)).isEqualTo("path");
        assertThat(field(431, request(), null)).isEqualTo("headers");
        assertThat(field(408, request(), null)).isEqualTo("request");
    }
}
