package zoomusers

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// Hooks are functions the client calls as each call proceeds, for tracing and metrics
// (package zoomotel builds OpenTelemetry spans and metrics on them). Every field is
// optional. They run inside the call, on the caller's goroutine (TokenFetch on the
// fetch's own), so they must be quick, must not block, and must be safe for concurrent
// use: a Client serves many goroutines. What they receive never holds tokens or secrets; user IDs
// and email addresses appear only in Attempt.URLPath and in error messages.
type Hooks struct {
	// CallStart is called before a call's first attempt. The context it returns (ctx
	// itself, or one derived from it, holding a span for example) is the one the call's
	// attempts, waits and token fetches run and are reported with.
	CallStart func(ctx context.Context, call CallStart) context.Context
	// CallDone is called once when the call ends: its answer decoded, or its last
	// attempt failed.
	CallDone func(ctx context.Context, call CallDone)
	// AttemptDone is called after each HTTP exchange (a call makes more than one when it
	// retries or re-authorizes).
	AttemptDone func(ctx context.Context, attempt AttemptDone)
	// Wait is called after the client waited before an attempt: for a pacing slot, or
	// between attempts.
	Wait func(ctx context.Context, wait Wait)
	// TokenFetch is called after a request to the token endpoint, with the context of
	// the call that started it: other calls may be waiting for the same fetch, and that
	// call may have ended (its context done, its CallDone reported) before the fetch did.
	TokenFetch func(ctx context.Context, fetch TokenFetch)
}

// CallStart describes a call about to begin.
type CallStart struct {
	Operation OperationID
	Label     RateLimitLabel // the operation's rate-limit label
	Method    string
	// PathTemplate is the spec's path, such as "/users/{userId}": it names no user.
	PathTemplate string
}

// CallDone describes a finished call.
type CallDone struct {
	Operation OperationID
	// Attempts is how many HTTP exchanges the call made: 0 when it failed before any,
	// such as a call refused because Zoom's daily limit, met earlier, still holds.
	Attempts int
	Duration time.Duration // from the call's start to the decoded answer
	// Err is the call's error, or nil. A *Error (errors.As) carries Zoom's code and
	// status; its message may name users.
	Err error
}

// AttemptDone describes one HTTP exchange of a call.
type AttemptDone struct {
	Operation OperationID
	Number    int // 1 for the first attempt
	Method    string
	// URLPath is the path as sent; it may hold a user ID or an email address.
	URLPath string
	// StatusCode is the answer's HTTP status, or 0 when no answer came (see Err).
	StatusCode int
	// Code is Zoom's error number from an error answer, or 0.
	Code       int
	TrackingID string
	// RateLimit holds the answer's rate-limit headers (Remaining is -1 when absent).
	RateLimit RateLimit
	Duration  time.Duration
	// Err is the transport error when no answer came, or the *Error of an error answer.
	Err error
}

// WaitReason says why the client waited.
type WaitReason string

// Reasons for a wait.
const (
	// WaitPacing is a wait for a rate-limit slot of the operation's label.
	WaitPacing WaitReason = "pacing"
	// WaitRetry is the back-off between a failed attempt and the next one.
	WaitRetry WaitReason = "retry"
)

// Wait describes a wait before an attempt.
type Wait struct {
	Operation OperationID
	Label     RateLimitLabel
	Reason    WaitReason
	Duration  time.Duration // how long the client waited (a retry wait cut short by the context counts what it waited)
}

// TokenFetch describes one request to the token endpoint.
type TokenFetch struct {
	Duration time.Duration
	// Err is the failure, scrubbed of credentials, or nil.
	Err error
}

// WithHooks adds h to the functions the client calls as calls proceed. Several WithHooks
// options add up: each hook runs in the order given.
func WithHooks(h Hooks) Option {
	return func(c *config) error {
		c.hooks = append(c.hooks, h)
		return nil
	}
}

// hooks is the list of Hooks a client calls.
type hooks []Hooks

// callState follows one call from its first attempt to its end, through the context of
// its attempts: the attempt's answer carries it to decode or done, which end the call.
type callState struct {
	hooks    hooks
	op       OperationID
	start    time.Time
	attempts int
	once     sync.Once
}

type callKey struct{}

// startCall begins a call (do runs once per call). A context that already holds another
// call's state, such as a hook's or an answer's, gets a state of its own that hides it.
// With no hooks it costs nothing.
func (hs hooks) startCall(ctx context.Context, op OperationID, method string) (context.Context, *callState) {
	if len(hs) == 0 {
		return ctx, nil
	}
	info := CallStart{Operation: op, Label: op.Label(), Method: method, PathTemplate: operations[op].Path}
	for _, h := range hs {
		if h.CallStart != nil {
			if next := h.CallStart(ctx, info); next != nil {
				ctx = next
			}
		}
	}
	s := &callState{hooks: hs, op: op, start: time.Now()}
	return context.WithValue(ctx, callKey{}, s), s
}

// endCall reports the end of the call ctx belongs to, the first time it is asked.
func endCall(ctx context.Context, err error) {
	s, ok := ctx.Value(callKey{}).(*callState)
	if !ok {
		return
	}
	s.once.Do(func() {
		info := CallDone{Operation: s.op, Attempts: s.attempts, Duration: time.Since(s.start), Err: err}
		for _, h := range s.hooks {
			if h.CallDone != nil {
				h.CallDone(ctx, info)
			}
		}
	})
}

func (s *callState) attemptDone(ctx context.Context, r *http.Request, number int, resp *http.Response, start time.Time, err error) {
	if s == nil {
		return
	}
	s.attempts = number
	info := AttemptDone{Operation: s.op, Number: number, Method: r.Method, URLPath: r.URL.Path, Duration: time.Since(start), Err: err}
	if resp != nil {
		info.StatusCode = resp.StatusCode
		info.TrackingID = resp.Header.Get("X-Zm-Trackingid")
		info.RateLimit = parseRateLimit(resp.Header)
	}
	var apiErr *Error
	if errors.As(err, &apiErr) {
		info.Code = apiErr.Code
	}
	for _, h := range s.hooks {
		if h.AttemptDone != nil {
			h.AttemptDone(ctx, info)
		}
	}
}

func (s *callState) waited(ctx context.Context, reason WaitReason, since time.Time) {
	if s == nil {
		return
	}
	info := Wait{Operation: s.op, Label: s.op.Label(), Reason: reason, Duration: time.Since(since)}
	for _, h := range s.hooks {
		if h.Wait != nil {
			h.Wait(ctx, info)
		}
	}
}

// tokenFetched reports a token request to the hooks of the call that started it.
func tokenFetched(ctx context.Context, started time.Time, err error) {
	s, ok := ctx.Value(callKey{}).(*callState)
	if !ok {
		return
	}
	info := TokenFetch{Duration: time.Since(started), Err: err}
	for _, h := range s.hooks {
		if h.TokenFetch != nil {
			h.TokenFetch(ctx, info)
		}
	}
}
