package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Defaults of HandlerOptions.
const (
	// DefaultMaxBodyBytes bounds a request's body. User events are a few kilobytes; a
	// user.settings_updated naming every setting stays well under this.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultTimeout is how long the HandlerFunc may run before the Handler answers. Zoom
	// waits 3 seconds for an answer; the second left covers the network.
	DefaultTimeout = 2 * time.Second
	// DefaultMaxOverdue bounds the HandlerFuncs running at once, overdue or not.
	DefaultMaxOverdue = 64
)

// HandlerFunc handles one verified event. Return nil once the event is handled, or
// stored somewhere durable to be handled later: the Handler then answers 200 and Zoom
// forgets the event. Return an error to have Zoom deliver it again.
//
// ctx ends after HandlerOptions.Timeout; work that takes longer belongs in a queue the
// function only appends to.
type HandlerFunc func(ctx context.Context, e *Event) error

// HandlerOptions configure a Handler.
type HandlerOptions struct {
	// Options holds the secret tokens and the timestamp tolerance.
	Options
	// MaxBodyBytes refuses longer bodies with 413; DefaultMaxBodyBytes when zero.
	MaxBodyBytes int64
	// Timeout bounds the HandlerFunc; DefaultTimeout when zero. Keep it under 3 seconds.
	Timeout time.Duration
	// MaxOverdue bounds how many HandlerFuncs may still run after their timeout (a slow
	// dependency makes them pile up). Any call may become overdue, and a burst of events
	// starts many at once, so the bound covers every HandlerFunc running, within its
	// timeout or past it: while that many run, events are answered 503 without a call, and
	// Zoom delivers them again later. DefaultMaxOverdue when zero.
	MaxOverdue int
	// Dedupe, when set, drops Zoom's redeliveries of events already handled.
	Dedupe Deduper
	// Logger receives a record for each refused request and each failed or slow
	// HandlerFunc; slog.Default() when nil.
	Logger *slog.Logger
}

// Handler is an http.Handler for a Zoom event notification endpoint. It answers
//
//   - 200 with the encrypted token to endpoint.url_validation, signed with any of the
//     secrets (the answer uses the one that signed it);
//   - 200 when the HandlerFunc returned nil within the timeout, or when Dedupe says the
//     event was already handled;
//   - 401 to a request without a valid signature or with a stale timestamp;
//   - 400 to a validly signed body that is not a Zoom event, 413 to one over the limit;
//   - 500 when the HandlerFunc failed or panicked, 503 when it ran out of time or Dedupe
//     failed, and 409 when another delivery of the same event is being handled.
//
// Only a 200 or 204 makes Zoom consider an event delivered; every other answer has it
// delivered again about 5, 20 and 60 minutes later. So the Handler never answers 200 for
// an event it has not handled: a failure is answered as one, and a HandlerFunc that is
// still running at the timeout gets a 503 while it goes on. If it then succeeds, Dedupe
// records it and the redelivery is dropped; without a Deduper the redelivery is handled
// again, so make the HandlerFunc idempotent or set Dedupe.
type Handler struct {
	fn   HandlerFunc
	opts HandlerOptions
	log  *slog.Logger
	// running holds a token for each HandlerFunc running, within its timeout or past it;
	// its capacity is MaxOverdue.
	running chan struct{}
}

// NewHandler returns a Handler calling fn for every verified event. It fails when no
// secret is configured or fn is nil.
func NewHandler(fn HandlerFunc, opts HandlerOptions) (*Handler, error) {
	if fn == nil {
		return nil, errors.New("webhook: NewHandler needs a HandlerFunc")
	}
	if len(opts.Secrets) == 0 {
		return nil, ErrNoSecret
	}
	for i, s := range opts.Secrets {
		if s == "" {
			return nil, fmt.Errorf("webhook: secret %d is empty", i)
		}
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxOverdue <= 0 {
		opts.MaxOverdue = DefaultMaxOverdue
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Handler{fn: fn, opts: opts, log: log, running: make(chan struct{}, opts.MaxOverdue)}, nil
}

// ServeHTTP verifies, parses and dispatches one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, "webhook: Zoom posts events; got "+r.Method, nil)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("webhook: body over %d bytes", h.opts.MaxBodyBytes), nil)
			return
		}
		h.refuse(w, r, http.StatusBadRequest, "webhook: reading the body", err)
		return
	}
	secret, err := verify(body, r.Header, h.opts.Options)
	if err != nil {
		h.refuse(w, r, http.StatusUnauthorized, "webhook: refused unverified request", err)
		return
	}
	ev, err := Parse(body)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, "webhook: refused signed request", err)
		return
	}
	if ev.Type == EventURLValidation {
		h.validate(w, r, ev, secret)
		return
	}
	h.dispatch(w, r, ev)
}

// validate answers Zoom's URL validation with the plain token and its HMAC under the
// secret that signed the request.
func (h *Handler) validate(w http.ResponseWriter, r *http.Request, ev *Event, secret string) {
	var p struct {
		PlainToken string `json:"plainToken"`
	}
	if json.Unmarshal(ev.Payload, &p) != nil || p.PlainToken == "" {
		h.refuse(w, r, http.StatusBadRequest, "webhook: refused signed request", fmt.Errorf("%w: endpoint.url_validation without payload.plainToken", ErrMalformed))
		return
	}
	answer, _ := json.Marshal(map[string]string{"plainToken": p.PlainToken, "encryptedToken": EncryptToken(secret, p.PlainToken)})
	w.Header().Set("Content-Type", "application/json")
	w.Write(answer)
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "webhook: answered Zoom's URL validation", slog.String("remote", r.RemoteAddr))
}

// dispatch runs the HandlerFunc under the timeout, between Dedupe's Begin and End.
func (h *Handler) dispatch(w http.ResponseWriter, r *http.Request, ev *Event) {
	attrs := []slog.Attr{slog.String("event", ev.Type), slog.String("user_id", ev.UserID()), slog.String("key", ev.Key())}
	// Taken without waiting: a delivery that waited for a slot would outlast Zoom's
	// patience anyway.
	select {
	case h.running <- struct{}{}:
	default:
		h.answer(w, r, http.StatusServiceUnavailable, slog.LevelWarn,
			fmt.Sprintf("webhook: %d handlers running (MaxOverdue); answered 503 without a call so that Zoom delivers the event again", h.opts.MaxOverdue), attrs)
		return
	}
	called := false
	defer func() {
		if !called {
			<-h.running
		}
	}()
	if d := h.opts.Dedupe; d != nil {
		claim, err := d.Begin(r.Context(), ev.Key())
		switch {
		case err != nil:
			h.answer(w, r, http.StatusServiceUnavailable, slog.LevelError, "webhook: deduper failed; Zoom will deliver the event again", append(attrs, slog.Any("error", err)))
			return
		case claim == ClaimDone:
			h.answer(w, r, http.StatusOK, slog.LevelInfo, "webhook: dropped a redelivery of an event already handled", attrs)
			return
		case claim == ClaimBusy:
			h.answer(w, r, http.StatusConflict, slog.LevelWarn, "webhook: another delivery of this event is being handled; Zoom will deliver it again", attrs)
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	done := make(chan error, 1)
	called = true
	go func() {
		defer func() { <-h.running }() // once the HandlerFunc and Dedupe are done
		err := h.call(ctx, ev)
		if d := h.opts.Dedupe; d != nil {
			// The request may be over: record the outcome regardless.
			if derr := d.End(context.WithoutCancel(ctx), ev.Key(), err == nil); derr != nil {
				h.log.LogAttrs(ctx, slog.LevelError, "webhook: deduper could not record the outcome", append(attrs, slog.Any("error", derr))...)
			}
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			h.answer(w, r, http.StatusInternalServerError, slog.LevelError, "webhook: handler failed; Zoom will deliver the event again", append(attrs, slog.Any("error", err)))
			return
		}
		w.WriteHeader(http.StatusOK)
	case <-ctx.Done():
		h.answer(w, r, http.StatusServiceUnavailable, slog.LevelWarn,
			fmt.Sprintf("webhook: handler still running after %s; answered 503 so that Zoom delivers the event again", h.opts.Timeout), attrs)
	}
}

// call runs the HandlerFunc, turning a panic into an error: it runs on its own goroutine,
// where a panic would end the program.
func (h *Handler) call(ctx context.Context, ev *Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("webhook: handler panicked: %v", p)
		}
	}()
	return h.fn(ctx, ev)
}

// refuse answers a request that is not a verified event, and logs why.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	attrs := []slog.Attr{slog.String("remote", r.RemoteAddr)}
	if err != nil {
		attrs = append(attrs, slog.Any("error", err))
	}
	h.answer(w, r, status, slog.LevelWarn, msg, attrs)
}

func (h *Handler) answer(w http.ResponseWriter, r *http.Request, status int, level slog.Level, msg string, attrs []slog.Attr) {
	h.log.LogAttrs(r.Context(), level, msg, append(attrs, slog.Int("status", status))...)
	if status == http.StatusOK {
		w.WriteHeader(status)
		return
	}
	// The body says only the status: details of a refusal help an attacker, and the log
	// has them.
	http.Error(w, http.StatusText(status), status)
}
