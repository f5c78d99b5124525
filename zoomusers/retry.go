package zoomusers

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy decides whether a failed attempt is tried again, and when. Replace the
// default with WithRetryPolicy; NoRetries turns retrying off.
type RetryPolicy interface {
	// Backoff returns how long to wait before the next attempt, and false when the
	// attempt described by a must not be repeated.
	Backoff(a Attempt) (time.Duration, bool)
}

// Attempt describes one finished attempt of a request.
type Attempt struct {
	// Number counts attempts from 1.
	Number int
	// Method is the request's HTTP method.
	Method string
	// Replayable is false when the request body cannot be sent again (a streamed upload).
	Replayable bool
	// Err is the transport error, when the attempt got no answer.
	Err error
	// APIError is Zoom's error answer, when there was one.
	APIError *Error
}

// DefaultRetryPolicy retries connection errors and 502, 503 and 504 answers for GET,
// PUT and DELETE (requests Zoom treats as idempotent), and per-second 429s for any
// method, since Zoom did not process them. POST and PATCH are otherwise never repeated,
// nor is a daily-limit 429. Waits grow exponentially with full jitter from BaseDelay and
// never exceed MaxDelay. A Retry-After in the future is honoured, or ends the retries
// when it is further away than MaxDelay; one that is missing, past or unreadable leaves
// the exponential wait, and so does one on a per-second 429 that is further away than a
// minute, which no rate window explains. A 429 waits at least for Zoom's next one-second rate window.
type DefaultRetryPolicy struct {
	MaxAttempts int           // attempts in all, including the first; 0 means 4
	BaseDelay   time.Duration // 0 means 500ms
	MaxDelay    time.Duration // 0 means 30s
}

// NoRetries is a RetryPolicy that never retries.
var NoRetries RetryPolicy = noRetries{}

type noRetries struct{}

func (noRetries) Backoff(Attempt) (time.Duration, bool) { return 0, false }

// Backoff implements RetryPolicy.
func (p DefaultRetryPolicy) Backoff(a Attempt) (time.Duration, bool) {
	maxAttempts, base, maxDelay := p.MaxAttempts, p.BaseDelay, p.MaxDelay
	if maxAttempts <= 0 {
		maxAttempts = 4
	}
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if maxDelay <= 0 {
		maxDelay = 30 * time.Second
	}
	if a.Number >= maxAttempts || !a.Replayable || !retryable(a) {
		return 0, false
	}
	backoff := base << min(a.Number-1, 20)
	if backoff > maxDelay || backoff <= 0 {
		backoff = maxDelay
	}
	wait := rand.N(backoff) + 1
	e := a.APIError
	if e == nil {
		return wait, true
	}
	if !e.RetryAfter.IsZero() && !implausibleRetryAfter(e) {
		switch until := time.Until(e.RetryAfter); {
		case until > maxDelay:
			return 0, false // Zoom will refuse until then: give the error back now
		case until > 0:
			return until, true
		}
	}
	if e.StatusCode == http.StatusTooManyRequests {
		// Zoom counts per-second limits in one-second windows and its 429s seldom say
		// when to come back: an earlier retry would land in the same full window. The
		// jitter keeps many callers from arriving together at the next one.
		wait = max(wait, rateWindow+rand.N(rateWindow/4))
	}
	return min(wait, maxDelay), true
}

// rateWindow is the span of Zoom's per-second rate limits.
const rateWindow = time.Second

// maxRateWindowWait is the longest Retry-After a per-second 429 can mean: Zoom's
// per-second limits count one-second windows and Resource-intensive ones a minute
// (ZOOM_FACTS.md "Rate limits").
const maxRateWindowWait = time.Minute

// implausibleRetryAfter reports whether e is a per-second 429 (X-RateLimit-Type: QPS)
// whose Retry-After cannot be a real wait, being far past any rate window: it is read as
// an unreadable value, so the call backs off as usual rather than giving up at once.
func implausibleRetryAfter(e *Error) bool {
	return e.StatusCode == http.StatusTooManyRequests && strings.EqualFold(e.RateLimit.Type, "QPS") &&
		time.Until(e.RetryAfter) > maxRateWindowWait
}

func retryable(a Attempt) bool {
	idempotent := a.Method == http.MethodGet || a.Method == http.MethodPut ||
		a.Method == http.MethodDelete || a.Method == http.MethodHead
	if a.Err != nil {
		return idempotent // the client stops on the caller's cancellation before asking
	}
	e := a.APIError
	if e == nil {
		return false
	}
	switch e.StatusCode {
	case http.StatusTooManyRequests:
		return !e.DailyLimit()
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// parseRetryAfter reads a Retry-After value as delay seconds, an HTTP-date, or an
// RFC 3339 date-time (Zoom's form for daily limits). It returns the wait from now and
// the moment it ends.
func parseRetryAfter(v string, now time.Time) (time.Duration, time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, time.Time{}, false
	}
	if strings.Trim(v, "0123456789") == "" {
		// Delay seconds. A number too large to parse still means "not any time soon".
		const maxSeconds = int64(365 * 24 * time.Hour / time.Second)
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > maxSeconds {
			secs = maxSeconds
		}
		d := time.Duration(secs) * time.Second
		return d, now.Add(d), true
	}
	for _, layout := range []string{time.RFC3339Nano, http.TimeFormat, time.RFC850, time.ANSIC, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			return max(t.Sub(now), 0), t, true
		}
	}
	return 0, time.Time{}, false
}
