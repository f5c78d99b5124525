package zoomusers

import (
	"context"
	"fmt"
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

// pacer spaces requests per label so that a burst stays under the plan's limits.
type pacer struct {
	limiters map[RateLimitLabel]*rate.Limiter
}

// pacingHeadroom keeps the paced rate a little under the limit: requests leave evenly
// spaced but arrive with network jitter, and Zoom counts arrivals.
const pacingHeadroom = 0.9

func newPacer(plan Plan, share float64) *pacer {
	p := &pacer{limiters: map[RateLimitLabel]*rate.Limiter{}}
	for _, l := range []RateLimitLabel{LabelLight, LabelMedium, LabelHeavy, LabelResourceIntensive} {
		limit := plan.RateLimit(l) * rate.Limit(share*pacingHeadroom)
		// A burst of one keeps every one-second window at or under the limit.
		p.limiters[l] = rate.NewLimiter(limit, 1)
	}
	return p
}

// wait blocks until a request of label l may leave, or ctx is done. A slot that would come
// after ctx's deadline fails at once with context.DeadlineExceeded.
func (p *pacer) wait(ctx context.Context, l RateLimitLabel) error {
	if p == nil {
		return nil
	}
	lim, ok := p.limiters[l]
	if !ok {
		return nil
	}
	if err := lim.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("waiting for a %s rate-limit slot: %w", l, ctx.Err())
		}
		// x/time/rate refuses, without waiting, a slot past the deadline; its error does
		// not say which context error that is.
		return fmt.Errorf("the next %s rate-limit slot comes after the context's deadline: %w", l, context.DeadlineExceeded)
	}
	return nil
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
