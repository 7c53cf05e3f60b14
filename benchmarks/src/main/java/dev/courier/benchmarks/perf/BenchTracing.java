package dev.courier.benchmarks.perf;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing for the template benchmark's traced variant, wired as Spring Boot's tracing auto-configuration wires
 * it for Micrometer Tracing over OpenTelemetry: W3C propagation, a {@link BatchSpanProcessor}, and an
 * {@link ObservationRegistry} whose handlers are the propagating sender and receiver handlers, then the default
 * tracing handler. The exporter only counts spans, so the cost measured is making, propagating and batching
 * them, not shipping them anywhere. Either template's observations go to it (the starter's observation
 * auto-configuration, or spring-kafka's {@code observation-enabled}).
 */
@Configuration(proxyBeanMethods = false)
class BenchTracing {

    /** The span processor's worker thread (the OpenTelemetry SDK's name), metered with the producer's. */
    static final String SPAN_PROCESSOR_THREAD = "BatchSpanProcessor_WorkerThread";

    @Bean
    CountingSpanExporter countingSpanExporter() {
        return new CountingSpanExporter();
    }

    @Bean
    SdkTracerProvider sdkTracerProvider(CountingSpanExporter exporter) {
        return SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
    }

    /** Not closed by the context: closing it would shut the tracer provider down a second time. */
    @Bean(destroyMethod = "")
    OpenTelemetrySdk openTelemetry(SdkTracerProvider tracerProvider) {
        return OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    }

    @Bean
    ObservationRegistry observationRegistry(OpenTelemetrySdk openTelemetry) {
        io.opentelemetry.api.trace.Tracer otelTracer = openTelemetry.getTracer("courier-bench");
        OtelCurrentTraceContext currentTraceContext = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(otelTracer, currentTraceContext, event -> { },
                new OtelBaggageManager(currentTraceContext, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(openTelemetry.getPropagators(), otelTracer);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        return registry;
    }

    /**
     * Runs {@code loop} inside one span (an observation opened in scope on the calling thread), as a web request
     * would wrap the sends it makes, so that each send span is its child.
     *
     * @return the trace id of that span
     */
    static String inLoopSpan(ObservationRegistry registry, Runnable loop) {
        Observation parent = Observation.start("bench.send-loop", registry);
        try (Observation.Scope scope = parent.openScope()) {
            TracingObservationHandler.TracingContext tracing =
                    parent.getContextView().getRequired(TracingObservationHandler.TracingContext.class);
            String traceId = tracing.getSpan().context().traceId();
            loop.run();
            return traceId;
        } finally {
            parent.stop();
        }
    }

    /** Drops the spans it is given, counting them. */
    static final class CountingSpanExporter implements SpanExporter {
        private final AtomicLong exported = new AtomicLong();

        long exported() {
            return exported.get();
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.addAndGet(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
