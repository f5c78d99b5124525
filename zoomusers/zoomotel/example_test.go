package zoomotel_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomotel"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// A client traced and metered through the providers a service already has; here the
// SDK's in-memory exporters stand in for OTLP ones, and zoomtest for Zoom, which fails
// the first attempt with a 503.
func Example() {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1))
	defer srv.Close()
	_ = srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Status: 503})

	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))

	opts := append(srv.ClientOptions(),
		zoomotel.New(zoomotel.WithTracerProvider(tp), zoomotel.WithMeterProvider(mp)),
		zoomusers.WithRetryPolicy(zoomusers.DefaultRetryPolicy{BaseDelay: 10 * time.Millisecond}),
	)
	client, err := zoomusers.New(opts...)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.User("u0@example.com").Get(context.Background(), nil); err != nil {
		log.Fatal(err)
	}

	for _, span := range spans.Ended() {
		fmt.Printf("span %s:", span.Name())
		for _, e := range span.Events() {
			fmt.Printf(" %s", e.Name)
		}
		fmt.Println()
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		log.Fatal(err)
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if m.Name != "zoom.client.attempts" {
			continue
		}
		for _, p := range m.Data.(metricdata.Sum[int64]).DataPoints {
			status, _ := p.Attributes.Value(attribute.Key("http.response.status_code"))
			fmt.Printf("attempts answered %d: %d\n", status.AsInt64(), p.Value)
		}
	}
	// Unordered output:
	// span user: token_fetch attempt wait attempt
	// attempts answered 503: 1
	// attempts answered 200: 1
}
