package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// syncBuffer is a buffer the command writes from its server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls until f holds, within a generous bound.
func waitFor(t *testing.T, what string, f func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !f(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// listen starts "zoomusers webhook listen" with args and returns its URL, its output,
// and a stop function that returns the exit code.
func listen(t *testing.T, env map[string]string, args ...string) (url string, stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"webhook", "listen", "-addr", "127.0.0.1:0"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), stdout, stderr)
	}()
	re := regexp.MustCompile(`listening on (http://\S+)`)
	waitFor(t, "the listener", func() bool { return re.MatchString(stderr.String()) })
	stop = func() int {
		cancel()
		select {
		case c := <-code:
			return c
		case <-time.After(20 * time.Second):
			t.Fatal("webhook listen did not stop")
			return -1
		}
	}
	return re.FindStringSubmatch(stderr.String())[1], stdout, stderr, stop
}

func TestWebhookListenPrintsFakeZoomEvents(t *testing.T) {
	url, stdout, stderr, stop := listen(t, map[string]string{"ZOOM_WEBHOOK_SECRET_TOKEN": "old-token, new-token"}, "-path", "/zoom")
	srv := zoomtest.NewServer(zoomtest.WithUsers(2))
	defer srv.Close()
	ctx := context.Background()
	// Zoom validates with the token it signs with: the second one here.
	if err := srv.AddWebhook(ctx, url, "new-token"); err != nil {
		t.Fatal(err)
	}
	c, _ := zoomusers.New(srv.ClientOptions()...)
	u, dept := c.User("u1@example.com"), "Ops"
	if err := u.Update(ctx, zoomusers.UserUpdate{Dept: &dept}, nil); err != nil {
		t.Fatal(err)
	}
	if err := u.SetStatus(ctx, zoomusers.UserStatusActionDeactivate); err != nil {
		t.Fatal(err)
	}
	flushCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := srv.FlushWebhooks(flushCtx); err != nil {
		t.Fatal(err)
	}
	// A forged request is refused with 401, and logged.
	resp, err := http.Post(url, "application/json", strings.NewReader(`{"event":"user.deleted"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged request: %d", resp.StatusCode)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 ||
		!regexp.MustCompile(`^\S+Z user\.updated user=\S+ by=owner@example\.com dept: null -> "Ops"$`).MatchString(lines[0]) ||
		!strings.HasSuffix(lines[1], "user.deactivated user="+strings.Fields(lines[0])[2][len("user="):]+" by=owner@example.com u1@example.com") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if !strings.Contains(stderr.String(), "URL validation") || !strings.Contains(stderr.String(), "status=401") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestWebhookListenJSON(t *testing.T) {
	url, stdout, _, stop := listen(t, nil, "-secret", "tok", "-format", "json")
	body := []byte(`{"event": "user.signed_in", "event_ts": 1767225600000,
		"payload": {"account_id": "a", "object": {"id": "u9", "email": "x@example.com", "client_type": "mac"}}}`)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	for k, v := range webhook.Sign("tok", time.Now(), body) {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := stop(); resp.StatusCode != 200 || code != exitOK {
		t.Fatalf("status %d, exit %d", resp.StatusCode, code)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout.String())), &got); err != nil || got["event"] != "user.signed_in" || strings.Count(stdout.String(), "\n") != 1 {
		t.Errorf("stdout %q: %v", stdout, err)
	}
}

func TestWebhookListenUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"webhook"}, "wants listen"},
		{[]string{"webhook", "serve"}, "wants a subcommand: listen"},
		{[]string{"webhook", "listen"}, "needs the app's Secret Token"},
		{[]string{"webhook", "listen", "-secret", "x", "-format", "xml"}, "-format"},
		{[]string{"webhook", "listen", "-secret", "x", "-path", "zoom"}, "-path"},
	} {
		code, _, errOut := cli(t, nil, c.args...)
		if code != exitLocal || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stderr %q", c.args, code, errOut)
		}
	}
	code, _, errOut := cli(t, nil, "webhook", "listen", "-secret", "x", "-addr", "256.0.0.1:1")
	if code != exitLocal || !strings.Contains(errOut, "listening on 256.0.0.1:1") {
		t.Errorf("bad address: exit %d, %q", code, errOut)
	}
}
