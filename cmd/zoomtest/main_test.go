package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func TestStandaloneServesTheFake(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--users", "3", "--plan", "pro"}, pw)
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
	c, err := zoomusers.New(zoomusers.WithServerToServer(zoomtest.AccountID, zoomtest.ClientID, zoomtest.ClientSecret),
		zoomusers.WithBaseURL(base), zoomusers.WithTokenURL(token))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range c.ListUsers(ctx, nil).All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 4 {
		t.Errorf("listed %d users, want 3 seeded and the owner", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

func TestStandaloneRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--plan", "gold"}, {"--users", "-1"}, {"--nope"}} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
