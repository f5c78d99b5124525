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
// ContextTimeoutEnabled, by the call's context.
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
	release, err := l.local.take(ctx, key)
	if err != nil {
		return err
	}
	defer release()
	// A burst of one keeps the spacing even: the n requests a second allows never leave
	// together to land in one window.
	limit := redis_rate.Limit{Rate: 1, Period: every, Burst: 1}
	for {
		res, err := l.rl.Allow(ctx, l.namespace+":"+key, limit)
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

func (k *keyedTurns) take(ctx context.Context, key string) (func(), error) {
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
	}
}

// TokenStore is a zoomusers.TokenStore in one Redis key, for every replica that uses the
// same credentials. The token, refresh token included, is stored as JSON in plain text:
// keep Redis private (ACLs, TLS) as you would the credentials themselves.
type TokenStore struct {
	rdb     redis.UniversalClient
	locks   *redislock.Client
	key     string
	lockTTL time.Duration
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
	raw, err := s.rdb.Get(ctx, s.key).Bytes()
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
	if err := s.rdb.Set(ctx, s.key, raw, 0).Err(); err != nil {
		return fmt.Errorf("zoomredis: writing token key %q: %w", s.key, err)
	}
	return nil
}

// Lock implements zoomusers.TokenStore with a redislock lock that expires after
// DefaultLockTTL, in case its holder dies.
func (s *TokenStore) Lock(ctx context.Context) (func(), error) {
	lock, err := s.locks.Obtain(ctx, s.key+":lock", s.lockTTL, &redislock.Options{RetryStrategy: redislock.LinearBackoff(20 * time.Millisecond)})
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
