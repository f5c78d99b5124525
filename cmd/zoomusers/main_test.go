package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// cli runs the command against srv (or the built-in fake when srv is nil).
func cli(t *testing.T, srv *zoomtest.Server, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	env := map[string]string{}
	if srv != nil {
		env = map[string]string{"ZOOM_ACCOUNT_ID": zoomtest.AccountID, "ZOOM_CLIENT_ID": zoomtest.ClientID,
			"ZOOM_CLIENT_SECRET": zoomtest.ClientSecret, "ZOOM_BASE_URL": srv.BaseURL(), "ZOOM_TOKEN_URL": srv.TokenURL()}
	}
	var out, errw bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return env[k] }, &out, &errw)
	return code, out.String(), errw.String()
}

func newFake(t *testing.T) *zoomtest.Server {
	srv := zoomtest.NewServer(zoomtest.WithUsers(3), zoomtest.WithPlan(zoomusers.PlanBusiness))
	t.Cleanup(srv.Close)
	srv.SeedUsers("jill@example.com")
	return srv
}

func TestListFormats(t *testing.T) {
	srv := newFake(t)
	code, out, _ := cli(t, srv, "list", "-page-size", "2")
	if code != 0 || !strings.Contains(out, "EMAIL") || strings.Count(out, "@example.com") != 5 {
		t.Errorf("table (%d):\n%s", code, out)
	}
	code, out, _ = cli(t, srv, "list", "-format", "json")
	var users []zoomusers.User
	if err := json.Unmarshal([]byte(out), &users); code != 0 || err != nil || len(users) != 5 {
		t.Errorf("json (%d, %v):\n%s", code, err, out)
	}
	code, out, _ = cli(t, srv, "list", "-format", "csv", "-status", "active")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 6 || rows[0][1] != "email" {
		t.Errorf("csv (%d, %v):\n%s", code, err, out)
	}
}

func TestUserLifecycleCommands(t *testing.T) {
	srv := newFake(t)
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"create", "-email", "new@example.com", "-first", "Nia", "-type", "licensed", "-action", "autoCreate"}, "created new@example.com"},
		{[]string{"get", "new@example.com"}, "Nia"},
		{[]string{"update", "new@example.com", "-job-title", "Analyst"}, "updated new@example.com"},
		{[]string{"get", "-format", "json", "new@example.com"}, `"job_title": "Analyst"`},
		{[]string{"settings", "new@example.com", "-set", "schedule_meeting.host_video=true", "-set", "in_meeting.chat=false"}, "updated 2 setting(s)"},
		{[]string{"settings", "new@example.com"}, `"host_video": true`},
		{[]string{"deactivate", "new@example.com"}, "deactivated"},
		{[]string{"activate", "new@example.com"}, "activated"},
		{[]string{"assistants", "new@example.com"}, "has no assistants"},
		{[]string{"schedulers", "new@example.com"}, "schedules for no one"},
		{[]string{"delete", "new@example.com", "-transfer-to", "jill@example.com"}, "disassociated new@example.com"},
	}
	for _, s := range steps {
		code, out, errOut := cli(t, srv, s.args...)
		if code != 0 || !strings.Contains(out, s.want) {
			t.Fatalf("%q: exit %d, want %q in\n%s%s", s.args, code, s.want, out, errOut)
		}
	}
	code, _, errOut := cli(t, srv, "get", "new@example.com")
	if code != 1 || !strings.Contains(errOut, "code 1001") || !strings.Contains(errOut, "tracking id") {
		t.Errorf("get after delete: exit %d: %s", code, errOut)
	}
}

func TestUploadPicture(t *testing.T) {
	srv := newFake(t)
	dir := t.TempDir()
	png := filepath.Join(dir, "jill.png")
	os.WriteFile(png, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 3000)...), 0o600)
	if code, out, errOut := cli(t, srv, "upload-picture", "jill@example.com", png); code != 0 || !strings.Contains(out, "uploaded") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("plain text"), 0o600)
	if code, _, errOut := cli(t, srv, "upload-picture", "jill@example.com", txt); code != 1 || !strings.Contains(errOut, "file type not accepted") {
		t.Errorf("text file: exit %d: %s", code, errOut)
	}
	if code, _, errOut := cli(t, srv, "upload-picture", "jill@example.com", filepath.Join(dir, "missing.png")); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing file: exit %d: %s", code, errOut)
	}
}

func TestBadCommandLines(t *testing.T) {
	srv := newFake(t)
	for _, args := range [][]string{
		{"frobnicate"},
		{"get"},
		{"get", "a", "b"},
		{"list", "-format", "xml"},
		{"list", "-status", "gone"},
		{"list", "-page-size", "0"},
		{"list", "-nope"},
		{"create"},
		{"create", "-email", "x@example.com", "-type", "gold"},
		{"update", "jill@example.com"},
		{"settings", "jill@example.com", "-set", "nodot=1"},
		{"settings", "jill@example.com", "-set", "bogus.field=1"},
		{"upload-picture", "jill@example.com"},
		{"demo", "extra"},
	} {
		code, out, errOut := cli(t, srv, args...)
		if code != 2 || errOut == "" || strings.Contains(errOut, "goroutine") || out != "" && args[0] != "frobnicate" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one clear message", args, code, out, errOut)
		}
	}
	if code, out, _ := cli(t, srv); code != 2 || !strings.Contains(out, "Commands:") {
		t.Errorf("no arguments: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, srv, "get", ".."); code != 1 || !strings.Contains(errOut, "invalid user ID") {
		t.Errorf("get ..: exit %d: %s", code, errOut)
	}
}

func TestPartialCredentialsAreRefused(t *testing.T) {
	var out, errw bytes.Buffer
	code := run(context.Background(), []string{"list"}, func(k string) string {
		if k == "ZOOM_CLIENT_ID" {
			return "only-this"
		}
		return ""
	}, &out, &errw)
	if code != 1 || !strings.Contains(errw.String(), "set all of") {
		t.Errorf("exit %d: %s", code, errw.String())
	}
}

func TestDemoAgainstBuiltInFake(t *testing.T) {
	code, out, errOut := cli(t, nil, "demo")
	if code != 0 {
		t.Fatalf("demo exit %d:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "using the built-in fake Zoom") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr should say in one line that the fake is used: %q", errOut)
	}
	for _, want := range []string{"created demo.user@example.com", "Solutions Engineer", "host_video is now true", "deleted demo.user@example.com", "(code 1001)"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}
