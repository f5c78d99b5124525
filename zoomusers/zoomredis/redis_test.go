package zoomredis_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zoomkit/go-zoomusers/zoomusers/zoomredis"
)

// redisServer is a redis-server the test started on a free loopback port.
type redisServer struct {
	addr string
	bin  string
	cmd  *exec.Cmd
}

// startRedis starts redis-server for t and stops it when t ends. Without the binary the
// test fails on CI (CI=true), which must install it, and is skipped elsewhere.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is not installed; CI must run these tests: apt-get install redis-server")
		}
		t.Skip("redis-server is not installed: apt-get install redis-server to run the Redis tests")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	r := &redisServer{addr: "127.0.0.1:" + strconv.Itoa(port), bin: bin}
	r.start(t)
	return r
}

// start runs redis-server on r.addr and waits until it answers.
func (r *redisServer) start(t testing.TB) {
	t.Helper()
	cmd := exec.Command(r.bin, "--port", r.addr[strings.LastIndex(r.addr, ":")+1:], "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.cmd = cmd
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGCONT) // in case a test stopped it
		cmd.Process.Kill()
		cmd.Wait()
	})
	rdb := newClient(r.addr)
	defer rdb.Close()
	deadline := time.Now().Add(20 * time.Second)
	for rdb.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not answer on %s: %s", r.addr, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// client connects to the server as the package doc advises: short read timeouts, and
// the call's context honoured.
func (r *redisServer) client(t testing.TB) *redis.Client {
	rdb := newClient(r.addr)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func newClient(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: addr, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
		ContextTimeoutEnabled: true, MaxRetries: 1})
}

// stop makes the server stop answering without closing its connections, as a server
// stalled by a long command or a swapped-out host does.
func (r *redisServer) stop(t *testing.T) {
	if err := r.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
}

// kill ends the server: connections are refused from then on.
func (r *redisServer) kill(t *testing.T) {
	r.cmd.Process.Kill()
	r.cmd.Wait()
	// The port is free again once the process is gone.
	for range 100 {
		if c, err := net.Dial("tcp", r.addr); err != nil {
			return
		} else {
			c.Close()
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("redis-server on %s still accepts connections", r.addr)
}

// sharingBound is the command bound of the tests about sharing, not outages: a busy
// machine can keep a loopback Redis from answering within DefaultCommandTimeout, which
// those tests would report as a failed call.
var sharingBound = zoomredis.WithCommandTimeout(5 * time.Second)

func (r *redisServer) String() string { return fmt.Sprintf("redis-server on %s", r.addr) }

// proxy forwards loopback connections to a Redis server and signals each time a client
// sends something: the test sees when a command has reached Redis, stalled or not.
type proxy struct {
	addr string
	sent chan struct{} // one value per read from a client, dropped when nobody listens
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	p := &proxy{addr: l.Addr().String(), sent: make(chan struct{}, 1)}
	go func() {
		for {
			client, err := l.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			t.Cleanup(func() { client.Close(); server.Close() })
			go func() {
				buf := make([]byte, 4096)
				for {
					n, err := client.Read(buf)
					if n > 0 {
						select {
						case p.sent <- struct{}{}:
						default:
						}
						server.Write(buf[:n])
					}
					if err != nil {
						server.Close()
						return
					}
				}
			}()
			go func() { io.Copy(client, server); client.Close() }()
		}
	}()
	return p
}
