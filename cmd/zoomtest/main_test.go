package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// standalone runs the command with args and returns a client of the fake it serves,
// and a function that stops it and reports how run ended.
func standalone(t *testing.T, args []string, opts ...zoomusers.Option) (*zoomusers.Client, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), pw)
		pw.Close()
	}()

	var base, token string
	sc := bufio.NewScanner(pr)
	for sc.Scan() && (base == "" || token == "") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "base URL:"); ok {
			base = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "token URL:"); ok {
			token = strings.TrimSpace(v)
		}
	}
	go io.Copy(io.Discard, pr)
	c, err := zoomusers.New(append([]zoomusers.Option{zoomusers.WithServerToServer(zoomtest.AccountID, zoomtest.ClientID, zoomtest.ClientSecret),
		zoomusers.WithBaseURL(base), zoomusers.WithTokenURL(token)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, func() error {
		cancel()
		return <-done
	}
}

func TestStandaloneServesTheFake(t *testing.T) {
	c, stop := standalone(t, []string{"--users", "3", "--plan", "pro"})
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
	if err := stop(); err != nil {
		t.Errorf("run: %v", err)
	}
}

func TestStandaloneWild(t *testing.T) {
	var drifts atomic.Int64
	c, stop := standalone(t, []string{"--users", "3", "--wild"},
		zoomusers.WithLogger(slog.New(slog.DiscardHandler)),
		zoomusers.WithDriftHandler(func(context.Context, zoomusers.Drift) { drifts.Add(1) }))
	defer stop()
	u, err := c.User(zoomtest.OwnerEmail).Get(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if *u.Email != zoomtest.OwnerEmail || u.Pmi == nil || drifts.Load() == 0 {
		t.Errorf("user %s, pmi %v, %d drifts; want the owner, a pmi and drift", *u.Email, u.Pmi, drifts.Load())
	}
}

func TestStandaloneRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--plan", "gold"}, {"--users", "-1"}, {"--nope"}} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
