package zoomusers

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimitLabel is Zoom's rate-limit class of an operation, as the spec's
// x-rate-limit-label gives it.
type RateLimitLabel string

// Zoom's rate-limit labels.
const (
	LabelLight             RateLimitLabel = "Light"
	LabelMedium            RateLimitLabel = "Medium"
	LabelHeavy             RateLimitLabel = "Heavy"
	LabelResourceIntensive RateLimitLabel = "Resource-intensive"
)

// Plan is the Zoom account's plan, which sets its rate limits.
type Plan int

// Account plans, as Zoom's rate-limit table distinguishes them.
const (
	PlanFree     Plan = iota // Free accounts
	PlanPro                  // Pro accounts
	PlanBusiness             // Business, Business Plus, Enterprise and Education accounts
)

// String returns the plan's name as Zoom's rate-limit table gives it.
func (p Plan) String() string {
	switch p {
	case PlanFree:
		return "Free"
	case PlanPro:
		return "Pro"
	case PlanBusiness:
		return "Business+"
	}
	return "Plan(unknown)"
}

// RateLimit returns the sustained rate Zoom allows an account on plan p for label l,
// shared by every app on the account.
func (p Plan) RateLimit(l RateLimitLabel) rate.Limit {
	if p < PlanFree || p > PlanBusiness {
		p = PlanFree
	}
	if v, ok := perSecond[l]; ok {
		return rate.Limit(v[p])
	}
	if v, ok := perMinute[l]; ok {
		return rate.Limit(v[p] / 60)
	}
	return rate.Inf
}

// Zoom's rate-limit table, indexed by Plan.
var (
	perSecond = map[RateLimitLabel][3]float64{
		LabelLight:  {4, 30, 80},
		LabelMedium: {2, 20, 60},
		LabelHeavy:  {1, 10, 40},
	}
	perMinute = map[RateLimitLabel][3]float64{
		LabelResourceIntensive: {10, 10, 20},
	}
)

// Limiter spaces the requests that share one of Zoom's rate limits. The client asks it
// before every request of a paced label. NewLocalLimiter, the default, spaces the requests
// of one process; a shared implementation, such as package zoomredis, spaces those of every
// replica that uses the same Zoom account, so that together they stay under its limits.
type Limiter interface {
	// Wait blocks until a request under key may leave, so that the requests under key
	// leave at least every apart, or until ctx is done. key names a rate-limit label, such
	// as "Medium"; every may change from one call to the next as the client learns the
	// account's limits.
	Wait(ctx context.Context, key string, every time.Duration) error
}

// NewLocalLimiter returns a Limiter that spaces requests within this process. Share one
// between the Clients of one process that use the same Zoom account.
func NewLocalLimiter() Limiter {
	return &localLimiter{keys: map[string]*spacer{}}
}

type localLimiter struct {
	mu   sync.Mutex
	keys map[string]*spacer
}

// spacer lets one request of a key leave at a time, every after the previous one, and
// anchors the schedule on when requests actually left: a waiter that wakes late pushes the
// next one back rather than leaving it closer, since Zoom counts arrivals, not schedules.
// Waiters queue on turn.
type spacer struct {
	turn chan struct{} // holds a value while a waiter has the turn
	last time.Time     // when the previous request left; guarded by turn
}

// Wait implements Limiter.
func (l *localLimiter) Wait(ctx context.Context, key string, every time.Duration) error {
	l.mu.Lock()
	s, ok := l.keys[key]
	if !ok {
		s = &spacer{turn: make(chan struct{}, 1)}
		l.keys[key] = s
	}
	l.mu.Unlock()
	select {
	case s.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.turn }()
	slot := s.last.Add(every)
	if now := time.Now(); !now.Before(slot) {
		s.last = now // the key was idle: nothing to wait for
		return nil
	}
	if d := time.Until(slot); d > 0 {
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
			return fmt.Errorf("the next slot comes after the context's deadline: %w", context.DeadlineExceeded)
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// Timers fire a little late as a rule; only a wake-up later than lateSlack (a stalled
	// process) moves the schedule, so that the usual lateness does not add up over a job.
	s.last = slot
	if late := time.Now().Add(-lateSlack); late.After(slot) {
		s.last = late
	}
	return nil
}

// lateSlack is how late a waiter may leave without pushing the next one back.
const lateSlack = 5 * time.Millisecond

// WithLimiter spaces paced requests with l instead of a limiter of the Client's own. Pass
// a shared Limiter (package zoomredis has one) to keep every replica that uses the same
// Zoom account under its limits together; give WithPacing as well, so that each replica
// paces from its first request rather than from its first 429.
func WithLimiter(l Limiter) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("zoomusers: WithLimiter needs a Limiter")
		}
		c.limiter = l
		return nil
	}
}

// jitterAllowance is how far past one window requests are spread: the n requests a
// limit allows per window leave over (1 + jitterAllowance) windows. Zoom counts arrivals
// in a window that slides, so request k and request k+n must arrive a full window apart;
// leaving 30 ms more per second covers the differences in network and scheduling delay
// between them, which BenchmarkPacedThroughput measures (test/BENCHMARKS.md).
const jitterAllowance = 0.03

// pacer spaces the requests of each label, from the plan given to WithPacing or from what
// 429s teach, and remembers daily limits until they end.
type pacer struct {
	limiter Limiter
	plan    Plan // the limits assumed for a 429 that does not state its own
	// planGiven: plan is the account's, from WithPacing, not an assumption.
	planGiven bool
	share     float64 // of the account's limits, for this client
	now       func() time.Time

	mu    sync.Mutex
	every map[RateLimitLabel]time.Duration // spacing of each paced label
	daily map[string]*Error                // daily-limit answers by dailyKey, until RetryAfter
}

// defaultLearningPlan is assumed for a 429 without X-RateLimit-Limit when WithPacing gave
// no plan: Pro, the smallest paid plan. Zoom's per-second 429s normally state their limit;
// some that do not are not about the account's rate at all (one DELETE per user at a time),
// and the Free table would slow a paid account tenfold for them.
const defaultLearningPlan = PlanPro

func newPacer(cfg *pacingConfig, limiter Limiter) *pacer {
	if limiter == nil {
		limiter = NewLocalLimiter()
	}
	p := &pacer{limiter: limiter, plan: defaultLearningPlan, share: 1, now: time.Now,
		every: map[RateLimitLabel]time.Duration{}, daily: map[string]*Error{}}
	if cfg != nil {
		p.plan, p.share, p.planGiven = cfg.plan, cfg.share, true
		for _, l := range []RateLimitLabel{LabelLight, LabelMedium, LabelHeavy, LabelResourceIntensive} {
			p.every[l] = p.spacing(l, 0)
		}
	}
	return p
}

// spacing is how far apart requests of label l leave for a limit of n per window (the
// plan's when n is 0): Resource-intensive limits count a minute, the others a second.
func (p *pacer) spacing(l RateLimitLabel, n int) time.Duration {
	window := rateWindow
	perWindow := float64(n)
	if l == LabelResourceIntensive {
		window = time.Minute
	}
	if n <= 0 {
		perWindow = float64(p.plan.RateLimit(l)) * window.Seconds()
	}
	if perWindow <= 0 || math.IsInf(perWindow, 0) {
		return 0
	}
	return time.Duration(float64(window) * (1 + jitterAllowance) / (perWindow * p.share))
}

// wait blocks until a request of label l may leave, or ctx is done, and reports whether
// the label is paced at all. A slot that would come after ctx's deadline fails at once
// with context.DeadlineExceeded.
func (p *pacer) wait(ctx context.Context, l RateLimitLabel) (paced bool, _ error) {
	p.mu.Lock()
	every := p.every[l]
	p.mu.Unlock()
	if every <= 0 {
		return false, nil
	}
	if err := p.limiter.Wait(ctx, string(l), every); err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			return true, fmt.Errorf("waiting for a %s rate-limit slot: %w: %w", l, ctx.Err(), err)
		}
		return true, fmt.Errorf("waiting for a %s rate-limit slot: %w", l, err)
	}
	return true, nil
}

// observe learns from Zoom's error answer e to a request of op: a daily-limit 429 is
// remembered until its RetryAfter, for the calls it covers (see dailyKey), and any other
// 429 paces its label from then on, at the limit X-RateLimit-Limit states or else at the
// plan's. Pacing only ever slows: a label WithPacing already spaces more widely stays as
// it is.
func (p *pacer) observe(ctx context.Context, op operation, e *Error) {
	if e == nil || e.StatusCode != http.StatusTooManyRequests {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if scope := e.DailyLimitScope(); scope != NoDailyLimit {
		now := p.now()
		// Per-user entries are many and each holds an answer's body: the ones over are
		// dropped here, not only when the same call comes again (it may never).
		for key, old := range p.daily {
			if !now.Before(old.RetryAfter) {
				delete(p.daily, key)
			}
		}
		// A per-user limit is remembered by path, so only where the path names the user:
		// userCreate's user is in its body, and a path shared by every user's call would
		// refuse calls the limit does not cover.
		namesUser := strings.Contains(op.Path, "{userId}") || strings.HasPrefix(op.Path, "/users/me/")
		if e.RetryAfter.After(now) && (scope == DailyLimitAccount || namesUser) {
			p.daily[dailyKey(ctx, op.ID, scope, e.Path)] = e
		}
		return
	}
	label := op.Label
	if c := RateLimitLabel(e.RateLimit.Category); c.valid() {
		label = c
	}
	if every := p.spacing(label, e.RateLimit.Limit); every > p.every[label] {
		p.every[label] = every
	}
}

// accountCap reports whether Zoom documents an account-wide daily cap that covers a call
// of op (ZOOM_FACTS.md "Rate limits"): userCreate with action=create has one on every
// plan, Heavy and Resource-intensive operations share one, and on the Free plan, when
// WithPacing says the account is on it, every label has one. Other daily limits are not
// documented as account-wide, so a daily 429 on any other call is taken as per user.
func (p *pacer) accountCap(ctx context.Context, op operation) bool {
	if action, _ := ctx.Value(limitScopeKey{}).(string); op.ID == OpUserCreate && action == "action="+string(CreateUserActionCreate) {
		return true
	}
	if op.Label == LabelHeavy || op.Label == LabelResourceIntensive {
		return true
	}
	return p.planGiven && p.plan == PlanFree
}

// refuse returns, without a request, the daily-limit error Zoom gave an earlier call
// that the limit covers (the same operation, and for a per-user limit the same user),
// until its RetryAfter, naming this call's method and path. This call sent nothing, so
// the earlier answer's tracking ID moves to LimitTrackingID.
func (p *pacer) refuse(ctx context.Context, op OperationID, method, path string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, scope := range []DailyLimitScope{DailyLimitAccount, DailyLimitUser} {
		key := dailyKey(ctx, op, scope, path)
		e, ok := p.daily[key]
		if !ok {
			continue
		}
		if !p.now().Before(e.RetryAfter) {
			delete(p.daily, key)
			continue
		}
		cp := *e
		cp.Method, cp.Path = method, path
		cp.TrackingID, cp.LimitTrackingID = "", e.TrackingID
		cp.FieldErrors = slices.Clone(e.FieldErrors)
		cp.Body = slices.Clone(e.Body)
		return &cp
	}
	return nil
}

// dailyKey names the calls a daily limit of the given scope, met by a call of op on path,
// covers. An account-wide limit covers the operation: Zoom's daily caps are per label or
// per operation (userCreate with action=create has a cap of its own, so the action is part
// of the key), and another operation of the label spends one request to learn the same. A
// per-user limit covers the same operation on the same path, that is for the same user:
// another user's call is not limited by it (ZOOM_FACTS.md, "Behaviour seen in the field").
func dailyKey(ctx context.Context, op OperationID, scope DailyLimitScope, path string) string {
	key := string(op)
	if s, _ := ctx.Value(limitScopeKey{}).(string); s != "" {
		key += " " + s
	}
	if scope == DailyLimitUser {
		key += " user " + path
	}
	return key
}

// DailyLimitScope is what a daily-limit 429 covers.
type DailyLimitScope int

// The scopes of daily limits.
const (
	// NoDailyLimit: the answer is not a daily limit (a per-second 429, or not a 429).
	NoDailyLimit DailyLimitScope = iota
	// DailyLimitUser: the limit covers one user's calls of the operation; other users'
	// calls, and other rows of a bulk job, are not limited by it.
	DailyLimitUser
	// DailyLimitAccount: the limit covers the operation for the whole account.
	DailyLimitAccount
)

// DailyLimitScope says whether e is a daily-limit 429 and what it covers, from Zoom's
// headers and message and from what the call was:
//
//   - a message that names a particular user, or a daily-limit message on a 429 without
//     X-RateLimit-Type (the form of the field report in ZOOM_FACTS.md "Behaviour seen in
//     the field": "... permitted for this particular user"), is a per-user limit;
//   - X-RateLimit-Type: Daily-limit on a change of email is per user too (ZOOM_FACTS.md
//     "Rate limits": email change 3 per 24 h per user);
//   - X-RateLimit-Type: Daily-limit is account-wide only where Zoom documents an
//     account-wide daily cap (ZOOM_FACTS.md "Rate limits"): X-RateLimit-Category Heavy or
//     Resource-intensive (their shared cap), or, for an error the Client returned,
//     userCreate with action=create, a Heavy or Resource-intensive operation, or any
//     operation of a client that WithPacing put on the Free plan;
//   - any other daily limit is per user.
//
// Zoom does not document the headers of its per-user limits, so when its answer could be
// either this chooses the narrower scope: it costs one request per user to learn, and never
// refuses a call Zoom would take.
func (e *Error) DailyLimitScope() DailyLimitScope {
	if e == nil || e.StatusCode != http.StatusTooManyRequests {
		return NoDailyLimit
	}
	msg := strings.ToLower(e.Message)
	header := strings.EqualFold(e.RateLimit.Type, "Daily-limit")
	namesUser := strings.Contains(msg, "particular user") || strings.Contains(msg, "per user") || strings.Contains(msg, "this user")
	category := RateLimitLabel(e.RateLimit.Category)
	switch {
	case !header && (e.RateLimit.Type != "" || !strings.Contains(msg, "daily rate limit")):
		return NoDailyLimit
	case !header, namesUser, strings.HasSuffix(e.Path, "/email") && e.Method == http.MethodPut:
		return DailyLimitUser
	case e.AccountCap, category == LabelHeavy, category == LabelResourceIntensive:
		return DailyLimitAccount
	}
	return DailyLimitUser
}

type limitScopeKey struct{}

// withLimitScope marks ctx with the part of a request that selects its daily limit, such
// as userCreate's action.
func withLimitScope(ctx context.Context, scope string) context.Context {
	return context.WithValue(ctx, limitScopeKey{}, scope)
}

// valid reports whether l is one of Zoom's labels.
func (l RateLimitLabel) valid() bool {
	switch l {
	case LabelLight, LabelMedium, LabelHeavy, LabelResourceIntensive:
		return true
	}
	return false
}

// sleep waits d before the next attempt of a request that failed with last, or until ctx
// is done. A wait that would outlast ctx's deadline fails at once. Its error wraps both the
// context's error and last, so that errors.Is and errors.As find either.
func sleep(ctx context.Context, d time.Duration, last error) error {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return fmt.Errorf("zoomusers: the retry in %s would pass the context's deadline: %w; last attempt: %w", d.Round(time.Millisecond), context.DeadlineExceeded, last)
	}
	if d <= 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("zoomusers: %w; last attempt: %w", err, last)
		}
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("zoomusers: waiting %s to retry: %w; last attempt: %w", d.Round(time.Millisecond), ctx.Err(), last)
	case <-t.C:
		return nil
	}
}
