package zoomusers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeZoom is a loopback server with a token endpoint and a programmable API.
type fakeZoom struct {
	t   *testing.T
	srv *httptest.Server

	tokenRequests atomic.Int64
	apiRequests   atomic.Int64
	tokenLifetime int // seconds
	tokenHandler  http.HandlerFunc

	mu       sync.Mutex
	api      http.HandlerFunc
	requests []*http.Request
	bodies   [][]byte
	tokens   map[string]bool
	issued   int
}

const (
	testAccount = "acct-1"
	testClient  = "client-1"
	testSecret  = "s3cret-value-never-logged"
)

func newFakeZoom(t *testing.T, api http.HandlerFunc) *fakeZoom {
	t.Helper()
	f := &fakeZoom{t: t, api: api, tokenLifetime: 3600, tokens: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", f.serveToken)
	mux.HandleFunc("/v2/", f.serveAPI)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeZoom) serveToken(w http.ResponseWriter, r *http.Request) {
	f.tokenRequests.Add(1)
	if f.tokenHandler != nil {
		f.tokenHandler(w, r)
		return
	}
	id, secret, ok := r.BasicAuth()
	if err := r.ParseForm(); err != nil || !ok || id != testClient || secret != testSecret ||
		r.PostForm.Get("grant_type") != "account_credentials" || r.PostForm.Get("account_id") != testAccount {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`)
		return
	}
	f.mu.Lock()
	f.issued++
	tok := fmt.Sprintf("tok-%d", f.issued)
	f.tokens[tok] = true
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": f.tokenLifetime, "scope": "user:read:admin"})
}

func (f *fakeZoom) serveAPI(w http.ResponseWriter, r *http.Request) {
	f.apiRequests.Add(1)
	var body []byte
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.bodies = append(f.bodies, body)
	api := f.api
	f.mu.Unlock()
	w.Header().Set("X-Zm-Trackingid", fmt.Sprintf("trk-%d", f.apiRequests.Load()))
	api(w, r)
}

// revoke makes every token issued so far invalid.
func (f *fakeZoom) revoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = map[string]bool{}
}

// authenticated answers Zoom's 401 (code 124) unless the request carries a live token.
func (f *fakeZoom) authenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.validToken(r) {
			zoomError(w, http.StatusUnauthorized, CodeInvalidToken, "Invalid access token.")
			return
		}
		next(w, r)
	}
}

func (f *fakeZoom) validToken(r *http.Request) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	auth := r.Header.Get("Authorization")
	return len(auth) > 7 && f.tokens[auth[7:]]
}

func (f *fakeZoom) baseURL() string  { return f.srv.URL + "/v2" }
func (f *fakeZoom) tokenURL() string { return f.srv.URL + "/oauth/token" }

// client returns a Server-to-Server client of f with fast retries.
func (f *fakeZoom) client(opts ...Option) *Client {
	f.t.Helper()
	base := []Option{
		WithServerToServer(testAccount, testClient, testSecret),
		WithBaseURL(f.baseURL()),
		WithTokenURL(f.tokenURL()),
		WithRetryPolicy(DefaultRetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 50 * time.Millisecond}),
	}
	c, err := New(append(base, opts...)...)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func zoomError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

func okUser(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"id": "u1", "email": "jill@example.com", "type": 2, "pmi": 3542471135})
}
