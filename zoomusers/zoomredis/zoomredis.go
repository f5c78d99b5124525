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
// How long a call waits for Redis is bounded by the redis.Options timeouts and, with
// ContextTimeoutEnabled, by the call's context. Once a command has failed because Redis
// could not be reached, the Limiter (or TokenStore) knows Redis is down: its calls fail at
// once with ErrUnavailable, those queued behind the failed one included, rather than each
// waiting out its own timeout; one call every ProbeInterval tries Redis again, and as soon
// as one succeeds calls go through again, without a restart.
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
	health    health
}

var _ zoomusers.Limiter = (*Limiter)(nil)

// NewLimiter returns a Limiter on rdb. namespace names the Zoom account (its ID, say):
// every replica of that account must use the same, and no other account may.
func NewLimiter(rdb redis.UniversalClient, namespace string) *Limiter {
	return &Limiter{rl: redis_rate.NewLimiter(rdb), namespace: namespace}
}

// Wait implements zoomusers.Limiter.
func (l *Limiter) Wait(ctx context.Context, key string, every time.Duration) error {
	if every <= 0 {
		return nil
	}
	release, err := l.local.take(ctx, key, l.health.downSignal())
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
		err := l.health.do(ctx, func() (err error) {
			res, err = l.rl.Allow(ctx, l.namespace+":"+key, limit)
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
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

// take waits for key's turn, until ctx ends or down is closed (Redis was found down: the
// turn's holder met it, and the waiters must not queue behind a dead connection).
func (k *keyedTurns) take(ctx context.Context, key string, down <-chan struct{}) (func(), error) {
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
	case <-down:
		return nil, ErrUnavailable
	}
}

// ErrUnavailable is the error of a call that needed Redis while Redis is known to be
// unreachable: the call failed without a command, and without waiting.
var ErrUnavailable = errors.New("zoomredis: Redis is unreachable")

// ProbeInterval is how often, while Redis is known to be unreachable, one call tries it
// again; the others fail at once with ErrUnavailable.
const ProbeInterval = 500 * time.Millisecond

// health remembers that Redis could not be reached, so that the calls that need it fail
// at once instead of each waiting out the client's timeouts, and lets one call per
// ProbeInterval find out whether it is back. The zero value is Redis up.
type health struct {
	mu        sync.Mutex
	down      bool
	since     time.Time
	cause     error         // the failure that found Redis down
	nextProbe time.Time     // when the next call may try Redis
	probing   bool          // a call is trying Redis now
	signal    chan struct{} // closed when Redis is found down; nil until someone waits
}

// downSignal returns a channel that is closed when Redis is found down, or nil (never
// ready) while it is already down: then the turn's holder fails at once or probes.
func (h *health) downSignal() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down {
		return nil
	}
	if h.signal == nil {
		h.signal = make(chan struct{})
	}
	return h.signal
}

// do runs cmd, one Redis command, unless Redis is known down and it is not yet time for
// a probe, and learns from its outcome.
func (h *health) do(ctx context.Context, cmd func() error) error {
	h.mu.Lock()
	probe := false
	if h.down {
		if h.probing || time.Now().Before(h.nextProbe) {
			err := fmt.Errorf("%w since %s (%v); it is tried again every %s", ErrUnavailable, h.since.Format(time.RFC3339), h.cause, ProbeInterval)
			h.mu.Unlock()
			return err
		}
		h.probing, probe = true, true
	}
	h.mu.Unlock()
	err := cmd()
	h.mu.Lock()
	defer h.mu.Unlock()
	if probe {
		h.probing = false
	}
	switch {
	case unreachable(ctx, err):
		if !h.down {
			h.down, h.since, h.cause = true, time.Now(), err
			if h.signal != nil {
				close(h.signal)
				h.signal = nil
			}
		}
		h.nextProbe = time.Now().Add(ProbeInterval)
	case err == nil || ctx.Err() == nil:
		h.down = false // Redis answered, if only with an error of its own
	}
	return err
}

// unreachable reports whether err says Redis could not be reached: not a reply of Redis
// (a missing key, a lock held by another), and not the end of the caller's own context.
func unreachable(ctx context.Context, err error) bool {
	var reply redis.Error
	return err != nil && ctx.Err() == nil && !errors.Is(err, redis.Nil) && !errors.Is(err, redislock.ErrNotObtained) && !errors.As(err, &reply)
}

// TokenStore is a zoomusers.TokenStore in one Redis key, for every replica that uses the
// same credentials. The token, refresh token included, is stored as JSON in plain text:
// keep Redis private (ACLs, TLS) as you would the credentials themselves.
type TokenStore struct {
	rdb     redis.UniversalClient
	locks   *redislock.Client
	key     string
	lockTTL time.Duration
	health  health
}

var _ zoomusers.TokenStore = (*TokenStore)(nil)

// DefaultLockTTL bounds how long a replica that died while refreshing keeps the others
// waiting: longer than a token request takes, which zoomusers bounds to 30 seconds.
const DefaultLockTTL = 45 * time.Second

// NewTokenStore returns a TokenStore in key (and its lock in key+":lock") on rdb. Use one
// key per set of credentials: per account for Server-to-Server OAuth, per user for user
// OAuth.
func NewTokenStore(rdb redis.UniversalClient, key string) *TokenStore {
	return &TokenStore{rdb: rdb, locks: redislock.New(rdb), key: key, lockTTL: DefaultLockTTL}
}

// Load implements zoomusers.TokenStore.
func (s *TokenStore) Load(ctx context.Context) (*oauth2.Token, error) {
	var raw []byte
	err := s.health.do(ctx, func() (err error) {
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
	if err := s.health.do(ctx, func() error { return s.rdb.Set(ctx, s.key, raw, 0).Err() }); err != nil {
		return fmt.Errorf("zoomredis: writing token key %q: %w", s.key, err)
	}
	return nil
}

// Lock implements zoomusers.TokenStore with a redislock lock that expires after
// DefaultLockTTL, in case its holder dies.
func (s *TokenStore) Lock(ctx context.Context) (func(), error) {
	var lock *redislock.Lock
	err := s.health.do(ctx, func() (err error) {
		lock, err = s.locks.Obtain(ctx, s.key+":lock", s.lockTTL, &redislock.Options{RetryStrategy: redislock.LinearBackoff(20 * time.Millisecond)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("zoomredis: taking lock %q: %w", s.key+":lock", err)
	}
	return func() {
		// The caller's context may be over; a lock left behind would hold the others up
		// until it expires.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		lock.Release(ctx) // an expired lock is no one's to release
	}, nil
}
