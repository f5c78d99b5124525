package zoomusers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/internal/decoding"
)

type ctxMark struct{}

func TestDriftReachesHandlerAndLog(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Zm-Trackingid", "trk-drift")
		fmt.Fprint(w, `{"id":"u1","email":"jill@example.com","type":1,"pmi":"3542471135",
			"custom_attributes":{"key":"cbf_1","name":"A1","value":"1"},"use_pmi":"maybe","division_ids":["d"]}`)
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var mu sync.Mutex
	var got []Drift
	c := f.client(WithLogger(logger), WithDriftHandler(func(ctx context.Context, d Drift) {
		if ctx.Value(ctxMark{}) != "caller" {
			t.Error("the drift handler did not get the call's context")
		}
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
	}))
	ctx := context.WithValue(context.Background(), ctxMark{}, "caller")
	u, err := c.User("u1").Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *u.PMI != 3542471135 || *(*u.CustomAttributes)[0].Value != "1" || u.UsePMI != nil {
		t.Errorf("user = pmi %v, attributes %v, use_pmi %v", u.PMI, u.CustomAttributes, u.UsePMI)
	}
	want := []struct {
		path   string
		action DriftAction
		want   reflect.Type
	}{
		{"pmi", DriftCoerced, reflect.TypeFor[int64]()},
		{"custom_attributes", DriftCoerced, reflect.TypeFor[[]gen.CustomAttribute]()},
		{"use_pmi", DriftDropped, reflect.TypeFor[bool]()},
	}
	if len(got) != len(want) {
		t.Fatalf("handler got %d drifts, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		d := got[i]
		if d.Operation != OpUser || d.Path != w.path || d.Action != w.action || d.Want != w.want || d.Reason == "" {
			t.Errorf("drift %d = %+v, want %s %s %v in operation user", i, d, w.path, w.action, w.want)
		}
	}
	if string(got[0].Value) != `"3542471135"` {
		t.Errorf("drift value = %s", got[0].Value)
	}

	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("%d warn lines, want 3:\n%s", len(lines), logs.String())
	}
	for i, m := range lines {
		if m["level"] != "WARN" || m["operation"] != "user" || m["path"] != want[i].path || m["action"] != want[i].action.String() || m["value"] == "" {
			t.Errorf("log line %d = %v", i, m)
		}
	}
}

func TestDriftLogIsBoundedPerAnswer(t *testing.T) {
	var users []string
	for i := range 50 {
		users = append(users, fmt.Sprintf(`{"email":"u%d@example.com","type":1,"pmi":"%d","custom_attributes":{"key":"k","name":"n","value":"%s"}}`, i, 1000000000+i, strings.Repeat("v", 200)))
	}
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"users":[`+strings.Join(users, ",")+`]}`)
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var handled int
	c := f.client(WithLogger(logger), WithDriftHandler(func(context.Context, Drift) { handled++ }))
	n := 0
	for u, err := range c.ListUsers(context.Background(), nil).All() {
		if err != nil {
			t.Fatal(err)
		}
		if *u.PMI != int64(1000000000+n) {
			t.Errorf("user %d: pmi %d", n, *u.PMI)
		}
		n++
	}
	if n != 50 || handled != 100 {
		t.Errorf("%d users, %d drifts handled; want 50 and 100", n, handled)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != decoding.MaxLoggedDrifts+1 || !strings.Contains(lines[decoding.MaxLoggedDrifts], "not_logged=90") {
		t.Errorf("%d log lines, want %d and a summary naming 90 more:\n%s", len(lines), decoding.MaxLoggedDrifts+1, logs.String())
	}
	for _, line := range lines[:decoding.MaxLoggedDrifts] {
		if len(line) > 600 {
			t.Errorf("a log line carries a whole value (%d bytes): %s", len(line), line)
		}
	}
}

func TestDriftWithoutLoggerGoesToDefault(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"_Tcj7354w6eHw","name":"bg.jpg","type":"image","is_default":false,"size":"53434"}`)
	})
	vb, err := f.client().User("u1").UploadVirtualBackground(context.Background(), "bg.jpg", strings.NewReader("\xff\xd8\xff\xe0 a jpeg"))
	if err != nil {
		t.Fatal(err)
	}
	if *vb.Size != 53434 {
		t.Errorf("size = %d", *vb.Size)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "path=size") || !strings.Contains(logs.String(), "operation=uploadVBuser") {
		t.Errorf("no warning in the default logger: %q", logs.String())
	}
}

func TestUndecodableAnswerNamesOperation(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Zm-Trackingid", "trk-9")
		fmt.Fprint(w, `[{"email":"a@example.com"},{"email":"b@example.com"}]`)
	})
	_, err := f.client().User("u1").Get(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "user") || !strings.Contains(err.Error(), "trk-9") || !strings.Contains(err.Error(), "an array") {
		t.Errorf("err = %v, want one naming the operation, the tracking id and what arrived", err)
	}
}
