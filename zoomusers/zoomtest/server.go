// Package zoomtest runs a fake Zoom on loopback for tests: the /v2 Users API and the
// /oauth/token endpoint, with Zoom's error codes, pagination, rate limits and fault
// injection. The API is generated from the same api/openapi.yaml as the client and sits
// behind a request validator, so a request the spec forbids gets Zoom's 400 (code 300).
//
//	srv := zoomtest.NewServer(zoomtest.WithUsers(1000))
//	defer srv.Close()
//	c, _ := zoomusers.New(srv.ClientOptions()...)
package zoomtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	middleware "github.com/oapi-codegen/nethttp-middleware"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomapi"
)

// Credentials the fake accepts for Server-to-Server OAuth.
const (
	AccountID    = "fake-account"
	ClientID     = "fake-client-id"
	ClientSecret = "fake-client-secret"
)

// Server is a fake Zoom. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server
	cfg config

	mu        sync.Mutex
	state     *state
	tokens    map[string]tokenGrant // access token -> grant
	refreshes map[string]string     // live refresh token -> user ID
	codes     map[string]string     // authorization code -> user ID
	faults    []*fault
	counts    map[string]int // operationID -> requests received
	limiter   *limiter
	seq       atomic.Int64
}

type tokenGrant struct {
	userID  string // "" for Server-to-Server tokens
	expires time.Time
}

type config struct {
	users         int
	plan          zoomusers.Plan
	tokenLifetime time.Duration
	now           func() time.Time
	rateLimits    bool
	wild          bool // WithWildAnswers
}

// Option configures a Server.
type Option func(*config)

// WithUsers seeds n users (u0@example.com ... ) besides the account owner.
func WithUsers(n int) Option { return func(c *config) { c.users = n } }

// WithPlan sets the account plan whose rate limits the fake enforces (PlanFree default).
func WithPlan(p zoomusers.Plan) Option { return func(c *config) { c.plan = p } }

// WithTokenLifetime sets how long access tokens live (an hour by default).
func WithTokenLifetime(d time.Duration) Option { return func(c *config) { c.tokenLifetime = d } }

// WithClock replaces the clock that expires tokens and page tokens.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithoutRateLimits turns rate limiting off.
func WithoutRateLimits() Option { return func(c *config) { c.rateLimits = false } }

// NewServer starts a fake Zoom on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := NewUnstarted(opts...)
	s.srv = httptest.NewServer(s.Handler())
	return s
}

// NewUnstarted returns a fake Zoom without a listener, to serve its Handler yourself.
// URL, BaseURL, TokenURL, ClientOptions and Close need a server from NewServer.
func NewUnstarted(opts ...Option) *Server {
	cfg := config{tokenLifetime: time.Hour, now: time.Now, rateLimits: true, plan: zoomusers.PlanFree}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:       cfg,
		tokens:    map[string]tokenGrant{},
		refreshes: map[string]string{},
		codes:     map[string]string{},
		counts:    map[string]int{},
	}
	s.state = newState(cfg.users, cfg.now)
	s.state.createCap = map[zoomusers.Plan]int{zoomusers.PlanFree: 50, zoomusers.PlanPro: 1500, zoomusers.PlanBusiness: 10000}[cfg.plan]
	s.limiter = newLimiter(cfg.plan, cfg.now)
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// URL is the server's root, such as http://127.0.0.1:40123.
func (s *Server) URL() string { return s.srv.URL }

// BaseURL is the API's base URL, for zoomusers.WithBaseURL.
func (s *Server) BaseURL() string { return s.srv.URL + "/v2" }

// TokenURL is the OAuth token endpoint, for zoomusers.WithTokenURL.
func (s *Server) TokenURL() string { return s.srv.URL + "/oauth/token" }

// ClientOptions are the zoomusers options that point a client at this server with its
// Server-to-Server credentials.
func (s *Server) ClientOptions() []zoomusers.Option {
	return []zoomusers.Option{
		zoomusers.WithServerToServer(AccountID, ClientID, ClientSecret),
		zoomusers.WithBaseURL(s.BaseURL()),
		zoomusers.WithTokenURL(s.TokenURL()),
	}
}

// Requests reports how many requests for operationID reached the fake's handlers (after
// authentication, validation and injected faults), so a test can prove a POST was applied once.
func (s *Server) Requests(operationID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[operationID]
}

// Handler returns the fake as an http.Handler, for mounting on a server of your own.
func (s *Server) Handler() http.Handler {
	spec, err := zoomapi.GetSpec()
	if err != nil {
		panic(fmt.Sprintf("zoomtest: embedded spec: %v", err))
	}
	spec.Servers = nil // route on paths alone; the server is mounted under /v2
	validate := middleware.OapiRequestValidatorWithOptions(spec, &middleware.Options{
		Options: openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, // checked by s.authenticate
			MultiError:         false,
		},
		SilenceServersWarning: true,
		ErrorHandlerWithOpts: func(_ context.Context, err error, w http.ResponseWriter, r *http.Request, opts middleware.ErrorHandlerOpts) {
			status := opts.StatusCode
			if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
				writeError(w, status, 0, "Not found: "+r.Method+" "+r.URL.Path)
				return
			}
			writeError(w, http.StatusBadRequest, zoomusers.CodeValidation, "Validation Failed. "+validationMessage(err))
		},
	})
	strict := zoomapi.NewStrictHandlerWithOptions(s.state, []zoomapi.StrictMiddlewareFunc{s.observe}, zoomapi.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, http.StatusBadRequest, zoomusers.CodeValidation, err.Error())
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			var ze *zoomError
			if errors.As(err, &ze) {
				ze.write(w)
				return
			}
			writeError(w, http.StatusInternalServerError, 0, err.Error())
		},
	})
	api := zoomapi.HandlerWithOptions(strict, zoomapi.StdHTTPServerOptions{
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, http.StatusBadRequest, zoomusers.CodeValidation, err.Error())
		},
	})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", s.serveToken)
	mux.Handle("/v2/", s.track(http.StripPrefix("/v2", s.authenticate(validate(s.wild(api))))))
	return s.track(mux)
}

// track gives every answer an x-zm-trackingid.
func (s *Server) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if w.Header().Get("X-Zm-Trackingid") == "" {
			w.Header().Set("X-Zm-Trackingid", fmt.Sprintf("v=2.0;clid=fake;rid=%d", s.seq.Add(1)))
		}
		next.ServeHTTP(w, r)
	})
}

type userKey struct{}

// authenticate answers Zoom's 401 (code 124) to a missing, unknown or expired token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		grant, known := s.tokens[tok]
		s.mu.Unlock()
		switch {
		case !ok || !known:
			writeError(w, http.StatusUnauthorized, zoomusers.CodeInvalidToken, "Invalid access token.")
		case !s.cfg.now().Before(grant.expires):
			writeError(w, http.StatusUnauthorized, zoomusers.CodeInvalidToken, "Access token is expired.")
		default:
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, grant.userID)))
		}
	})
}

// observe applies injected faults and rate limits, then counts the request.
func (s *Server) observe(f zoomapi.StrictHandlerFunc, goName string) zoomapi.StrictHandlerFunc {
	operationID := s.limiter.specID[goName]
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
		if s.applyFault(w, r, operationID) {
			return nil, errHandled
		}
		if s.cfg.rateLimits {
			if err := s.limiter.allow(operationID, w); err != nil {
				return nil, err
			}
		}
		s.mu.Lock()
		s.counts[operationID]++
		s.mu.Unlock()
		return f(ctx, w, r, req)
	}
}

// errHandled tells the error handler that the answer was already written.
var errHandled = &zoomError{status: 0}

// zoomError is an answer in Zoom's error shape.
type zoomError struct {
	status, code int
	message      string
	header       http.Header
}

func (e *zoomError) Error() string { return fmt.Sprintf("%d %d %s", e.status, e.code, e.message) }

func (e *zoomError) write(w http.ResponseWriter) {
	if e.status == 0 {
		return
	}
	for k, v := range e.header {
		w.Header()[k] = v
	}
	writeError(w, e.status, e.code, e.message)
}

func apiError(status, code int, format string, args ...any) *zoomError {
	return &zoomError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func writeError(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "message": message})
}

func validationMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

func randomToken(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
