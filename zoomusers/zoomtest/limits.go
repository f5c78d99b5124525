package zoomtest

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// Limits the fake enforces, as Zoom documents them.
const (
	maxPictureBytes     = 2 << 20
	maxBackgroundBytes  = 15 << 20
	maxBackgrounds      = 10
	maxEmailChanges     = 3 // per user per emailChangeWindow
	emailChangeWindow   = 24 * time.Hour
	pageTokenLifetime   = 15 * time.Minute
	presenceChangeEvery = time.Minute
	// defaultDoNotDisturbMinutes is the spec's default duration of Do_Not_Disturb.
	defaultDoNotDisturbMinutes = 20
)

// limiter enforces Zoom's account-wide rate limits by label and plan: per-second limits
// counted over a sliding window (no span of one second, one minute for Resource-intensive,
// holds more accepted requests than the limit) answered with QPS 429s, and daily caps
// answered with a Daily-limit 429 whose Retry-After is the next UTC midnight as an
// ISO-8601 date-time. A sliding window is the strictest reading of Zoom's "per second":
// a client that passes it passes fixed windows too, whereas a client tuned to fixed
// windows may send twice the limit across a boundary.
type limiter struct {
	plan zoomusers.Plan
	now  func() time.Time
	// specID maps the generated handlers' names, folded to lower case (usersummary,
	// userzak), to the operations: Zoom's operationIds differ from them only in case.
	specID map[string]zoomusers.OperationID

	mu     sync.Mutex
	second map[zoomusers.RateLimitLabel][]time.Time // accepted requests inside the sliding window, oldest first
	day    map[string]window                        // daily bucket -> count
}

type window struct {
	start int64
	n     int
}

func newLimiter(plan zoomusers.Plan, now func() time.Time) *limiter {
	l := &limiter{plan: plan, now: now, specID: map[string]zoomusers.OperationID{},
		second: map[zoomusers.RateLimitLabel][]time.Time{}, day: map[string]window{}}
	for _, id := range zoomusers.Operations() {
		l.specID[strings.ToLower(string(id))] = id
	}
	return l
}

// dailyCap returns the bucket and cap of a label's daily limit on the plan, if any.
func dailyCap(plan zoomusers.Plan, label zoomusers.RateLimitLabel) (string, int) {
	switch {
	case plan == zoomusers.PlanFree && label == zoomusers.LabelLight:
		return "light", 6000
	case plan == zoomusers.PlanFree && label == zoomusers.LabelMedium:
		return "medium", 2000
	case plan == zoomusers.PlanFree && label == zoomusers.LabelHeavy:
		return "heavy", 1000
	case plan == zoomusers.PlanFree && label == zoomusers.LabelResourceIntensive:
		return "heavy", 30000
	case plan == zoomusers.PlanPro && (label == zoomusers.LabelHeavy || label == zoomusers.LabelResourceIntensive):
		return "heavy", 30000
	case plan == zoomusers.PlanBusiness && (label == zoomusers.LabelHeavy || label == zoomusers.LabelResourceIntensive):
		return "heavy", 60000
	}
	return "", 0
}

// qpsWindow returns how a label's per-second limit is counted on the plan: the window's
// length and the requests it allows. Limits under one a second (Resource-intensive) are
// counted per minute.
func (l *limiter) qpsWindow(label zoomusers.RateLimitLabel) (span time.Duration, limit int) {
	perSecond := float64(l.plan.RateLimit(label))
	if perSecond < 1 {
		return time.Minute, int(math.Round(perSecond * 60))
	}
	return time.Second, int(math.Round(perSecond))
}

// allow counts a request for op against its label's limits, or answers Zoom's 429.
func (l *limiter) allow(op zoomusers.OperationID) error {
	label := op.Label()
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()

	bucket, dailyLimit := dailyCap(l.plan, label)
	var d window
	if dailyLimit > 0 {
		day := now.UTC().Truncate(24 * time.Hour).Unix()
		if d = l.day[bucket]; d.start != day {
			d = window{start: day}
		}
		if d.n >= dailyLimit {
			return l.dailyLimited(label, now)
		}
	}

	span, limit := l.qpsWindow(label)
	recent := l.second[label]
	// Drop what left the window (now-span, now]; the slice is in arrival order.
	kept := 0
	for kept < len(recent) && !recent[kept].After(now.Add(-span)) {
		kept++
	}
	recent = recent[kept:]
	if len(recent) >= limit {
		l.second[label] = recent
		return l.qpsLimited(label)
	}
	l.second[label] = append(recent, now)
	if dailyLimit > 0 {
		// Counted only once accepted: a request refused per second used no daily slot.
		d.n++
		l.day[bucket] = d
	}
	return nil
}

// qpsLimited is Zoom's 429 for a label's per-second limit.
func (l *limiter) qpsLimited(label zoomusers.RateLimitLabel) *zoomError {
	_, limit := l.qpsWindow(label)
	// Evidence: ZOOM_FACTS.md "Rate limits" (per-second limits by label and plan, 429 headers).
	return tooMany(label, "QPS", limit, "", "You have reached the maximum per-second rate limit for this API. Try again later.")
}

// dailyLimited is Zoom's 429 for a label's daily cap, to be retried at the next UTC
// midnight. A label without a daily cap on the plan leaves X-RateLimit-Limit out.
func (l *limiter) dailyLimited(label zoomusers.RateLimitLabel, now time.Time) *zoomError {
	_, limit := dailyCap(l.plan, label)
	// Evidence: ZOOM_FACTS.md "Rate limits" (daily caps, Daily-limit, Retry-After a date-time).
	return tooMany(label, "Daily-limit", limit, nextMidnight(now.UTC().Truncate(24*time.Hour).Unix()),
		"You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.")
}

// tooMany is Zoom's 429 with its rate-limit headers; limit is left out when 0, and
// retryAfter when empty.
func tooMany(label zoomusers.RateLimitLabel, kind string, limit int, retryAfter, message string) *zoomError {
	h := http.Header{}
	if label != "" {
		h.Set("X-RateLimit-Category", string(label))
	}
	h.Set("X-RateLimit-Type", kind)
	if limit > 0 {
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	}
	h.Set("X-RateLimit-Remaining", "0")
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	return &zoomError{status: http.StatusTooManyRequests, code: 429, header: h, message: message}
}

// nextMidnight is the ISO-8601 date-time at which the UTC day starting at day (Unix
// seconds) ends, as Zoom sends it in a daily limit's Retry-After.
func nextMidnight(day int64) string {
	return time.Unix(day, 0).UTC().Add(24 * time.Hour).Format(time.RFC3339)
}

// createCap is how many users a day the plan may create with action=create
// (Zoom's userCreate description).
func createCap(plan zoomusers.Plan) int {
	switch plan {
	case zoomusers.PlanFree:
		return 50
	case zoomusers.PlanPro:
		return 1500
	}
	return 10000
}
