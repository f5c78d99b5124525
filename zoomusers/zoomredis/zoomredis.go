// Package zoomredis shares one Zoom account's rate limits and access tokens between the
// replicas of a service, through Redis. Its Limiter spaces requests with the GCRA of
// github.com/go-redis/redis_rate; its TokenStore keeps the token in a Redis key and
// serializes refreshes with a github.com/bsm/redislock lock. The zoomusers package does
// not import this one: services without Redis do not link it.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ReadTimeout: time.Second, ContextTimeoutEnabled: true})
//	c, err := zoomusers.New(
//		zoomusers.WithServerToServer(accountID, clientID, clientSecret),
//		zoomusers.WithPacing(zoomusers.PlanPro, 1), // the whole account, shared by the replicas
//		zoomusers.WithLimiter(zoomredis.NewLimiter(rdb, "zoom:"+accountID)),
//		zoomusers.WithTokenStore(zoomredis.NewTokenStore(rdb, "zoom:"+accountID+":token")),
//	)
//
// When Redis is down or slow, the calls that need it fail with an error that names Redis;
// nothing falls back to pacing alone, which would let every replica use the whole limit.
// Each Redis command runs under its own bound, DefaultCommandTimeout (250 ms) unless
// WithCommandTimeout says otherwise, or the call's context if that ends sooner; the
// bound takes effect through the command's context, so the client needs
// ContextTimeoutEnabled, as above. A command that Redis does not answer within its bound
// finds Redis unreachable, however long the caller was willing to wait: from then on the
// Limiter (or TokenStore) knows Redis is down and its calls fail at once with
// ErrUnavailable, those queued behind the failed one included, rather than each waiting
// out its own deadline; one call every ProbeInterval tries Redis again (the others fail
// at once meanwhile, rather than queue behind it), and as soon as one succeeds calls go
// through again, without a restart.
package zoomredis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/bsm/redislock"
	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// Limiter is a zoomusers.Limiter shared through Redis by every process that uses the same
// namespace: requests under one key leave every apart across all of them. Within a process
// one waiter per key asks Redis at a time, so Redis sees about one request per process and
// slot however many goroutines wait.
type Limiter struct {
	rl        *redis_rate.Limiter
	namespace string
	local     keyedTurns
	health    *health
}

var _ zoomusers.Limiter = (*Limiter)(nil)

// NewLimiter returns a Limiter on rdb. namespace names the Zoom account (its ID, say):
// every replica of that account must use the same, and no other account may.
func NewLimiter(rdb redis.UniversalClient, namespace string, opts ...Option) *Limiter {
	return &Limiter{rl: redis_rate.NewLimiter(rdb), namespace: namespace, health: newHealth(opts)}
}

// Option configures a Limiter or a TokenStore.
type Option func(*config)

type config struct {
	commandTimeout time.Duration
}

// DefaultCommandTimeout bounds each Redis command unless WithCommandTimeout says
// otherwise. A Redis on the same network answers in a millisecond or two; a command still
// unanswered after this long means Redis is stalled or gone, and waiting longer only
// queues the process's calls behind it.
const DefaultCommandTimeout = 250 * time.Millisecond

// WithCommandTimeout bounds each Redis command to d (or to the call's context, if that
// ends sooner); a command that outlasts d counts as Redis unreachable. d <= 0 keeps
// DefaultCommandTimeout. Raise it for a Redis that is far away or often slow to answer.
func WithCommandTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.commandTimeout = d
		}
	}
}

func newHealth(opts []Option) *health {
	cfg := config{commandTimeout: DefaultCommandTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	return &health{bound: cfg.commandTimeout}
}

// Wait implements zoomusers.Limiter.
func (l *Limiter) Wait(ctx context.Context, key string, every time.Duration) error {
	if every <= 0 {
		return nil
	}
	// While Redis is known down, a call fails here rather than queue behind the turn's
	// holder, which may be probing a Redis that does not answer.
	stop, err := l.health.watch()
	if err != nil {
		return fmt.Errorf("zoomredis: asking Redis for a %s slot: %w", key, err)
	}
	release, err := l.local.take(ctx, key, stop)
	if err != nil {
		if errors.Is(err, ErrUnavailable) {
			return fmt.Errorf("zoomredis: asking Redis for a %s slot: %w", key, err)
		}
		return err
	}
	defer release()
	// A burst of one keeps the spacing even: the n requests a second allows never leave
	// together to land in one window.
	limit := redis_rate.Limit{Rate: 1, Period: every, Burst: 1}
	for {
		var res *redis_rate.Result
		err := l.health.do(ctx, func(ctx context.Context) (err error) {
			res, err = l.rl.Allow(ctx, l.namespace+":"+key, limit)
			return err
		})
		if err != nil {
			if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
				// The client reports the end of the context as a network timeout.
				return fmt.Errorf("zoomredis: asking Redis for a %s slot: %w (%v)", key, ctx.Err(), err)
			}
			return fmt.Errorf("zoomredis: asking Redis for a %s slot: %w", key, err)
		}
		if res.Allowed > 0 {
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < res.RetryAfter {
			return fmt.Errorf("zoomredis: the next %s slot comes after the context's deadline: %w", key, context.DeadlineExceeded)
		}
		t := time.NewTimer(res.RetryAfter)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// keyedTurns lets one goroutine per key at a time go ahead.
type keyedTurns struct {
	mu    sync.Mutex
	turns map[string]chan struct{}
}

// take waits for key's turn, until ctx ends or stop is closed (Redis was found down, or a
// probe of it began: the waiters must not queue behind a dead connection).
func (k *keyedTurns) take(ctx context.Context, key string, stop <-chan struct{}) (func(), error) {
	k.mu.Lock()
	if k.turns == nil {
		k.turns = map[string]chan struct{}{}
	}
	turn, ok := k.turns[key]
	if !ok {
		turn = make(chan struct{}, 1)
		k.turns[key] = turn
	}
	k.mu.Unlock()
	select {
	case turn <- struct{}{}:
		return func() { <-turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-stop:
		return nil, ErrUnavailable
	}
}

// ErrUnavailable is the error of a call that failed because Redis could not be reached:
// the call whose command Redis did not answer within its bound (or that could not connect),
// and, at once and without a command, every call made while Redis is known to be down.
var ErrUnavailable = errors.New("zoomredis: Redis is unreachable")

// ProbeInterval is how often, while Redis is known to be unreachable, one call tries it
// again; the others fail at once with ErrUnavailable.
const ProbeInterval = 500 * time.Millisecond

// health remembers that Redis could not be reached, so that the calls that need it fail
// at once instead of each waiting out a timeout, and lets one call per ProbeInterval find
// out whether it is back.
type health struct {
	bound     time.Duration // of each command
	mu        sync.Mutex
	down      bool
	since     time.Time
	cause     error         // the failure that found Redis down
	nextProbe time.Time     // when the next call may try Redis
	probing   bool          // a call is trying Redis now
	stop      chan struct{} // closed when waiting calls must give up; nil until someone waits
}

// refusal returns the error of a call made now, when it must fail without a command:
// Redis is known down and a probe is running or not yet due. Else nil. h.mu is held.
func (h *health) refusal() error {
	if h.down && (h.probing || time.Now().Before(h.nextProbe)) {
		return fmt.Errorf("%w since %s (%v); it is tried again every %s", ErrUnavailable, h.since.Format(time.RFC3339), h.cause, ProbeInterval)
	}
	return nil
}

// watch returns refusal's error if a call made now must fail at once, else a channel that
// is closed as soon as waiting calls must give up: when Redis is found down, or when a
// probe of it begins.
func (h *health) watch() (<-chan struct{}, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.refusal(); err != nil {
		return nil, err
	}
	if h.stop == nil {
		h.stop = make(chan struct{})
	}
	return h.stop, nil
}

// release closes the channel watch handed out, and lets the next watch make a new one.
// h.mu is held.
func (h *health) release() {
	if h.stop != nil {
		close(h.stop)
		h.stop = nil
	}
}

// do runs cmd, one Redis command, under h.bound (or ctx, if it ends sooner), unless a call
// made now must fail at once, and learns from its outcome. A command that outlasts the
// bound finds Redis unreachable even when the caller would have waited longer.
func (h *health) do(ctx context.Context, cmd func(context.Context) error) error {
	h.mu.Lock()
	if err := h.refusal(); err != nil {
		h.mu.Unlock()
		return err
	}
	probe := h.down
	if probe {
		h.probing = true
		h.release() // the calls waiting now would wait behind the probe
	}
	h.mu.Unlock()
	cmdCtx, cancel := context.WithTimeout(ctx, h.bound)
	err := cmd(cmdCtx)
	boundPassed := over(cmdCtx)
	cancel()
	h.mu.Lock()
	defer h.mu.Unlock()
	if probe {
		h.probing = false
	}
	switch {
	case unreachable(ctx, err):
		if boundPassed {
			// Not the caller's deadline: the error must not say context.DeadlineExceeded.
			err = fmt.Errorf("no answer within %s (%v)", h.bound, err)
		}
		if !h.down {
			h.down, h.since, h.cause = true, time.Now(), err
		}
		h.release()
		h.nextProbe = time.Now().Add(ProbeInterval)
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	case err == nil || ctx.Err() == nil:
		h.down = false // Redis answered, if only with an error of its own
	}
	return err
}

// unreachable reports whether err says Redis could not be reached: not a reply of Redis
// (a missing key, a lock held by another), and not the end of the caller's own context.
// The end of the command's own bound, before the caller's, is a Redis that did not answer.
func unreachable(ctx context.Context, err error) bool {
	var reply redis.Error
	return err != nil && !over(ctx) && !errors.Is(err, redis.Nil) && !errors.Is(err, redislock.ErrNotObtained) && !errors.As(err, &reply)
}

// over reports whether ctx has ended or its deadline has passed: a socket deadline taken
// from ctx can fire a moment before ctx's own timer does.
func over(ctx context.Context) bool {
	deadline, ok := ctx.Deadline()
	return ctx.Err() != nil || ok && !time.Now().Before(deadline)
}

// TokenStore is a zoomusers.TokenStore in one Redis key, for every replica that uses the
// same credentials. The token, refresh token included, is stored as JSON in plain text:
// keep Redis private (ACLs, TLS) as you would the credentials themselves.
type TokenStore struct {
	rdb     redis.UniversalClient
	locks   *redislock.Client
	key     string
	lockTTL time.Duration
	health  *health
}

var _ zoomusers.TokenStore = (*TokenStore)(nil)

// DefaultLockTTL bounds how long a replica that died while refreshing keeps the others
// waiting: longer than a token request takes, which zoomusers bounds to 30 seconds.
const DefaultLockTTL = 45 * time.Second

// NewTokenStore returns a TokenStore in key (and its lock in key+":lock") on rdb. Use one
// key per set of credentials: per account for Server-to-Server OAuth, per user for user
// OAuth.
func NewTokenStore(rdb redis.UniversalClient, key string, opts ...Option) *TokenStore {
	return &TokenStore{rdb: rdb, locks: redislock.New(rdb), key: key, lockTTL: DefaultLockTTL, health: newHealth(opts)}
}

// Load implements zoomusers.TokenStore.
func (s *TokenStore) Load(ctx context.Context) (*oauth2.Token, error) {
	var raw []byte
	err := s.health.do(ctx, func(ctx context.Context) (err error) {
		raw, err = s.rdb.Get(ctx, s.key).Bytes()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("zoomredis: reading token key %q: %w", s.key, err)
	}
	var tok oauth2.Token
	if err := json.Unmarshal(raw, &tok); err != nil {
		return nil, fmt.Errorf("zoomredis: token key %q does not hold a token: %w", s.key, err)
	}
	return &tok, nil
}

// Save implements zoomusers.TokenStore. The key has no expiry: a user's refresh token
// outlives the access token beside it.
func (s *TokenStore) Save(ctx context.Context, tok *oauth2.Token) error {
	raw, err := json.Marshal(tok)
	if err != nil {
		return fmt.Errorf("zoomredis: encoding the token: %w", err)
	}
	if err := s.health.do(ctx, func(ctx context.Context) error { return s.rdb.Set(ctx, s.key, raw, 0).Err() }); err != nil {
		return fmt.Errorf("zoomredis: writing token key %q: %w", s.key, err)
	}
	return nil
}

// Lock implements zoomusers.TokenStore with a redislock lock that expires after
// DefaultLockTTL, in case its holder dies. While another replica holds the lock, Lock asks
// again every 20 ms until ctx ends: each attempt is one command under the command bound,
// so a long wait for the holder is not taken for a Redis that does not answer.
func (s *TokenStore) Lock(ctx context.Context) (func(), error) {
	if _, ok := ctx.Deadline(); !ok {
		// The holder's lock has expired by then, even if the holder died.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.lockTTL)
		defer cancel()
	}
	var lock *redislock.Lock
	for {
		err := s.health.do(ctx, func(ctx context.Context) (err error) {
			lock, err = s.locks.Obtain(ctx, s.key+":lock", s.lockTTL, nil) // one attempt
			return err
		})
		if err == nil {
			break
		}
		if !errors.Is(err, redislock.ErrNotObtained) {
			return nil, fmt.Errorf("zoomredis: taking lock %q: %w", s.key+":lock", err)
		}
		t := time.NewTimer(20 * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("zoomredis: taking lock %q, held by another: %w", s.key+":lock", ctx.Err())
		}
	}
	return func() {
		// The caller's context may be over; a lock left behind would hold the others up
		// until it expires.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		lock.Release(ctx) // an expired lock is no one's to release
	}, nil
}
