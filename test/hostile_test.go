package test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// Credentials of the hostile servers' token endpoint. The secret is long and unusual so
// that a search for it in errors and logs cannot match by chance.
const (
	hostileAccount = "acct-hostile"
	hostileClient  = "client-hostile"
	hostileSecret  = "S3CRET-never-leaves-its-origin-7f3a"
)

// hostile is a loopback server playing Zoom badly: a working token endpoint unless a test
// replaces it, and an API handler each test writes. It records what it was sent.
type hostile struct {
	t   *testing.T
	srv *httptest.Server

	tokenRequests atomic.Int64
	apiRequests   atomic.Int64
	issued        atomic.Int64

	mu      sync.Mutex
	token   http.HandlerFunc
	api     http.HandlerFunc
	headers []http.Header // of every API request, in order
}

func newHostile(t *testing.T, api http.HandlerFunc) *hostile {
	t.Helper()
	if api == nil {
		api = func(w http.ResponseWriter, r *http.Request) { writeUser(w) }
	}
	h := &hostile{t: t, api: api}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		h.tokenRequests.Add(1)
		h.mu.Lock()
		token := h.token
		h.mu.Unlock()
		if token == nil {
			token = h.issueToken
		}
		token(w, r)
	})
	mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
		h.apiRequests.Add(1)
		h.mu.Lock()
		h.headers = append(h.headers, r.Header.Clone())
		api := h.api
		h.mu.Unlock()
		api(w, r)
	})
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

// issueToken is a correct Server-to-Server token endpoint.
func (h *hostile) issueToken(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if err := r.ParseForm(); err != nil || !ok || id != hostileClient || secret != hostileSecret || r.PostForm.Get("account_id") != hostileAccount {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"access_token": fmt.Sprintf("tok-%d", h.issued.Add(1)), "token_type": "bearer", "expires_in": 3600,
	})
}

func (h *hostile) setToken(f http.HandlerFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.token = f
}

// quickRetries keeps the suite fast: the retry rules are the default ones, the waits short.
var quickRetries = zoomusers.DefaultRetryPolicy{BaseDelay: 5 * time.Millisecond, MaxDelay: 5 * time.Second}

// client returns a Client of the hostile server that logs into log, when given.
func (h *hostile) client(log *bytes.Buffer, opts ...zoomusers.Option) *zoomusers.Client {
	h.t.Helper()
	all := []zoomusers.Option{
		zoomusers.WithServerToServer(hostileAccount, hostileClient, hostileSecret),
		zoomusers.WithBaseURL(h.srv.URL + "/v2"),
		zoomusers.WithTokenURL(h.srv.URL + "/oauth/token"),
		zoomusers.WithRetryPolicy(quickRetries),
	}
	if log != nil {
		all = append(all, zoomusers.WithLogger(slog.New(slog.NewTextHandler(&syncWriter{b: log}, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	c, err := zoomusers.New(append(all, opts...)...)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// syncWriter lets concurrent requests log into one buffer.
type syncWriter struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// stall blocks a handler until the client gives up or the test ends.
func stall(t *testing.T, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-t.Context().Done():
	}
}

// rawServer accepts TCP connections on loopback and hands each to serve; it counts them.
type rawServer struct {
	ln    net.Listener
	conns atomic.Int64
	wg    sync.WaitGroup
}

func newRawServer(t *testing.T, serve func(net.Conn)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				serve(c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *rawServer) url() string { return "http://" + s.ln.Addr().String() }

// within fails the test when f has not returned after limit: a generous bound that only
// a hang exceeds. It returns how long f took.
func within(t *testing.T, limit time.Duration, f func()) time.Duration {
	t.Helper()
	start := time.Now()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(limit):
		t.Fatalf("still waiting after %s: the client hangs", limit)
		return 0
	}
}

func deadline(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
