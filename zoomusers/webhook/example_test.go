package webhook_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
)

// A user.deactivated event as Zoom sends it, signed with the app's secret token.
func signedRequest(secret string) *http.Request {
	body := `{"event": "user.deactivated", "event_ts": 1700000000000, "payload": {"account_id": "acct-1",` +
		` "operator": "admin@example.com", "object": {"id": "z2", "email": "raj@example.com", "first_name": "Raj"}}}`
	r := httptest.NewRequest(http.MethodPost, "/zoom/events", strings.NewReader(body))
	for k, v := range webhook.Sign(secret, time.Now(), []byte(body)) {
		r.Header[k] = v
	}
	return r
}

// Mount a Handler: it verifies each request, answers Zoom's URL validation and hands
// verified events to the function.
func ExampleNewHandler() {
	const secret = "my-webhook-secret-token"
	h, err := webhook.NewHandler(func(ctx context.Context, ev *webhook.Event) error {
		switch d := ev.Data.(type) {
		case *webhook.UserDeactivated:
			fmt.Printf("%s deactivated by %s\n", d.User.Email, ev.Operator)
		}
		return nil
	}, webhook.HandlerOptions{Options: webhook.Options{Secrets: []string{secret}}})
	if err != nil {
		log.Fatal(err)
	}
	// http.Handle("POST /zoom/events", h) in a service; here, one request of each kind.
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signedRequest(secret))
	fmt.Println("answered", w.Code)

	w = httptest.NewRecorder()
	h.ServeHTTP(w, signedRequest("someone-else's-secret"))
	fmt.Println("forged request answered", w.Code)
	// Output:
	// raj@example.com deactivated by admin@example.com
	// answered 200
	// forged request answered 401
}

// Verify and parse one request in a handler of your own.
func ExampleConstructEvent() {
	r := signedRequest("my-webhook-secret-token")
	body, err := io.ReadAll(r.Body) // the raw bytes: Zoom signs them, not a re-encoding
	if err != nil {
		log.Fatal(err)
	}
	ev, err := webhook.ConstructEvent(body, r.Header, webhook.Options{Secrets: []string{"my-webhook-secret-token"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ev.Type, ev.UserID(), ev.Time.UTC().Format(time.RFC3339))
	// Output: user.deactivated z2 2023-11-14T22:13:20Z
}
