package zoomtest

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomapi"
)

// Limits the fake enforces, as Zoom documents them.
const (
	maxPictureBytes     = 2 << 20
	maxBackgroundBytes  = 15 << 20
	maxBackgrounds      = 10
	maxEmailChanges     = 3 // per user per 24 hours
	pageTokenLifetime   = 15 * time.Minute
	presenceChangeEvery = time.Minute
)

// limiter enforces Zoom's account-wide rate limits by label and plan: per-second windows
// answered with QPS 429s, and daily caps answered with a Daily-limit 429 whose
// Retry-After is the next UTC midnight as an ISO-8601 date-time.
type limiter struct {
	plan   zoomusers.Plan
	now    func() time.Time
	labels map[string]zoomusers.RateLimitLabel // operationID -> label, from the spec
	specID map[string]string                   // generated Go name (UserSummary) -> operationID

	mu     sync.Mutex
	second map[zoomusers.RateLimitLabel]window
	day    map[string]window // daily bucket -> count
}

type window struct {
	start int64
	n     int
}

func newLimiter(plan zoomusers.Plan, now func() time.Time) *limiter {
	l := &limiter{plan: plan, now: now, labels: map[string]zoomusers.RateLimitLabel{}, specID: map[string]string{},
		second: map[zoomusers.RateLimitLabel]window{}, day: map[string]window{}}
	spec, err := zoomapi.GetSpec()
	if err != nil {
		panic(err)
	}
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			label, _ := op.Extensions["x-rate-limit-label"].(string)
			// The embedded spec carries the generated Go names (UserCreate); Zoom's
			// operationIds all start in lower case (userCreate).
			id := strings.ToLower(op.OperationID[:1]) + op.OperationID[1:]
			l.labels[id] = zoomusers.RateLimitLabel(label)
			l.specID[op.OperationID] = id
		}
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

func (l *limiter) allow(op string, w http.ResponseWriter) error {
	label := l.labels[op]
	now := l.now()
	perSecond := float64(l.plan.RateLimit(label))
	l.mu.Lock()
	defer l.mu.Unlock()

	if bucket, limit := dailyCap(l.plan, label); limit > 0 {
		day := now.UTC().Truncate(24 * time.Hour).Unix()
		d := l.day[bucket]
		if d.start != day {
			d = window{start: day}
		}
		if d.n >= limit {
			return tooMany(label, "Daily-limit", limit, nextMidnight(day),
				"You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.")
		}
		d.n++
		l.day[bucket] = d
	}

	// Limits under one a second (Resource-intensive) are counted per minute.
	span, limit := int64(time.Second), perSecond
	if perSecond < 1 {
		span, limit = int64(time.Minute), perSecond*60
	}
	start := now.UnixNano() / span
	win := l.second[label]
	if win.start != start {
		win = window{start: start}
	}
	max := int(math.Round(limit))
	if win.n >= max {
		return tooMany(label, "QPS", max, "", "You have reached the maximum per-second rate limit for this API. Try again later.")
	}
	win.n++
	l.second[label] = win
	return nil
}

// tooMany is Zoom's 429 with its rate-limit headers; retryAfter is omitted when empty.
func tooMany(label zoomusers.RateLimitLabel, kind string, limit int, retryAfter, message string) *zoomError {
	h := http.Header{}
	if label != "" {
		h.Set("X-RateLimit-Category", string(label))
	}
	h.Set("X-RateLimit-Type", kind)
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
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
