package zoomredis_test

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomredis"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// exampleRedis is the address of the redis-server prepareExamples started for the
// examples: in a service, your Redis.
var exampleRedis string

// Two replicas of a service share one account's access token and rate limits: the
// token is fetched once, by whichever replica needs it first.
func Example() {
	zoom := zoomtest.NewServer() // a fake Zoom; in production leave out the two URL options
	defer zoom.Close()
	accountID := zoomtest.AccountID

	var fetches atomic.Int32
	replica := func() *zoomusers.Client {
		rdb := redis.NewClient(&redis.Options{Addr: exampleRedis, ReadTimeout: time.Second, ContextTimeoutEnabled: true})
		c, err := zoomusers.New(
			zoomusers.WithServerToServer(accountID, zoomtest.ClientID, zoomtest.ClientSecret),
			zoomusers.WithBaseURL(zoom.BaseURL()), zoomusers.WithTokenURL(zoom.TokenURL()),
			zoomusers.WithPacing(zoomusers.PlanPro, 1), // the whole account, shared by the replicas
			zoomusers.WithLimiter(zoomredis.NewLimiter(rdb, "zoom:"+accountID)),
			zoomusers.WithTokenStore(zoomredis.NewTokenStore(rdb, "zoom:"+accountID+":token")),
			zoomusers.WithHooks(zoomusers.Hooks{TokenFetch: func(context.Context, zoomusers.TokenFetch) { fetches.Add(1) }}),
		)
		if err != nil {
			log.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	for i, c := range []*zoomusers.Client{replica(), replica()} {
		u, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("replica %d: %s\n", i+1, u.GetEmail())
	}
	fmt.Println("token fetches:", fetches.Load())
	// Output:
	// replica 1: owner@example.com
	// replica 2: owner@example.com
	// token fetches: 1
}

// prepareExamples starts a redis-server for the examples and returns what stops it.
// Without redis-server the examples are skipped, as the tests are (startRedis), except
// on CI (CI=true), which must install it: there the run fails.
func prepareExamples() (stop func(), ok bool) {
	flag.Parse()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "redis-server is not installed; CI must run the zoomredis examples: apt-get install redis-server")
			return nil, false
		}
		fmt.Fprintln(os.Stderr, "redis-server is not installed: skipping the zoomredis examples")
		skip := "^Example"
		if prev := flag.Lookup("test.skip").Value.String(); prev != "" {
			skip = prev + "|" + skip
		}
		flag.Set("test.skip", skip)
		return func() {}, true
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return nil, false
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	dir, err := os.MkdirTemp("", "zoomredis-example")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return nil, false
	}
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return nil, false
	}
	stop = func() {
		cmd.Process.Kill()
		cmd.Wait()
		os.RemoveAll(dir)
	}
	exampleRedis = "127.0.0.1:" + port
	rdb := newClient(exampleRedis)
	defer rdb.Close()
	for deadline := time.Now().Add(20 * time.Second); rdb.Ping(context.Background()).Err() != nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			stop()
			fmt.Fprintln(os.Stderr, "redis-server did not answer on", exampleRedis)
			return nil, false
		}
	}
	return stop, true
}
