package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// start runs the command with args and returns the base and token URLs it prints, the
// banner (export lines included), and a stop function that checks it shut down cleanly.
func start(t *testing.T, args ...string) (base, token string, banner []string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), pw)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		banner = append(banner, line)
		if v, ok := strings.CutPrefix(line, "base URL:"); ok {
			base = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "token URL:"); ok {
			token = strings.TrimSpace(v)
		}
		if strings.HasPrefix(line, "export ZOOM_TOKEN_URL=") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	return base, token, banner, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}
}

func client(t *testing.T, base, token string, opts ...zoomusers.Option) *zoomusers.Client {
	t.Helper()
	c, err := zoomusers.New(append([]zoomusers.Option{zoomusers.WithServerToServer(zoomtest.AccountID, zoomtest.ClientID, zoomtest.ClientSecret),
		zoomusers.WithBaseURL(base), zoomusers.WithTokenURL(token)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStandaloneServesTheFake(t *testing.T) {
	base, token, _, stop := start(t, "--users", "3", "--plan", "business")
	defer stop()
	c := client(t, base, token)
	n := 0
	for _, err := range c.ListUsers(context.Background(), nil).All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 4 {
		t.Errorf("listed %d users, want 3 seeded and the owner", n)
	}
}

// TestStandaloneDefaultsToPro checks the default plan in what a client meets: Pro's 20
// Medium requests a second.
func TestStandaloneDefaultsToPro(t *testing.T) {
	base, token, banner, stop := start(t)
	defer stop()
	if !slices.Contains(banner, "rate limits:   plan pro") {
		t.Errorf("banner does not name the Pro plan:\n%s", strings.Join(banner, "\n"))
	}
	c := client(t, base, token, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	var limited *zoomusers.Error
	for range 500 { // a burst crosses the per-second limit long before 500
		if _, err := c.Summary(context.Background()); errors.As(err, &limited) {
			break
		}
	}
	if limited == nil || limited.RateLimit.Type != "QPS" || limited.RateLimit.Limit != 20 || limited.RateLimit.Category != "Medium" {
		t.Errorf("a burst of Medium calls: %+v, want a QPS 429 with Pro's limit of 20", limited)
	}
}

func TestStandaloneWild(t *testing.T) {
	base, token, _, stop := start(t, "--users", "3", "--wild")
	defer stop()
	var drifts atomic.Int64
	c := client(t, base, token,
		zoomusers.WithLogger(slog.New(slog.DiscardHandler)),
		zoomusers.WithDriftHandler(func(context.Context, zoomusers.Drift) { drifts.Add(1) }))
	u, err := c.User(zoomtest.OwnerEmail).Get(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if *u.Email != zoomtest.OwnerEmail || u.PMI == nil || drifts.Load() == 0 {
		t.Errorf("user %s, pmi %v, %d drifts; want the owner, a pmi and drift", *u.Email, u.PMI, drifts.Load())
	}
}

func TestStandaloneRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--plan", "gold"}, {"--users", "-1"}, {"--nope"}} {
		if err := run(context.Background(), args, io.Discard); err == nil || exitCode(err) != 2 {
			t.Errorf("run(%q) = %v, want a command-line mistake (exit 2)", args, err)
		}
	}
}

func TestAddressInUseIsNotAUsageError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = run(context.Background(), []string{"--addr", ln.Addr().String()}, io.Discard)
	if err == nil || exitCode(err) != 1 {
		t.Errorf("run on a taken address = %v (exit %d), want a failure with exit 1", err, exitCode(err))
	}
}

// TestExportLines: the export lines, read as a shell would, give a client everything it
// needs to work on the fake.
func TestExportLines(t *testing.T) {
	base, _, banner, stop := start(t, "--users", "2")
	defer stop()
	env := map[string]string{}
	for _, line := range banner {
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = strings.Trim(v, "'")
		}
	}
	if len(env) != 5 || env["ZOOM_BASE_URL"] != base {
		t.Fatalf("export lines: %v", env)
	}
	c, err := zoomusers.New(zoomusers.WithServerToServer(env["ZOOM_ACCOUNT_ID"], env["ZOOM_CLIENT_ID"], env["ZOOM_CLIENT_SECRET"]),
		zoomusers.WithBaseURL(env["ZOOM_BASE_URL"]), zoomusers.WithTokenURL(env["ZOOM_TOKEN_URL"]))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.User(zoomtest.OwnerEmail).Get(context.Background(), nil); err != nil {
		t.Errorf("a client from the export lines: %v", err)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"http://127.0.0.1:80/v2": "http://127.0.0.1:80/v2", "a b": "'a b'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestHelpExitsCleanly(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"-h"}, &out); err != nil || !strings.Contains(out.String(), "-addr") || !strings.Contains(out.String(), "Example:") {
		t.Errorf("-h: %v\n%s", err, out.String())
	}
}

// TestStandaloneSnapshot: --snapshot serves a capture's users; a directory that is not a
// capture is a command-line mistake.
func TestStandaloneSnapshot(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "account.user.json"), []byte(`{"id":"Snap1","email":"snap@zqrt.example","type":1,"pmi":"4817202291"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "NOTES.txt"), []byte("account.user.json\tuser\tGET /users/{userId}\n"), 0o644)
	base, token, _, stop := start(t, "--users", "0", "--snapshot", dir)
	defer stop()
	var resp zoomusers.Response
	u, err := client(t, base, token, zoomusers.WithLogger(slog.New(slog.DiscardHandler))).User("Snap1").Get(context.Background(), nil, zoomusers.WithResponseInto(&resp))
	if err != nil || u.GetEmail() != "snap@zqrt.example" || !strings.Contains(string(resp.Body), `"pmi":"4817202291"`) {
		t.Errorf("%v %s", err, resp.Body)
	}
	if err := run(context.Background(), []string{"--snapshot", t.TempDir()}, io.Discard); err == nil || exitCode(err) != 2 {
		t.Errorf("--snapshot of an empty directory: %v, want exit 2", err)
	}
	// A capture naming a file outside itself: exit 2, the message names the file and the
	// problem, with one "zoomtest:" (main's).
	os.WriteFile(filepath.Join(dir, "NOTES.txt"), []byte("../account.user.json\tuser\tGET /users/{userId}\n"), 0o644)
	err = run(context.Background(), []string{"--snapshot", dir}, io.Discard)
	if err == nil || exitCode(err) != 2 || !strings.HasPrefix(err.Error(), "--snapshot: snapshot "+filepath.Join(dir, "NOTES.txt")+": ") ||
		!strings.Contains(err.Error(), `"../account.user.json" leaves the capture's directory`) {
		t.Errorf("--snapshot naming ../account.user.json: %v, want exit 2 naming the file and the problem", err)
	}
}
