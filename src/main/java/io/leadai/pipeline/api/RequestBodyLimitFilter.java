package io.leadai.pipeline.api;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the configured size with 413 before any of the body reaches a route, and JSON
 * bodies that are not UTF-8 with 400: the servlet container would otherwise decode them into other text than
 * was sent (or fail half-way). A body is read up to the limit and handed on from memory, as bytes and as text.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final int maxBytes;
    private final ObjectMapper objectMapper;

    public RequestBodyLimitFilter(int maxBytes, ObjectMapper objectMapper) {
        this.maxBytes = maxBytes;
        this.objectMapper = objectMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(response, 413, "request body too large",
                    new FieldProblem("body", "must be at most " + maxBytes + " bytes"));
            return;
        }
        if (declared == 0 || declared < 0 && request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            refuse(response, 413, "request body too large",
                    new FieldProblem("body", "must be at most " + maxBytes + " bytes"));
            return;
        }
        String problem = isJson(request.getContentType()) ? utf8Problem(body) : null;
        if (problem != null) {
            refuse(response, 400, "malformed JSON", new FieldProblem("body", problem));
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private static boolean isJson(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/json");
    }

    /** Why the bytes are not UTF-8 (overlong forms and encoded surrogates included), or null. */
    static String utf8Problem(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(body);
        try {
            decoder.decode(bytes);
            return null;
        } catch (MalformedInputException e) {
            return "is not valid UTF-8 (at byte " + bytes.position() + ")";
        } catch (CharacterCodingException e) {
            return "is not valid UTF-8";
        }
    }

    private void refuse(HttpServletResponse response, int status, String error, FieldProblem problem)
            throws IOException {
        // the rest of a refused body is not worth reading: close the connection after answering
        response.setHeader("Connection", "close");
        ServletErrors.write(response, objectMapper, status, error, problem);
    }

    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        /** The body as text: JSON is UTF-8, whatever charset the request declares (JsonRequests refuses others). */
        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return available() == 0;
                }

                @Override
                public int available() {
                    try {
                        return in.available();
                    } catch (IOException e) {
                        return 0;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }
    }
}
