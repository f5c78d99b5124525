package zoomredis_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomredis"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// A test binary started with replicaEnv set is one replica of TestReplicaProcesses, not a
// test run: it makes its calls, prints what came of them, and exits.
const replicaEnv = "ZOOMREDIS_REPLICA"

func TestMain(m *testing.M) {
	if os.Getenv(replicaEnv) != "" {
		os.Exit(replicaMain())
	}
	stop, ok := prepareExamples() // example_test.go
	if !ok {
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

// replicaMain reads settings of users first..first+calls-1 from workers goroutines, with
// the limiter and token store on Redis, and prints "ok N failed M".
func replicaMain() int {
	env := func(k string) string { return os.Getenv("ZOOMREDIS_" + k) }
	first, _ := strconv.Atoi(env("FIRST"))
	calls, _ := strconv.Atoi(env("CALLS"))
	workers, _ := strconv.Atoi(env("WORKERS"))
	rdb := newClient(env("REDIS"))
	defer rdb.Close()
	c, err := zoomusers.New(
		zoomusers.WithServerToServer(zoomtest.AccountID, zoomtest.ClientID, zoomtest.ClientSecret),
		zoomusers.WithBaseURL(env("BASE")), zoomusers.WithTokenURL(env("TOKEN")),
		zoomusers.WithPacing(zoomusers.PlanPro, 1),
		zoomusers.WithLimiter(zoomredis.NewLimiter(rdb, "zoom:"+zoomtest.AccountID, sharingBound)),
		zoomusers.WithTokenStore(zoomredis.NewTokenStore(rdb, "zoom:"+zoomtest.AccountID+":token", sharingBound)),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	// Start together, as replicas behind one queue would.
	start, _ := strconv.ParseInt(env("START"), 10, 64)
	time.Sleep(time.Until(time.Unix(0, start)))
	jobs := make(chan int)
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				_, err := c.User(fmt.Sprintf("u%d@example.com", i)).Settings(ctx, nil)
				cancel()
				if err != nil {
					failed.Add(1)
					fmt.Fprintln(os.Stderr, err)
					continue
				}
				ok.Add(1)
			}
		})
	}
	for i := first; i < first+calls; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	fmt.Printf("ok %d failed %d\n", ok.Load(), failed.Load())
	return 0
}

// arrivals records when the fake received each settings read and what it answered, and
// counts token requests.
type arrivals struct {
	next   http.Handler
	tokens atomic.Int64
	mu     sync.Mutex
	at     []time.Time
	status []int
}

func (a *arrivals) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth/token" {
		a.tokens.Add(1)
	}
	if !strings.HasSuffix(r.URL.Path, "/settings") {
		a.next.ServeHTTP(w, r)
		return
	}
	now := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	a.next.ServeHTTP(sw, r)
	a.mu.Lock()
	a.at = append(a.at, now)
	a.status = append(a.status, sw.status)
	a.mu.Unlock()
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// busiestSecond is the most requests that arrived within any one second.
func busiestSecond(at []time.Time) int {
	at = slices.Clone(at)
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	for i := range at {
		j := i
		for j < len(at) && at[j].Sub(at[i]) < time.Second {
			j++
		}
		most = max(most, j-i)
	}
	return most
}

// Three OS processes, each a Client with four goroutines, share one Pro account's Medium
// limit (20 a second) through Redis. The fake enforces that limit over a sliding second.
// Together they stay under it, fail no call, and fetch one token: what must hold under any
// load. How much of the limit they use depends on the machine's load, so
// BenchmarkReplicaThroughput measures it (make bench; test/BENCHMARKS.md).
func TestReplicaProcesses(t *testing.T) {
	runReplicas(t)
}

// BenchmarkReplicaThroughput runs TestReplicaProcesses' job and reports the share of the
// limit the replicas used together (limit-share), and their calls a second.
func BenchmarkReplicaThroughput(b *testing.B) {
	for range b.N {
		rate, limit := runReplicas(b)
		b.ReportMetric(rate, "calls/s")
		b.ReportMetric(rate/float64(limit), "limit-share")
	}
}

// runReplicas runs the replicas' job, fails tb on a broken promise (a call failed, the
// limit exceeded, more than one token request) and returns the calls a second that Zoom
// accepted, and the limit.
func runReplicas(t testing.TB) (float64, int) {
	r := startRedis(t)
	const replicas, workers, perReplica = 3, 4, 40
	fake := zoomtest.NewUnstarted(zoomtest.WithPlan(zoomusers.PlanPro), zoomtest.WithUsers(replicas*perReplica))
	rec := &arrivals{next: fake.Handler()}
	srv := httptest.NewServer(rec)
	defer srv.Close()

	start := time.Now().Add(2 * time.Second) // time for every process to be up
	outs := make([]strings.Builder, replicas)
	cmds := make([]*exec.Cmd, replicas)
	for i := range replicas {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), replicaEnv+"=1",
			"ZOOMREDIS_BASE="+srv.URL+"/v2", "ZOOMREDIS_TOKEN="+srv.URL+"/oauth/token", "ZOOMREDIS_REDIS="+r.addr,
			"ZOOMREDIS_FIRST="+strconv.Itoa(i*perReplica), "ZOOMREDIS_CALLS="+strconv.Itoa(perReplica),
			"ZOOMREDIS_WORKERS="+strconv.Itoa(workers), "ZOOMREDIS_START="+strconv.FormatInt(start.UnixNano(), 10))
		cmd.Stdout = &outs[i]
		cmd.Stderr = &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	done := make(chan error, replicas)
	for _, cmd := range cmds {
		go func() { done <- cmd.Wait() }()
	}
	timeout := time.After(3 * time.Minute) // about 6 s of work: a bound on a hang, not a timing
	for range replicas {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("a replica failed: %v", err)
			}
		case <-timeout:
			for _, cmd := range cmds {
				cmd.Process.Kill()
			}
			t.Fatal("the replicas did not finish within 3 minutes")
		}
	}
	for i := range outs {
		var ok, failed int
		if _, err := fmt.Sscanf(lastLine(outs[i].String()), "ok %d failed %d", &ok, &failed); err != nil || ok != perReplica || failed != 0 {
			t.Errorf("replica %d: want ok %d failed 0; it said:\n%s", i, perReplica, outs[i].String())
		}
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	limit := int(zoomusers.PlanPro.RateLimit(zoomusers.LabelMedium))
	refused := 0
	var accepted []time.Time
	for i, s := range rec.status {
		if s == http.StatusTooManyRequests {
			refused++
		} else {
			accepted = append(accepted, rec.at[i])
		}
	}
	if len(accepted) < 2 {
		t.Fatalf("Zoom accepted %d of %d requests", len(accepted), len(rec.at))
	}
	busiest := busiestSecond(rec.at)
	slices.SortFunc(accepted, func(a, b time.Time) int { return a.Compare(b) })
	rate := float64(len(accepted)-1) / accepted[len(accepted)-1].Sub(accepted[0]).Seconds()
	t.Logf("%d requests, %d refused, busiest second %d, %.2f a second (%.3f of the limit), %d token requests",
		len(rec.at), refused, busiest, rate, rate/float64(limit), rec.tokens.Load())
	if refused > 0 || busiest > limit {
		t.Errorf("the replicas together sent %d requests within one second and %d were refused; the limit is %d", busiest, refused, limit)
	}
	if n := rec.tokens.Load(); n != 1 {
		t.Errorf("%d token requests from %d replicas sharing a token store, want 1", n, replicas)
	}
	return rate, limit
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
