package zoomusers

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestPacerLearnsFrom429s(t *testing.T) {
	medium := operations[OpUserSettings]
	light := operations[OpUser]
	qps := func(category string, limit int) *Error {
		return &Error{StatusCode: http.StatusTooManyRequests, RateLimit: RateLimit{Category: category, Type: "QPS", Limit: limit, Remaining: 0}}
	}
	ctx := context.Background()
	sec := func(n float64) time.Duration { return time.Duration(float64(time.Second) * 1.03 / n) }

	p := newPacer(nil, nil)
	for _, l := range []RateLimitLabel{LabelLight, LabelMedium, LabelHeavy, LabelResourceIntensive} {
		if p.every[l] != 0 {
			t.Fatalf("without WithPacing %s is paced from the start", l)
		}
	}
	p.observe(ctx, medium, &Error{StatusCode: http.StatusServiceUnavailable})
	p.observe(ctx, medium, &Error{StatusCode: http.StatusTooManyRequests, RateLimit: RateLimit{Type: "Daily-limit"}, RetryAfter: time.Now().Add(time.Hour)})
	if p.every[LabelMedium] != 0 {
		t.Errorf("a 503 or a daily limit paced Medium at %v", p.every[LabelMedium])
	}
	p.observe(ctx, medium, qps("Medium", 60))
	if got := p.every[LabelMedium]; got != sec(60) {
		t.Errorf("after X-RateLimit-Limit: 60, Medium spaced %v, want %v", got, sec(60))
	}
	p.observe(ctx, medium, qps("Medium", 20))
	if got := p.every[LabelMedium]; got != sec(20) {
		t.Errorf("after a lower limit, Medium spaced %v, want %v", got, sec(20))
	}
	p.observe(ctx, medium, qps("Medium", 60))
	if got := p.every[LabelMedium]; got != sec(20) {
		t.Errorf("a higher limit sped Medium up to %v", got)
	}
	// The header's category wins over the operation's label: Zoom knows which it counted.
	p.observe(ctx, medium, qps("Heavy", 10))
	if got := p.every[LabelHeavy]; got != sec(10) {
		t.Errorf("a 429 in category Heavy spaced Heavy %v, want %v", got, sec(10))
	}
	// Without headers, the plan's table: Pro unless WithPacing named another.
	p.observe(ctx, light, &Error{StatusCode: http.StatusTooManyRequests, RateLimit: RateLimit{Remaining: -1}})
	if got := p.every[LabelLight]; got != sec(30) {
		t.Errorf("a bare 429 on a Light call spaced Light %v, want Pro's 30 a second (%v)", got, sec(30))
	}
	// Resource-intensive limits count a minute.
	p.observe(ctx, operation{Label: LabelResourceIntensive}, qps("Resource-intensive", 20))
	if got, want := p.every[LabelResourceIntensive], time.Duration(float64(time.Minute)*1.03/20); got != want {
		t.Errorf("Resource-intensive 20 a minute spaced %v, want %v", got, want)
	}

	// WithPacing's share narrows what is learned too.
	half := newPacer(&pacingConfig{plan: PlanFree, share: 0.5}, nil)
	if got := half.every[LabelMedium]; got != sec(1) {
		t.Errorf("Free at half share spaces Medium %v, want %v", got, sec(1))
	}
	half.observe(ctx, medium, qps("Medium", 20))
	if got := half.every[LabelMedium]; got != sec(1) {
		t.Errorf("a 429 stating a higher limit sped paced Medium up to %v", got)
	}
}

func TestDailyLimitMemoryEnds(t *testing.T) {
	now := time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)
	p := newPacer(nil, nil)
	p.now = func() time.Time { return now }
	ctx := context.Background()
	op := operations[OpUserSettings]
	midnight := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	p.observe(ctx, op, &Error{StatusCode: http.StatusTooManyRequests, RateLimit: RateLimit{Type: "Daily-limit"}, RetryAfter: midnight, TrackingID: "t1",
		Method: "GET", Path: "/v2/users/a@example.com/settings", AccountCap: true})
	// The refusal is Zoom's answer to the earlier call, but names this call's request; it
	// sent nothing, so the tracking ID is named as the earlier answer's.
	if err, ok := p.refuse(ctx, OpUserSettings, "GET", "/v2/users/b@example.com/settings").(*Error); !ok || err.TrackingID != "" || err.LimitTrackingID != "t1" || err.Path != "/v2/users/b@example.com/settings" {
		t.Errorf("before midnight: %v, want the remembered error naming b's request", err)
	}
	if err := p.refuse(ctx, OpUser, "GET", "/v2/users/u1"); err != nil {
		t.Errorf("another operation: %v", err)
	}
	if err := p.refuse(withLimitScope(ctx, "action=create"), OpUserSettings, "GET", "/p"); err != nil {
		t.Errorf("the same operation in another scope: %v", err)
	}
	now = midnight
	if err := p.refuse(ctx, OpUserSettings, "GET", "/p"); err != nil {
		t.Errorf("at RetryAfter: %v, want the call to go out", err)
	}
	// A daily limit whose RetryAfter is already over, or missing, is not remembered.
	p.observe(ctx, op, &Error{StatusCode: http.StatusTooManyRequests, RateLimit: RateLimit{Type: "Daily-limit"}, RetryAfter: midnight.Add(-time.Hour)})
	p.observe(ctx, op, &Error{StatusCode: http.StatusTooManyRequests, RateLimit: RateLimit{Type: "Daily-limit"}})
	if err := p.refuse(ctx, OpUserSettings, "GET", "/p"); err != nil {
		t.Errorf("a daily limit without a future RetryAfter was remembered: %v", err)
	}
}

// Per-user daily limits that are over are dropped when another is observed, not only when
// the same call comes again: each holds an answer's body, and a bulk job meets many.
func TestExpiredDailyLimitsAreDropped(t *testing.T) {
	now := time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)
	midnight := now.Add(time.Hour)
	p := newPacer(nil, nil)
	p.now = func() time.Time { return now }
	ctx, op := context.Background(), operations[OpUserSettings]
	for _, u := range []string{"a", "b", "c"} {
		p.observe(ctx, op, &Error{StatusCode: http.StatusTooManyRequests, Message: perUserDailyMessage, RetryAfter: midnight,
			Method: "GET", Path: "/v2/users/" + u + "/settings", Body: make([]byte, 4<<10)})
	}
	if n := len(p.daily); n != 3 {
		t.Fatalf("%d entries for three users' limits, want 3", n)
	}
	now = midnight.Add(23 * time.Hour)
	p.observe(ctx, op, &Error{StatusCode: http.StatusTooManyRequests, Message: perUserDailyMessage, RetryAfter: midnight.Add(24 * time.Hour),
		Method: "GET", Path: "/v2/users/d/settings"})
	if n := len(p.daily); n != 1 {
		t.Errorf("%d entries the day after, want 1: the three that are over were kept", n)
	}
}

// A per-user daily limit on a path that does not name the user (userCreate's user is in
// its body) is not remembered: it would refuse every other user's call.
func TestPerUserLimitRememberedOnlyWhereThePathNamesTheUser(t *testing.T) {
	p := newPacer(nil, nil)
	ctx := withLimitScope(context.Background(), "action=autoCreate")
	tomorrow := time.Now().Add(24 * time.Hour)
	p.observe(ctx, operations[OpUserCreate], &Error{StatusCode: http.StatusTooManyRequests, Message: perUserDailyMessage, RetryAfter: tomorrow, Method: "POST", Path: "/v2/users"})
	if err := p.refuse(ctx, OpUserCreate, "POST", "/v2/users"); err != nil {
		t.Errorf("another user's create refused by a per-user limit: %v", err)
	}
	p.observe(ctx, operations[OpUserSettings], &Error{StatusCode: http.StatusTooManyRequests, Message: perUserDailyMessage, RetryAfter: tomorrow, Method: "GET", Path: "/v2/users/a/settings"})
	if err := p.refuse(ctx, OpUserSettings, "GET", "/v2/users/a/settings"); err == nil {
		t.Error("the same user's call of the same operation went out under its per-user limit")
	}
}

// The local limiter spaces requests every apart however many wait, and a waiter whose
// context ends leaves the queue.
func TestLocalLimiter(t *testing.T) {
	l := NewLocalLimiter()
	ctx := context.Background()
	const every = 20 * time.Millisecond
	start := time.Now()
	for range 6 {
		if err := l.Wait(ctx, "k", every); err != nil {
			t.Fatal(err)
		}
	}
	if elapsed := time.Since(start); elapsed < 5*every {
		t.Errorf("6 requests 20 ms apart took %v, want at least 100 ms", elapsed)
	}
	short, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	if err := l.Wait(short, "k", time.Hour); err == nil {
		t.Error("a slot an hour away was granted within a 1 ms deadline")
	}
	if err := l.Wait(ctx, "other", time.Hour); err != nil {
		t.Errorf("another key waited on k: %v", err)
	}
}
