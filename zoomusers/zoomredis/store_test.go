package zoomredis_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomredis"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// refreshCounter counts the refresh_token grants the fake's token endpoint receives.
type refreshCounter struct {
	next      http.Handler
	refreshes atomic.Int64
}

func (c *refreshCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth/token" {
		r.ParseForm() // the fake's own ParseForm then finds the form parsed
		if r.PostForm.Get("grant_type") == "refresh_token" {
			c.refreshes.Add(1)
			// A refresh that takes a while, as over a real network: without the lock,
			// every replica's refresh overlaps this one, every time.
			time.Sleep(100 * time.Millisecond)
		}
	}
	c.next.ServeHTTP(w, r)
}

// Six replicas, each a Client of its own with its own Redis connection, hold the same
// user token, expired. Their concurrent calls make one refresh request: the replica that
// takes the lock refreshes and stores the rotated token, and the others read it. Zoom
// would have killed the refresh token of any second refresh.
func TestReplicasRefreshAUserTokenOnce(t *testing.T) {
	r := startRedis(t)
	fake := zoomtest.NewUnstarted()
	counter := &refreshCounter{next: fake.Handler()}
	srv := httptest.NewServer(counter)
	defer srv.Close()
	cfg := &oauth2.Config{ClientID: zoomtest.ClientID, ClientSecret: zoomtest.ClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInHeader}}
	tok, err := cfg.Exchange(context.Background(), fake.AuthorizeUser(zoomtest.OwnerEmail))
	if err != nil {
		t.Fatal(err)
	}
	tok.Expiry = time.Now().Add(-time.Minute)

	const replicas, callsEach = 6, 3
	var saved atomic.Int64
	var savedTok atomic.Pointer[oauth2.Token]
	clients := make([]*zoomusers.Client, replicas)
	for i := range clients {
		mine := *tok
		c, err := zoomusers.New(zoomusers.WithBaseURL(srv.URL+"/v2"), zoomusers.WithTokenURL(srv.URL+"/oauth/token"),
			zoomusers.WithUserOAuth(cfg, &mine, func(_ context.Context, t *oauth2.Token) error {
				saved.Add(1)
				savedTok.Store(t)
				return nil
			}),
			zoomusers.WithTokenStore(zoomredis.NewTokenStore(r.client(t), "zoom:user:owner", sharingBound)))
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	var wg sync.WaitGroup
	var failed atomic.Int64
	for _, c := range clients {
		for range callsEach {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if _, err := c.User("me").Get(ctx, nil); err != nil {
					failed.Add(1)
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if n := counter.refreshes.Load(); n != 1 || failed.Load() != 0 {
		t.Errorf("%d replicas made %d refresh requests and %d calls failed; want 1 refresh and no failure", replicas, n, failed.Load())
	}
	if n := saved.Load(); n != 1 {
		t.Errorf("the rotated token was handed to a TokenSaver %d times, want 1", n)
	}
	stored, err := zoomredis.NewTokenStore(r.client(t), "zoom:user:owner").Load(context.Background())
	if err != nil || stored == nil || savedTok.Load() == nil || stored.RefreshToken != savedTok.Load().RefreshToken || stored.RefreshToken == tok.RefreshToken {
		t.Errorf("Redis holds %+v (%v); want the rotated token", stored, err)
	}

	// A replica that starts later, with the dead token it was configured with, uses the
	// stored one and does not refresh.
	late := *tok
	c, err := zoomusers.New(zoomusers.WithBaseURL(srv.URL+"/v2"), zoomusers.WithTokenURL(srv.URL+"/oauth/token"),
		zoomusers.WithUserOAuth(cfg, &late, func(context.Context, *oauth2.Token) error { return nil }),
		zoomusers.WithTokenStore(zoomredis.NewTokenStore(r.client(t), "zoom:user:owner")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.User("me").Get(context.Background(), nil); err != nil || counter.refreshes.Load() != 1 {
		t.Errorf("a late replica: %v, %d refreshes in all; want success and still 1", err, counter.refreshes.Load())
	}
}

// storeClient is a Server-to-Server client of srv whose limiter and token store are on rdb.
func storeClient(t *testing.T, srv *zoomtest.Server, rdb *redis.Client, opts ...zoomredis.Option) *zoomusers.Client {
	t.Helper()
	c, err := zoomusers.New(append(srv.ClientOptions(),
		zoomusers.WithPacing(zoomusers.PlanPro, 1),
		zoomusers.WithRetryPolicy(zoomusers.NoRetries),
		zoomusers.WithLimiter(zoomredis.NewLimiter(rdb, "zoom:"+zoomtest.AccountID, opts...)),
		zoomusers.WithTokenStore(zoomredis.NewTokenStore(rdb, "zoom:"+zoomtest.AccountID+":token", opts...)))...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// hangBound is how long a call may take against a Redis that is down or stalled before
// the test calls it a hang; the command bound ends it within about a second.
const hangBound = 30 * time.Second

// timedCall runs a settings read and fails the test if it outlasts hangBound.
func timedCall(t *testing.T, ctx context.Context, c *zoomusers.Client) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := c.User(zoomtest.OwnerEmail).Settings(ctx, nil)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(hangBound):
		t.Fatalf("a call against a Redis that does not answer still waits after %s", hangBound)
		return nil
	}
}

// A Redis that is gone fails the calls that need it with an error naming Redis, at once,
// for the limiter and the token store alike.
func TestRedisDown(t *testing.T) {
	r, srv, c := workingClient(t)
	r.kill(t)

	// The token is in hand: the limiter is what needs Redis.
	err := timedCall(t, context.Background(), c)
	if err == nil || !strings.Contains(err.Error(), "zoomredis: asking Redis for a Medium slot") {
		t.Errorf("limiter with Redis down: %v, want an error naming Redis", err)
	}
	// A new client has no token: the store is what needs Redis first.
	fresh := storeClient(t, srv, r.client(t))
	err = timedCall(t, context.Background(), fresh)
	if err == nil || !strings.Contains(err.Error(), "zoomredis: reading token key") {
		t.Errorf("token store with Redis down: %v, want an error naming Redis", err)
	}
}

// A Redis that accepts requests and never answers ends the call with an error when the
// command's bound passes; the next call, once Redis answers again, succeeds.
func TestRedisStalled(t *testing.T) {
	r, srv, c := workingClient(t)
	r.stop(t)

	err := timedCall(t, context.Background(), c)
	if !errors.Is(err, zoomredis.ErrUnavailable) || !strings.Contains(err.Error(), "zoomredis: asking Redis for a Medium slot") || !strings.Contains(err.Error(), "no answer within") {
		t.Errorf("limiter with Redis stalled: %v, want ErrUnavailable naming Redis and the bound", err)
	}
	fresh := storeClient(t, srv, r.client(t))
	if err := timedCall(t, context.Background(), fresh); err == nil || !strings.Contains(err.Error(), "zoomredis") {
		t.Errorf("token store with Redis stalled: %v, want an error naming Redis", err)
	}

	if err := r.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	// Both found Redis down moments ago: their next probe is at most a ProbeInterval away.
	time.Sleep(zoomredis.ProbeInterval)
	if err := timedCall(t, context.Background(), c); err != nil {
		t.Errorf("after Redis answers again: %v", err)
	}
	if err := timedCall(t, context.Background(), fresh); err != nil {
		t.Errorf("a new client after Redis answers again: %v", err)
	}
}

// While Redis is known to be down, calls fail at once with ErrUnavailable, naming Redis,
// and none waits to its deadline; once Redis is back, the same client's calls succeed
// again within a few probes, without a restart.
func TestRedisDownFailsFastAndRecovers(t *testing.T) {
	r, _, c := workingClient(t)
	r.kill(t)
	if err := timedCall(t, context.Background(), c); err == nil || !strings.Contains(err.Error(), "zoomredis") {
		t.Fatalf("the call that finds Redis down: %v, want an error naming Redis", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	errs := concurrentCalls(t, ctx, c, 20)
	unavailable := 0
	for _, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "zoomredis") || ctx.Err() != nil {
			t.Errorf("with Redis down: %v, want an error naming Redis before the deadline", err)
		}
		if errors.Is(err, zoomredis.ErrUnavailable) {
			unavailable++
		}
	}
	// At most one call per ProbeInterval tries Redis; on a busy machine a few may have.
	if unavailable < len(errs)/2 {
		t.Errorf("%d of %d calls failed at once with ErrUnavailable; the others each tried a dead Redis", unavailable, len(errs))
	}

	r.start(t)
	recovered := false
	for range 300 { // a bound on a hang: 30 s of 100 ms tries
		if err := timedCall(t, context.Background(), c); err == nil {
			recovered = true
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !recovered {
		t.Fatal("the client did not recover after Redis came back")
	}
	if errs := concurrentCalls(t, ctx, c, 5); errors.Join(errs...) != nil {
		t.Errorf("after recovery: %v", errors.Join(errs...))
	}
}

// Calls queued behind one that meets a stalled Redis do not wait their turn at it: they
// fail when it does, naming Redis, long before their deadlines.
func TestStalledRedisDoesNotQueueCalls(t *testing.T) {
	r, srv, _ := workingClient(t)
	// Each attempt at the stalled Redis takes the command bound, 1 s here: 20 calls in a
	// queue would need at least 20 s, past the deadline.
	c := storeClient(t, srv, r.client(t), zoomredis.WithCommandTimeout(time.Second))
	if err := timedCall(t, context.Background(), c); err != nil {
		t.Fatalf("with Redis up: %v", err)
	}
	r.stop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, err := range concurrentCalls(t, ctx, c, 20) {
		if err == nil || !strings.Contains(err.Error(), "zoomredis") || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("with Redis stalled: %v, want an error naming Redis, not the deadline", err)
		}
	}
}

// concurrentCalls makes n settings reads at once and returns their errors.
func concurrentCalls(t *testing.T, ctx context.Context, c *zoomusers.Client, n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = timedCall(t, ctx, c) })
	}
	wg.Wait()
	return errs
}

// workingClient starts Redis and a fake, and returns a client on them whose first call
// succeeded.
func workingClient(t *testing.T) (*redisServer, *zoomtest.Server, *zoomusers.Client) {
	t.Helper()
	r := startRedis(t)
	srv := zoomtest.NewServer()
	t.Cleanup(srv.Close)
	c := storeClient(t, srv, r.client(t))
	if err := timedCall(t, context.Background(), c); err != nil {
		t.Fatalf("with Redis up: %v", err)
	}
	return r, srv, c
}

// slowClient is a Redis client whose own timeouts (10 s) are longer than the deadlines of
// the calls: only the command bound can find Redis stalled before the callers give up.
func slowClient(t *testing.T, addr string) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Callers whose deadlines are shorter than the Redis client's timeouts still learn that a
// frozen Redis is unreachable: each command has its own bound (DefaultCommandTimeout), so
// the calls fail with ErrUnavailable, naming Redis, before their deadlines, rather than
// all ending "waiting for a Medium rate-limit slot: context deadline exceeded". Once Redis
// answers again, calls succeed after the probe interval.
func TestFrozenRedisFailsCallsBeforeTheirDeadlines(t *testing.T) {
	r := startRedis(t)
	srv := zoomtest.NewServer()
	t.Cleanup(srv.Close)
	c := storeClient(t, srv, slowClient(t, r.addr))
	if err := timedCall(t, context.Background(), c); err != nil {
		t.Fatalf("with Redis up: %v", err)
	}
	r.stop(t)

	// A generous deadline, well past the command bound and well short of the client's
	// timeouts; the check is that none of the calls reached it.
	const deadline = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	for _, err := range concurrentCalls(t, ctx, c, 6) {
		if !errors.Is(err, zoomredis.ErrUnavailable) || !strings.Contains(err.Error(), "Redis") || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("limiter with Redis frozen: %v, want ErrUnavailable naming Redis", err)
		}
	}
	if ctx.Err() != nil {
		t.Errorf("the calls against a frozen Redis lasted to their %s deadline", deadline)
	}
	// A new client has no token: the token store meets the frozen Redis first.
	fresh := storeClient(t, srv, slowClient(t, r.addr))
	ctx, cancel = context.WithTimeout(context.Background(), deadline)
	defer cancel()
	if err := timedCall(t, ctx, fresh); !errors.Is(err, zoomredis.ErrUnavailable) || !strings.Contains(err.Error(), "zoomredis: reading token key") || ctx.Err() != nil {
		t.Errorf("token store with Redis frozen: %v (deadline reached: %v), want ErrUnavailable naming Redis before the deadline", err, ctx.Err() != nil)
	}

	if err := r.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	time.Sleep(zoomredis.ProbeInterval)
	for name, c := range map[string]*zoomusers.Client{"the limiter's client": c, "the new client": fresh} {
		if err := timedCall(t, context.Background(), c); err != nil {
			t.Errorf("%s after Redis answers again: %v", name, err)
		}
	}
}

// While a call probes a Redis known to be down, a call made meanwhile fails at once with
// ErrUnavailable; it does not queue behind the probe for its turn at the limiter.
func TestCallsDoNotQueueBehindTheProbe(t *testing.T) {
	r := startRedis(t)
	p := startProxy(t, r.addr)
	srv := zoomtest.NewServer()
	t.Cleanup(srv.Close)
	// A long bound makes the probe last long enough to make a call during it.
	c := storeClient(t, srv, slowClient(t, p.addr), zoomredis.WithCommandTimeout(5*time.Second))
	if err := timedCall(t, context.Background(), c); err != nil {
		t.Fatalf("with Redis up: %v", err)
	}
	r.stop(t)
	if err := timedCall(t, context.Background(), c); !errors.Is(err, zoomredis.ErrUnavailable) {
		t.Fatalf("the call that finds Redis frozen: %v, want ErrUnavailable", err)
	}
	time.Sleep(zoomredis.ProbeInterval) // a probe is due
	select {
	case <-p.sent:
	default:
	}
	probe := make(chan error, 1)
	go func() {
		_, err := c.User(zoomtest.OwnerEmail).Settings(context.Background(), nil)
		probe <- err
	}()
	select {
	case <-p.sent: // the probe's command reached the frozen Redis
	case <-time.After(hangBound):
		t.Fatal("the probe never reached Redis")
	}
	err := timedCall(t, context.Background(), c)
	var probeErr error
	select {
	case probeErr = <-probe:
		t.Errorf("a call made during the probe returned only after the probe had ended (%v)", err)
	default:
		probeErr = <-probe
	}
	if !errors.Is(err, zoomredis.ErrUnavailable) || !strings.Contains(err.Error(), "zoomredis") {
		t.Errorf("a call made during the probe: %v, want ErrUnavailable naming Redis", err)
	}
	if !errors.Is(probeErr, zoomredis.ErrUnavailable) {
		t.Errorf("the probe of a frozen Redis: %v, want ErrUnavailable", probeErr)
	}
}

// WithCommandTimeout sets the bound each command waits for Redis; zero keeps
// DefaultCommandTimeout. The error of the call that meets a frozen Redis names the bound.
func TestCommandTimeoutOption(t *testing.T) {
	r := startRedis(t)
	srv := zoomtest.NewServer()
	t.Cleanup(srv.Close)
	clients := map[string]*zoomusers.Client{
		"no answer within " + zoomredis.DefaultCommandTimeout.String(): storeClient(t, srv, slowClient(t, r.addr), zoomredis.WithCommandTimeout(0)),
		"no answer within 1s": storeClient(t, srv, slowClient(t, r.addr), zoomredis.WithCommandTimeout(time.Second)),
	}
	for _, c := range clients {
		if err := timedCall(t, context.Background(), c); err != nil {
			t.Fatalf("with Redis up: %v", err)
		}
	}
	r.stop(t)
	for want, c := range clients {
		if err := timedCall(t, context.Background(), c); !errors.Is(err, zoomredis.ErrUnavailable) || !strings.Contains(err.Error(), want) {
			t.Errorf("with Redis frozen: %v, want ErrUnavailable saying %q", err, want)
		}
	}
}

// A label that is not paced (every 0) needs no slot: Wait asks nothing of Redis, down or
// not.
func TestUnpacedWaitNeedsNoRedis(t *testing.T) {
	r := startRedis(t)
	l := zoomredis.NewLimiter(r.client(t), "zoom:unpaced")
	r.kill(t)
	if err := l.Wait(context.Background(), "Medium", 0); err != nil {
		t.Errorf("an unpaced wait with Redis gone: %v, want nil", err)
	}
}
