package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// fakeEnv is the environment that points the command at srv.
func fakeEnv(srv *zoomtest.Server) map[string]string {
	return map[string]string{"ZOOM_ACCOUNT_ID": zoomtest.AccountID, "ZOOM_CLIENT_ID": zoomtest.ClientID,
		"ZOOM_CLIENT_SECRET": zoomtest.ClientSecret, "ZOOM_BASE_URL": srv.BaseURL(), "ZOOM_TOKEN_URL": srv.TokenURL(), "ZOOM_PLAN": "business"}
}

// cli runs the command against srv (or the built-in fake when srv is nil).
func cli(t *testing.T, srv *zoomtest.Server, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	env := map[string]string{}
	if srv != nil {
		env = fakeEnv(srv)
	}
	return cliEnv(t, env, args...)
}

func cliEnv(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errw)
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

// writeSpy records how many listing requests had reached the fake at each write.
type writeSpy struct {
	srv    *zoomtest.Server
	buf    bytes.Buffer
	atPage []int
}

func (w *writeSpy) Write(p []byte) (int, error) {
	w.atPage = append(w.atPage, w.srv.Requests(zoomusers.OpUsers))
	return w.buf.Write(p)
}

// TestListStreamsRowByRow: every format writes the first page's rows before the second
// page is asked for.
func TestListStreamsRowByRow(t *testing.T) {
	srv := newFake(t)
	for _, format := range []string{"table", "csv", "json"} {
		before := srv.Requests(zoomusers.OpUsers)
		spy := &writeSpy{srv: srv}
		env := fakeEnv(srv)
		code := run(context.Background(), []string{"list", "-page-size", "2", "-format", format}, func(k string) string { return env[k] }, strings.NewReader(""), spy, &bytes.Buffer{})
		pages := srv.Requests(zoomusers.OpUsers) - before
		if code != 0 || pages != 3 {
			t.Fatalf("%s: exit %d, %d pages", format, code, pages)
		}
		// The header and the first page's two users are written while one page is fetched.
		firstPage := 0
		for _, n := range spy.atPage {
			if n-before <= 1 {
				firstPage++
			}
		}
		if firstPage < 3 {
			t.Errorf("%s: %d writes before the second page was requested (%v); want the header and two rows", format, firstPage, spy.atPage)
		}
	}
}

func TestUserLifecycleCommands(t *testing.T) {
	srv := newFake(t)
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"create", "-email", "new@example.com", "-first-name", "Nia", "-type", "licensed", "-action", "autoCreate"}, "created new@example.com"},
		{[]string{"get", "new@example.com"}, "Nia"},
		{[]string{"update", "new@example.com", "-job-title", "Analyst"}, "updated new@example.com"},
		{[]string{"get", "-format", "json", "new@example.com"}, `"job_title": "Analyst"`},
		{[]string{"settings", "new@example.com", "-set", "schedule_meeting.host_video=true", "-set", "in_meeting.chat=false"}, "applied in_meeting.chat = false\napplied schedule_meeting.host_video = true"},
		{[]string{"settings", "new@example.com"}, "schedule_meeting.host_video = true"},
		{[]string{"settings", "new@example.com", "-format", "json"}, `"host_video": true`},
		{[]string{"deactivate", "new@example.com"}, "deactivated"},
		{[]string{"activate", "new@example.com"}, "activated"},
		{[]string{"assistants", "new@example.com"}, "has no assistants"},
		{[]string{"schedulers", "new@example.com", "-format", "json"}, "[]"},
	}
	for _, s := range steps {
		code, out, errOut := cli(t, srv, s.args...)
		if code != 0 || !strings.Contains(out, s.want) {
			t.Fatalf("%q: exit %d, want %q in\n%s%s", s.args, code, s.want, out, errOut)
		}
	}
	st, _ := srv.UserState("new@example.com")
	if v, _ := st.Setting("in_meeting", "chat"); v != false {
		t.Errorf("in_meeting.chat is %v in the fake", v)
	}
	code, _, errOut := cli(t, srv, "get", "nobody@example.com")
	if code != 1 || !strings.Contains(errOut, "code 1001") || !strings.Contains(errOut, "tracking id") {
		t.Errorf("get of a missing user: exit %d: %s", code, errOut)
	}
}

// TestDeleteTransfersEverything: -transfer-to hands over every asset the spec lists and
// says which; the fake's record of the deletion agrees.
func TestDeleteTransfersEverything(t *testing.T) {
	srv := newFake(t)
	srv.SeedUsers("leaver@example.com")
	code, out, errOut := cli(t, srv, "delete", "leaver@example.com", "-transfer-to", "jill@example.com", "-yes")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := []string{"meeting", "webinar", "recording", "whiteboard", "clipfiles", "notes", "visitors", "docs"}
	if !strings.Contains(out, "disassociated leaver@example.com") || !strings.Contains(out, "transferred to jill@example.com: "+strings.Join(want, ", ")) {
		t.Errorf("output does not say what was transferred:\n%s", out)
	}
	d, ok := srv.Deletion("leaver@example.com")
	if !ok || d.Action != "disassociate" || d.TransferEmail != "jill@example.com" {
		t.Fatalf("deletion: %v %+v", ok, d)
	}
	for _, asset := range d.Transferred {
		if !slices.Contains(want, asset) {
			t.Errorf("the fake recorded %q, which the output did not name", asset)
		}
	}
	if len(d.Transferred) != len(want) {
		t.Errorf("the fake recorded %v, the output named %v", d.Transferred, want)
	}
}

// TestDestructiveCommandsNeedATerminalOrYes: without a terminal to ask on and without
// -yes, delete refuses (exit 2) and nothing is sent.
func TestDestructiveCommandsNeedATerminalOrYes(t *testing.T) {
	srv := newFake(t)
	code, _, errOut := cli(t, srv, "delete", "jill@example.com", "-permanent")
	if code != 2 || !strings.Contains(errOut, "add -yes") || srv.Requests(zoomusers.OpUserDelete) != 0 {
		t.Errorf("exit %d, %d deletes: %s", code, srv.Requests(zoomusers.OpUserDelete), errOut)
	}
	if _, ok := srv.UserState("jill@example.com"); !ok {
		t.Error("jill was deleted without confirmation")
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
	if st, _ := srv.UserState("jill@example.com"); st.Picture == nil || st.Picture.Size != 3008 {
		t.Errorf("the fake holds picture %+v", st.Picture)
	}
	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("plain text"), 0o600)
	if code, _, errOut := cli(t, srv, "upload-picture", "jill@example.com", txt); code != 2 || !strings.Contains(errOut, "file type not accepted") {
		t.Errorf("text file: exit %d: %s", code, errOut)
	}
	if code, _, errOut := cli(t, srv, "upload-picture", "jill@example.com", filepath.Join(dir, "missing.png")); code != 2 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing file: exit %d: %s", code, errOut)
	}
}

// TestLocalMistakesExit2BeforeAnyRequest: every local mistake exits 2 with one clear
// message, and nothing reaches Zoom.
func TestLocalMistakesExit2BeforeAnyRequest(t *testing.T) {
	srv := newFake(t)
	dir := t.TempDir()
	badCSV := filepath.Join(dir, "bad.csv")
	os.WriteFile(badCSV, []byte("email,settings.schedule_meeting.host_video\nnot-an-email,maybe\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"get"}, "wants USER"},
		{[]string{"get", "a", "b"}, "wants USER"},
		{[]string{"get", ".."}, "invalid user ID"},
		{[]string{"list", "-format", "xml"}, "-format \"xml\": want table, csv, json"},
		{[]string{"list", "-status", "gone"}, "want active, inactive or pending"},
		{[]string{"list", "-page-size", "0"}, "want 1 to 2000"},
		{[]string{"list", "-nope"}, "flag provided but not defined: -nope; run 'zoomusers list -h'"},
		{[]string{"create"}, "-email is required"},
		{[]string{"create", "-email", "not an email"}, `-email "not an email" is not an email address`},
		{[]string{"create", "-email", "x@example.com", "-type", "gold"}, "want basic or licensed"},
		{[]string{"update", "jill@example.com"}, "nothing to change"},
		{[]string{"delete", "jill@example.com", "-transfer-to", "nobody", "-yes"}, "is not an email address"},
		{[]string{"settings", "jill@example.com", "-set", "nodot"}, "want section.field=value"},
		{[]string{"settings", "jill@example.com", "-set", "bogus.field=1"}, `no section "bogus"`},
		{[]string{"settings", "jill@example.com", "-set", "schedule_meeting.no_such_key=true"}, `unknown setting "schedule_meeting.no_such_key"`},
		{[]string{"settings", "jill@example.com", "-set", "schedule_meeting.host_vidoe=true"}, "did you mean schedule_meeting.host_video"},
		{[]string{"settings", "jill@example.com", "-set", "schedule_meeting.host_video=maybe"}, `schedule_meeting.host_video takes true or false, not "maybe"`},
		{[]string{"settings", "jill@example.com", "-set", "in_meeting.who_can_share_screen=everyone"}, "takes one of host, all"},
		{[]string{"settings-keys", "nope."}, "no setting starts with"},
		{[]string{"upload-picture", "jill@example.com"}, "wants USER FILE"},
		{[]string{"apply", badCSV}, `line 2, email: "not-an-email" is not an email address`},
		{[]string{"apply", filepath.Join(dir, "missing.csv")}, "no such file"},
		{[]string{"apply", "users.xlsx"}, "cannot tell the format"},
		{[]string{"demo", "extra"}, "takes no arguments"},
	} {
		code, out, errOut := cli(t, srv, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "goroutine") || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
	for _, op := range []zoomusers.OperationID{zoomusers.OpUserSettingsUpdate, zoomusers.OpUserCreate, zoomusers.OpUserUpdate, zoomusers.OpUserDelete, zoomusers.OpUserPicture} {
		if n := srv.Requests(op); n != 0 {
			t.Errorf("%d %s requests reached the fake", n, op)
		}
	}
	if code, _, errOut := cli(t, srv); code != 2 || !strings.Contains(errOut, "Commands:") {
		t.Errorf("no arguments: exit %d\n%s", code, errOut)
	}
}

func TestEnvironmentMistakes(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want []string
	}{
		{map[string]string{"ZOOM_CLIENT_ID": "only-this"}, []string{"ZOOM_CLIENT_ID is set but ZOOM_ACCOUNT_ID and ZOOM_CLIENT_SECRET are not"}},
		{map[string]string{"ZOOM_CLIENT_ID": "a", "ZOOM_ACCOUNT_ID": "b"}, []string{"but ZOOM_CLIENT_SECRET is not"}},
		{map[string]string{"ZOOM_BASE_URL": "http://127.0.0.1:9/v2"}, []string{"ZOOM_BASE_URL is set but no credentials are", "unset ZOOM_BASE_URL"}},
		{map[string]string{"ZOOM_TOKEN_URL": "http://127.0.0.1:9/oauth/token"}, []string{"ZOOM_TOKEN_URL is set but no credentials"}},
		{map[string]string{"ZOOM_PLAN": "gold"}, []string{`ZOOM_PLAN="gold"`}},
	} {
		code, _, errOut := cliEnv(t, tc.env, "list")
		for _, w := range tc.want {
			if code != 2 || !strings.Contains(errOut, w) {
				t.Errorf("%v: exit %d: %s; want exit 2 and %q", tc.env, code, errOut, w)
			}
		}
		if strings.Contains(errOut, "using the built-in fake") {
			t.Errorf("%v: fell back to the fake: %s", tc.env, errOut)
		}
	}
}

// TestEveryCommandExplainsItself: -h and --help print usage, every flag and an example,
// exit 0, and need no credentials (the environment here would be refused).
func TestEveryCommandExplainsItself(t *testing.T) {
	broken := map[string]string{"ZOOM_CLIENT_ID": "only-this"}
	flagLine := regexp.MustCompile(`(?m)^  -([a-z-]+)`)
	for name := range commands {
		for _, h := range []string{"-h", "--help"} {
			code, out, errOut := cliEnv(t, broken, name, h)
			if code != 0 || errOut != "" || !strings.HasPrefix(out, "Usage: zoomusers "+name) || !strings.Contains(out, "\nExample:\n  zoomusers "+name) {
				t.Errorf("%s %s: exit %d, stderr %q:\n%s", name, h, code, errOut, out)
			}
			if strings.Contains(out, "[flags]") != strings.Contains(out, "\nFlags:\n") || strings.Contains(out, "[flags]") && len(flagLine.FindAllString(out, -1)) == 0 {
				t.Errorf("%s %s: flags announced but not listed, or the reverse:\n%s", name, h, out)
			}
		}
	}
	code, out, _ := cliEnv(t, broken, "apply", "-h")
	for _, f := range []string{"-dry-run", "-yes", "-journal", "-report", "-report-format", "-input-format", "-concurrency", "-create-action"} {
		if code != 0 || !strings.Contains(out, "  "+f+" ") && !strings.Contains(out, "  "+f+"\n") {
			t.Errorf("apply -h lacks %s:\n%s", f, out)
		}
	}
	if code, out2, _ := cliEnv(t, broken, "help", "apply"); code != 0 || out2 != out {
		t.Errorf("help apply (exit %d) differs from apply -h", code)
	}
}

// TestHelpAndREADMEListEverything: help names every command and environment variable;
// so does docs/cli.md.
func TestHelpAndREADMEListEverything(t *testing.T) {
	code, out, _ := cliEnv(t, nil, "help")
	readme, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, v := range envVars {
		if !strings.Contains(out, v.name) {
			t.Errorf("help does not list %s", v.name)
		}
		if !strings.Contains(string(readme), "`"+v.name+"`") {
			t.Errorf("README does not list %s", v.name)
		}
	}
	for name := range commands {
		if !strings.Contains(out, "  "+name) {
			t.Errorf("help does not list %s", name)
		}
		if !strings.Contains(string(readme), "`"+name) {
			t.Errorf("README does not mention the command %s", name)
		}
	}
	for _, code := range []string{"130"} {
		if !strings.Contains(out, code) || !strings.Contains(string(readme), code) {
			t.Errorf("exit status %s is not documented in help and README", code)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := cliEnv(t, nil, args...)
		if code != 0 || !strings.Contains(out, zoomusers.Version) || !strings.Contains(out, "go1.") {
			t.Errorf("%q: exit %d: %q", args, code, out)
		}
	}
}

// TestInterruptExits130: a listing cut short by the context (Ctrl-C) exits 130.
func TestInterruptExits130(t *testing.T) {
	srv := newFake(t)
	srv.Inject(zoomtest.AnyOperation, 100, zoomtest.Fault{Latency: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	env := fakeEnv(srv)
	var out, errw bytes.Buffer
	code := run(ctx, []string{"list"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errw)
	if code != 130 || !strings.Contains(errw.String(), "interrupted") {
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
