package zoomusers_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// optionsZoom stands in for Zoom in the per-call option examples: it answers with the
// rate-limit headers Zoom sends, prints the X-Request-Source header it gets, and
// answers every POST /users with a per-second 429.
func optionsZoom() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token": "example", "token_type": "bearer", "expires_in": 3600}`)
	})
	mux.HandleFunc("GET /v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		if src := r.Header.Get("X-Request-Source"); src != "" {
			fmt.Println("server got X-Request-Source:", src)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Zm-Trackingid", "v=2.0;clid=us05;rid=EX-2")
		w.Header().Set("X-RateLimit-Category", "Light")
		w.Header().Set("X-RateLimit-Type", "QPS")
		w.Header().Set("X-RateLimit-Limit", "30")
		w.Header().Set("X-RateLimit-Remaining", "29")
		fmt.Fprintf(w, `{"id": "z1", "email": %q, "type": 2, "cost_center": "EMEA-7"}`, r.PathValue("id"))
	})
	mux.HandleFunc("POST /v2/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Type", "QPS")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"code": 429, "message": "You have reached the maximum per-second rate limit for this API."}`)
	})
	return httptest.NewServer(mux)
}

// Read the rate-limit headers, tracking ID and raw body of a successful call. The same
// Response is filled in when the call fails.
func ExampleWithResponseInto() {
	zoom := optionsZoom()
	defer zoom.Close()
	c := exampleClient(zoom)

	var resp zoomusers.Response
	if _, err := c.User("jill@example.com").Get(context.Background(), nil, zoomusers.WithResponseInto(&resp)); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, resp.TrackingID)
	fmt.Printf("%s: %d of %d left this second\n", resp.RateLimit.Category, resp.RateLimit.Remaining, resp.RateLimit.Limit)
	fmt.Println(string(resp.Body)) // keys the model does not declare are here too
	// Output:
	// 200 v=2.0;clid=us05;rid=EX-2
	// Light: 29 of 30 left this second
	// {"id": "z1", "email": "jill@example.com", "type": 2, "cost_center": "EMEA-7"}
}

// Send a header with one call only; WithHeader given to New sends it with every call.
func ExampleWithHeader() {
	zoom := optionsZoom()
	defer zoom.Close()
	c := exampleClient(zoom)

	ctx := context.Background()
	if _, err := c.User("jill@example.com").Get(ctx, nil, zoomusers.WithHeader("X-Request-Source", "nightly-audit")); err != nil {
		log.Fatal(err)
	}
	if _, err := c.User("raj@example.com").Get(ctx, nil); err != nil { // sent without it
		log.Fatal(err)
	}
	// Output:
	// server got X-Request-Source: nightly-audit
}

// Turn retries off for one POST: the call returns Zoom's first answer, while the
// client's other calls keep its retry policy (a per-second 429 is retried by default,
// for POST too).
func ExampleWithRetryPolicy() {
	zoom := optionsZoom()
	defer zoom.Close()
	c := exampleClient(zoom)

	var resp zoomusers.Response
	_, err := c.CreateUser(context.Background(),
		zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate, UserInfo: zoomusers.NewUser{Email: "new@example.com", Type: zoomusers.UserTypeBasic}},
		zoomusers.WithRetryPolicy(zoomusers.NoRetries),
		zoomusers.WithResponseInto(&resp),
	)
	fmt.Println(errors.Is(err, zoomusers.ErrRateLimited), resp.StatusCode, "after", resp.Attempts, "attempt")
	// Output:
	// true 429 after 1 attempt
}

// Bound the body of one call's answer more tightly than the client's default (32 MiB):
// a longer answer fails with ErrResponseTooLarge instead of being read into memory. The
// client's other calls keep its bound.
func ExampleWithMaxResponseBytes() {
	zoom := optionsZoom()
	defer zoom.Close()
	c := exampleClient(zoom)

	ctx := context.Background()
	_, err := c.User("jill@example.com").Get(ctx, nil, zoomusers.WithMaxResponseBytes(16))
	fmt.Println(errors.Is(err, zoomusers.ErrResponseTooLarge))
	u, err := c.User("jill@example.com").Get(ctx, nil) // the client's bound
	fmt.Println(u.GetEmail(), err)
	// Output:
	// true
	// jill@example.com <nil>
}
