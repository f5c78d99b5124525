// Package zoomtest runs a fake Zoom on loopback for tests: the /v2 Users API and the
// /oauth/token endpoint. The API is generated from the same api/openapi.yaml as the client
// and sits behind a request validator, so a request the spec forbids gets Zoom's 400
// (code 300, "Validation Failed." and the fields). Beyond the spec it refuses what Zoom
// refuses, with Zoom's codes, and enforces the limits of the account's plan (Pro unless
// WithPlan says otherwise) with Zoom's rate-limit headers.
//
//	srv := zoomtest.NewServer(zoomtest.WithUsers(1000))
//	defer srv.Close()
//	c, _ := zoomusers.New(srv.ClientOptions()...)
//
// Tests check the effect of a write with the read-back API (UserState, Deletion,
// Requests) and provoke failures with Inject and InjectEvery.
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

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	middleware "github.com/oapi-codegen/nethttp-middleware"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
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
	counts    map[zoomusers.OperationID]int // requests that reached a handler
	deleting  map[string]bool               // users with a DELETE in flight
	limiter   *limiter
	seq       atomic.Int64
	snap      *Snapshot // WithSnapshot's capture, or nil
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
	wild          bool   // WithWildAnswers
	snapshot      string // WithSnapshot (snapshot.go)
	// WithWebhook and its kin (webhooks.go)
	hooks hookConfig
}

// Option configures a Server.
type Option func(*config)

// WithUsers seeds n active users besides the account owner: u0@example.com,
// u1@example.com, ... named User0 Example, User1 Example, ...; every third (u0, u3, u6, ...)
// is licensed and the others basic. Seeded users cost no settings until their settings are
// read or written, so 100,000 of them are cheap.
func WithUsers(n int) Option { return func(c *config) { c.users = n } }

// DefaultPlan is the account plan the fake enforces unless WithPlan says otherwise: Pro,
// the smallest paid plan, whose limits most production accounts meet or exceed. The
// standalone command cmd/zoomtest uses the same default.
const DefaultPlan = zoomusers.PlanPro

// WithPlan sets the account plan whose rate limits and daily caps the fake enforces
// (DefaultPlan, Pro, when not given). Free also refuses what Zoom keeps for paid accounts,
// such as assistants.
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
	cfg := config{tokenLifetime: time.Hour, now: time.Now, rateLimits: true, plan: DefaultPlan}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:       cfg,
		tokens:    map[string]tokenGrant{},
		refreshes: map[string]string{},
		codes:     map[string]string{},
		counts:    map[zoomusers.OperationID]int{},
		deleting:  map[string]bool{},
	}
	s.state = newState(cfg.users, cfg.plan, cfg.now)
	if cfg.snapshot != "" {
		snap, err := ReadSnapshot(cfg.snapshot)
		if err != nil {
			panic(err.Error())
		}
		s.snap = snap
		s.state.seedSnapshot(snap)
	}
	s.limiter = newLimiter(cfg.plan, cfg.now)
	s.state.hooks = newHooks(cfg.hooks, cfg.now)
	return s
}

// Close shuts the server down (a NewUnstarted server: its webhook deliveries) and waits
// for its deliveries to stop.
func (s *Server) Close() {
	if s.srv != nil {
		s.srv.Close() // first: it waits for requests in flight, which may queue events
	}
	s.state.hooks.close()
}

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

// Requests reports how many requests for op reached the fake's handlers (after
// authentication, validation, injected faults and rate limits), so a test can prove a POST
// was applied once. An unknown op has had no requests.
func (s *Server) Requests(op zoomusers.OperationID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[op]
}

// Handler returns the fake as an http.Handler, for mounting on a server of your own.
func (s *Server) Handler() http.Handler {
	spec, err := zoomserver.GetSpec()
	if err != nil {
		panic(fmt.Sprintf("zoomtest: embedded spec: %v", err))
	}
	spec.Servers = nil // route on paths alone; the server is mounted under /v2
	validate := middleware.OapiRequestValidatorWithOptions(spec, &middleware.Options{
		Options: openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, // checked by s.authenticate
			MultiError:         true,                                  // Zoom names every bad field at once
			// Handlers see what the client sent; they apply Zoom's defaults themselves,
			// where a default and an absent value differ (presence duration).
			SkipSettingDefaults: true,
			// The spec's formats are checked as Zoom checks them (kin-openapi leaves email alone).
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.WithStringFormatValidator("email", openapi3.NewCallbackValidator(checkEmail)),
			},
		},
		SilenceServersWarning: true,
		ErrorHandlerWithOpts: func(_ context.Context, err error, w http.ResponseWriter, r *http.Request, opts middleware.ErrorHandlerOpts) {
			status := opts.StatusCode
			if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
				// Evidence: none documented for the code (Zoom's errors page, developers.zoom.us/docs/api/errors,
				// gives 404 for what does not exist); kept: a route the spec lacks cannot be served.
				writeError(w, status, 0, "Not found: "+r.Method+" "+r.URL.Path, nil)
				return
			}
			requestError(err).write(w)
		},
	})
	strict := zoomserver.NewStrictHandlerWithOptions(s.state, []zoomserver.StrictMiddlewareFunc{s.observe}, zoomserver.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: unreadable,
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			var ze *zoomError
			if errors.As(err, &ze) {
				ze.write(w)
				return
			}
			// Not a refusal: the fake's own failure, answered as a 500 so that a test sees it.
			writeError(w, http.StatusInternalServerError, 0, err.Error(), nil)
		},
	})
	api := zoomserver.HandlerWithOptions(strict, zoomserver.StdHTTPServerOptions{
		ErrorHandlerFunc: unreadable,
	})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", s.serveToken)
	mux.Handle("/v2/", s.track(http.StripPrefix("/v2", s.authenticate(validate(s.wild(api))))))
	return s.track(mux)
}

// unreadable answers a request that passed the validator but that the generated code
// cannot decode or bind: the spec and the generated types disagree, a fault of the fake.
func unreadable(w http.ResponseWriter, _ *http.Request, err error) {
	// Not a refusal: the fake's own failure, answered as a 500 so that a test sees it.
	writeError(w, http.StatusInternalServerError, 0, "zoomtest: a validated request the handler cannot read: "+err.Error(), nil)
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

// faultKey holds the injected Fault a handler carries out (NoEffect, RepeatUser).
type faultKey struct{}

// injected returns the fault the request carries, if any.
func injected(ctx context.Context) Fault {
	f, _ := ctx.Value(faultKey{}).(Fault)
	return f
}

// authenticate answers Zoom's 401 (code 124) to a missing, unknown or expired token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		grant, known := s.tokens[tok]
		s.mu.Unlock()
		switch {
		case !ok || !known:
			// Evidence: ZOOM_FACTS.md "Errors" (124, invalid or expired access token, 401).
			writeError(w, http.StatusUnauthorized, zoomusers.CodeInvalidToken, "Invalid access token.", nil)
		case !s.cfg.now().Before(grant.expires):
			// Evidence: ZOOM_FACTS.md "Errors" (124, 401) and "Authentication" (tokens live an hour).
			writeError(w, http.StatusUnauthorized, zoomusers.CodeInvalidToken, "Access token is expired.", nil)
		default:
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, grant.userID)))
		}
	})
}

// observe applies, in order, the one-DELETE-per-user rule, injected faults and rate
// limits, then counts the request and runs the handler.
func (s *Server) observe(f zoomserver.StrictHandlerFunc, goName string) zoomserver.StrictHandlerFunc {
	op := s.limiter.specID[strings.ToLower(goName)]
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
		if r.Method == http.MethodDelete && r.PathValue("userId") != "" {
			release, ok := s.startDelete(r.PathValue("userId"))
			if !ok {
				// Evidence: ZOOM_FACTS.md "Rate limits" (one concurrent DELETE per user, 429).
				return nil, apiError(http.StatusTooManyRequests, 429, "Too many concurrent requests.")
			}
			defer release()
		}
		handled, carry := s.applyFault(w, r, op)
		if handled {
			return nil, errHandled
		}
		if carry != nil {
			ctx = context.WithValue(ctx, faultKey{}, *carry)
		}
		if s.cfg.rateLimits {
			if err := s.limiter.allow(op); err != nil {
				return nil, err
			}
		}
		s.mu.Lock()
		s.counts[op]++
		s.mu.Unlock()
		return f(ctx, w, r, req)
	}
}

// startDelete claims the right to delete from the user idOrEmail names: Zoom runs one
// DELETE per user at a time and refuses the others. release gives the right back.
func (s *Server) startDelete(idOrEmail string) (release func(), ok bool) {
	key := strings.ToLower(idOrEmail)
	if u := s.state.find(idOrEmail); u != nil {
		key = u.id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deleting[key] {
		return nil, false
	}
	s.deleting[key] = true
	return func() {
		s.mu.Lock()
		delete(s.deleting, key)
		s.mu.Unlock()
	}, true
}

// errHandled tells the error handler that the answer was already written.
var errHandled = &zoomError{status: 0}

// zoomError is an answer in Zoom's error shape.
type zoomError struct {
	status, code int
	message      string
	fields       []fieldError // the "errors" list of a validation failure
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
	// Not a refusal: writes one, whose evidence is where it was made.
	writeError(w, e.status, e.code, e.message, e.fields)
}

func apiError(status, code int, format string, args ...any) *zoomError {
	return &zoomError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// fieldError is one entry of the "errors" list in Zoom's "Validation Failed." answer.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Messages Zoom gives a field in a validation failure.
const (
	invalidField = "Invalid field."
	missingField = "Missing field."
)

// validationFailed is Zoom's answer to fields that break its rules: 400, code 300,
// "Validation Failed." and one entry per field.
func validationFailed(fields ...fieldError) *zoomError {
	return &zoomError{status: http.StatusBadRequest, code: zoomusers.CodeValidation, message: "Validation Failed.", fields: fields}
}

func writeError(w http.ResponseWriter, status, code int, message string, fields []fieldError) {
	body := map[string]any{"code": code, "message": message}
	if len(fields) > 0 {
		body["errors"] = fields
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func randomToken(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
