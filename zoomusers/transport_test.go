package zoomusers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// answering is a loopback API that answers every request with status and body, and
// records the requests' headers.
func answering(t *testing.T, status int, contentType, body string) (*zoomusers.Client, func() []http.Header) {
	t.Helper()
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := zoomusers.New(zoomusers.WithAccessToken("t"), zoomusers.WithBaseURL(srv.URL), zoomusers.WithRetryPolicy(zoomusers.NoRetries),
		zoomusers.WithMaxResponseBytes(int64(max(len(body), 1)))) // exactly the body: see TestAnswerOfExactlyTheLimit
	if err != nil {
		t.Fatal(err)
	}
	return c, func() []http.Header { mu.Lock(); defer mu.Unlock(); return seen }
}

func TestOptionsRefuseWhatCannotWork(t *testing.T) {
	for name, opt := range map[string]zoomusers.Option{
		"pacing share 0":       zoomusers.WithPacing(zoomusers.PlanPro, 0),
		"pacing share over 1":  zoomusers.WithPacing(zoomusers.PlanPro, 1.01),
		"a base URL not HTTP":  zoomusers.WithBaseURL("ftp://api.zoom.us/v2"),
		"a base URL, no host":  zoomusers.WithBaseURL("https:///v2"),
		"a base URL unparsed":  zoomusers.WithBaseURL("http://[::1"),
		"a token URL not HTTP": zoomusers.WithTokenURL("zoom.us/oauth/token"),
	} {
		if _, err := zoomusers.New(zoomusers.WithAccessToken("t"), opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for name, opt := range map[string]zoomusers.Option{
		"the whole account's share": zoomusers.WithPacing(zoomusers.PlanPro, 1),
		"an https base URL":         zoomusers.WithBaseURL("https://eu01api-www4local.zoom.us/v2"),
		"an http base URL":          zoomusers.WithBaseURL("http://127.0.0.1:8099/v2"),
	} {
		if _, err := zoomusers.New(zoomusers.WithAccessToken("t"), opt); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestRequestsAskForJSON(t *testing.T) {
	c, seen := answering(t, 200, "application/json", `{"total_users_count":1}`)
	if _, err := c.Summary(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h := seen(); len(h) != 1 || h[0].Get("Accept") != "application/json" || h[0].Get("Authorization") != "Bearer t" {
		t.Errorf("request headers: %v", h)
	}
}

// Only 2xx is success: a 300 is an error, whatever its body.
func TestStatus300IsAnError(t *testing.T) {
	c, _ := answering(t, 300, "application/json", `{"code":300,"message":"Multiple choices."}`)
	_, err := c.Summary(context.Background())
	var zerr *zoomusers.Error
	if !errors.As(err, &zerr) || zerr.StatusCode != 300 || zerr.Message != "Multiple choices." {
		t.Errorf("a 300 answer: %v", err)
	}
}

// An answer of exactly WithMaxResponseBytes is read whole.
func TestAnswerOfExactlyTheLimit(t *testing.T) {
	c, _ := answering(t, 200, "application/json", `{"licensed_users_count":7,"total_users_count":12}`)
	s, err := c.Summary(context.Background())
	if err != nil || *s.TotalUsersCount != 12 {
		t.Errorf("an answer of exactly the limit: %+v, %v", s, err)
	}
}

func TestErrorBodies(t *testing.T) {
	ctx := context.Background()
	var zerr *zoomusers.Error

	c, _ := answering(t, 502, "", "")
	if _, err := c.Summary(ctx); !errors.As(err, &zerr) || zerr.Body != nil || zerr.Message != "empty body" {
		t.Errorf("an empty 502: %#v", err)
	}
	c, _ = answering(t, 400, "application/json", `{"code":300,"message":"Bad."}`)
	if _, err := c.Summary(ctx); !errors.As(err, &zerr) || string(zerr.Body) != `{"code":300,"message":"Bad."}` {
		t.Errorf("a short error body is kept whole: %#v", err)
	}
	long := `{"code":300,"message":"` + strings.Repeat("x", 5000) + `"}`
	c, _ = answering(t, 400, "application/json", long)
	if _, err := c.Summary(ctx); !errors.As(err, &zerr) || string(zerr.Body) != long[:4096] {
		t.Errorf("a long error body keeps its first 4 KiB: %d bytes", len(zerr.Body))
	}
	// A non-JSON body is described by its start: 120 characters whole, more cut with "…".
	exact := strings.Repeat("e", 120)
	c, _ = answering(t, 502, "text/html", exact)
	if _, err := c.Summary(ctx); !errors.As(err, &zerr) || zerr.Message != "non-JSON body (text/html): "+exact {
		t.Errorf("a 120-character HTML body: %q", zerr.Message)
	}
	c, _ = answering(t, 502, "text/html", exact+"f")
	if _, err := c.Summary(ctx); !errors.As(err, &zerr) || zerr.Message != "non-JSON body (text/html): "+exact+"…" {
		t.Errorf("a 121-character HTML body: %q", zerr.Message)
	}
}

func TestNotFoundByStatusOrCode(t *testing.T) {
	for _, tc := range []struct {
		err  zoomusers.Error
		want bool
	}{
		{zoomusers.Error{StatusCode: 404}, true},
		{zoomusers.Error{StatusCode: 400, Code: 1001}, true}, // Zoom has sent 1001 with 400
		{zoomusers.Error{StatusCode: 400, Code: 300}, false},
		{zoomusers.Error{StatusCode: 409, Code: 1005}, false},
	} {
		if got := errors.Is(&tc.err, zoomusers.ErrNotFound); got != tc.want {
			t.Errorf("status %d code %d is ErrNotFound: %v, want %v", tc.err.StatusCode, tc.err.Code, got, tc.want)
		}
	}
}
