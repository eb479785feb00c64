package io.leadai.pipeline.tracing;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Puts the trace and span id of the span an exchange is in into the MDC ({@code traceId}, {@code spanId}, as
 * Spring Boot names them) while a route step works on the exchange. Spring Boot follows the thread's current
 * span, but Camel moves an exchange between threads (parallel splits, multicasts, Kafka callbacks, delayed
 * redeliveries) where no span is current: the exchange knows its trace, the thread does not.
 */
@Component
public class SpanLogContext implements InterceptStrategy {

    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";

    private final Traces traces;

    public SpanLogContext(Traces traces) {
        this.traces = traces;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        return new InSpan(AsyncProcessorConverterHelper.convert(target));
    }

    private final class InSpan extends DelegateAsyncProcessor {

        InSpan(AsyncProcessor processor) {
            super(processor);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            TraceContext context = traces.inSpan(exchange) ? traces.current(exchange) : TraceContext.NONE;
            if (!context.isPresent()) {
                return processor.process(exchange, callback);
            }
            String traceId = MDC.get(TRACE_ID);
            String spanId = MDC.get(SPAN_ID);
            MDC.put(TRACE_ID, context.traceId());
            MDC.put(SPAN_ID, context.spanId());
            boolean sync = processor.process(exchange, doneSync -> {
                try {
                    callback.done(doneSync);
                } finally {
                    if (doneSync) {
                        restore(traceId, spanId);
                    }
                }
            });
            if (!sync) {
                // the exchange goes on elsewhere; this thread returns to what it was doing
                restore(traceId, spanId);
            }
            return sync;
        }

        private static void restore(String traceId, String spanId) {
            put(TRACE_ID, traceId);
            put(SPAN_ID, spanId);
        }

        private static void put(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
