package zoomusers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Per-call options.
//
// Every operation method takes Options after its arguments, as New does: the same type,
// so that one option means the same thing wherever it is given. Given to New, an option
// sets the client's default; given to a call, it holds for that call alone (every page of
// a listing, with ListUsers). Four options work per call:
//
//   - WithResponseInto captures the HTTP answer: status, headers, tracking ID, rate-limit
//     headers and body, of a success or a failure (per call only).
//   - WithHeader adds a header to the requests (per client: every request).
//   - WithRetryPolicy replaces the retry policy (WithRetryPolicy(NoRetries) turns retries
//     off for one write while the client's other calls still retry).
//   - WithMaxResponseBytes bounds the answer's body.
//
// The other options configure the client itself (credentials, URLs, HTTP client, pacing,
// logging, hooks): given to a call, they fail it before any request is sent.

// callConfig is the part of config an Option may set for one call.
type callConfig struct {
	retry    RetryPolicy
	maxBody  int64
	header   http.Header
	response *Response
}

// Response is the HTTP answer to one call, as WithResponseInto captures it. It describes
// the last attempt's answer: after retries, the one the call returned.
type Response struct {
	// StatusCode is the HTTP status; 0 when no attempt got an answer.
	StatusCode int
	// Header holds the answer's headers.
	Header http.Header
	// TrackingID is the X-Zm-Trackingid header: quote it to Zoom support.
	TrackingID string
	// RateLimit holds the rate-limit headers (RateLimit.Remaining is -1 when absent).
	RateLimit RateLimit
	// RetryAfter is the Retry-After header, read as RateLimit's neighbours are; the zero
	// time when absent or unreadable.
	RetryAfter time.Time
	// Attempts counts the attempts the call made, including the first.
	Attempts int
	// Body is the answer's body as Zoom sent it: a success's whole body (bounded by
	// WithMaxResponseBytes), or the start of an error's (at most 64 KiB). The caller may
	// keep it: the client holds no reference to it.
	Body []byte
}

// WithResponseInto stores the HTTP answer of a call into *r once the call returns, whether
// it succeeded or failed; each page of a listing overwrites it. *r is cleared when the call
// starts, so a call that fails before any request (refused from the daily-limit memory,
// or for another per-call option) leaves it empty, StatusCode 0, never the answer of an
// earlier call. A handle whose ID is invalid fails before the call starts and leaves *r as
// it was. It applies to one call: New refuses it.
func WithResponseInto(r *Response) Option {
	return func(c *config) error {
		if r == nil {
			return errors.New("zoomusers: WithResponseInto needs a *Response")
		}
		c.response = r
		return nil
	}
}

// WithHeader adds a header to every request of the client (given to New) or of one call.
// Several WithHeader options for one key add values; a call's values for a key replace
// the client's for that call. The Authorization header belongs to the client's
// credentials and cannot be set. A name that is not an HTTP token, or a value with a
// control character (a line break, say), is refused when the option is applied: New or
// the call fails before any request, rather than each attempt failing in the transport.
func WithHeader(key, value string) Option {
	return func(c *config) error {
		if !validHeaderName(key) {
			return fmt.Errorf("zoomusers: WithHeader: %q is not a valid header name", key)
		}
		if !validHeaderValue(value) {
			return fmt.Errorf("zoomusers: WithHeader: the value of %s holds a control character", key)
		}
		key = http.CanonicalHeaderKey(key)
		if key == "Authorization" {
			return fmt.Errorf("zoomusers: WithHeader cannot set %q", key)
		}
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header[key] = append(c.header[key], value)
		return nil
	}
}

// validHeaderName reports whether name is a token (RFC 9110 section 5.6.2, formerly RFC
// 7230 section 3.2.6): one or more visible ASCII characters other than delimiters.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0:
		default:
			return false
		}
	}
	return true
}

// validHeaderValue reports whether value may be a field value (RFC 9110 section 5.5): no
// control character but horizontal tab, and no DEL. Bytes from 0x80 are obsolete text that
// the grammar still admits, as net/http does.
func validHeaderValue(value string) bool {
	for i := 0; i < len(value); i++ {
		if b := value[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return false
		}
	}
	return true
}

// errClientOption is the error of a call given an option that configures the client.
var errClientOption = errors.New("zoomusers: an option given to one call configures the client (credentials, URLs, HTTP client, pacing, logging, hooks): give it to New; per call, use WithResponseInto, WithHeader, WithRetryPolicy or WithMaxResponseBytes")

type callOptsKey struct{}

// callOptions is what a call's options amount to, kept in its context by call.
type callOptions struct {
	callConfig
	err error // the options' own error: the call fails with it before sending
}

// withCallOptions marks ctx with a call's options. Without options ctx is returned as it
// is, so that a call without them costs nothing more.
func withCallOptions(ctx context.Context, opts []Option) context.Context {
	if len(opts) == 0 {
		return ctx
	}
	var cfg config
	co := &callOptions{}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			co.err = err
			co.response = cfg.response // cleared by do all the same
			return context.WithValue(ctx, callOptsKey{}, co)
		}
	}
	co.callConfig = cfg.callConfig
	// Anything an option set outside callConfig configures the client, which a call
	// cannot change: say so rather than ignore it.
	cfg.callConfig = callConfig{}
	if !reflect.DeepEqual(cfg, config{}) {
		co.err = errClientOption
	}
	return context.WithValue(ctx, callOptsKey{}, co)
}

// callOptionsOf returns the options ctx was marked with, or nil.
func callOptionsOf(ctx context.Context) *callOptions {
	co, _ := ctx.Value(callOptsKey{}).(*callOptions)
	return co
}

// retryPolicy is the call's retry policy, or the client's.
func (co *callOptions) retryPolicy(def RetryPolicy) RetryPolicy {
	if co != nil && co.retry != nil {
		return co.retry
	}
	return def
}

// maxBodyOr is the call's bound on a success's body, or the client's.
func (co *callOptions) maxBodyOr(def int64) int64 {
	if co != nil && co.maxBody > 0 {
		return co.maxBody
	}
	return def
}

// setHeaders adds the client's headers, then the call's, to r. Each request gets its own
// copies of the values: a transport that edits a header in place must not race with
// other requests in flight.
func setHeaders(r *http.Request, client http.Header, co *callOptions) {
	for k, v := range client {
		r.Header[k] = slices.Clone(v)
	}
	if co != nil {
		for k, v := range co.header {
			r.Header[k] = slices.Clone(v)
		}
	}
}

// recordAnswer captures an attempt's answer for WithResponseInto; body is nil for a
// success, whose body decode or done captures once read.
func (co *callOptions) recordAnswer(resp *http.Response, attempt int, body []byte) {
	if co == nil || co.response == nil {
		return
	}
	r := co.response
	*r = Response{
		StatusCode: resp.StatusCode,
		Header:     resp.Header,
		TrackingID: resp.Header.Get("X-Zm-Trackingid"),
		RateLimit:  parseRateLimit(resp.Header),
		Attempts:   attempt,
		Body:       body,
	}
	if _, at, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		r.RetryAfter = at
	}
}

// recordAttempts notes the attempts of a call that ended without an answer.
func (co *callOptions) recordAttempts(attempt int) {
	if co == nil || co.response == nil {
		return
	}
	*co.response = Response{Attempts: attempt}
}

// recordBody keeps a copy of a success's body for WithResponseInto.
func (co *callOptions) recordBody(body []byte) {
	if co == nil || co.response == nil {
		return
	}
	co.response.Body = append([]byte(nil), body...)
}
