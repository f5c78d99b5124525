package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writes counts the requests that change something.
func writes(srv *zoomtest.Server) int {
	n := 0
	for _, op := range []zoomusers.OperationID{zoomusers.OpUserCreate, zoomusers.OpUserUpdate, zoomusers.OpUserSettingsUpdate, zoomusers.OpUserStatus, zoomusers.OpUserDelete} {
		n += srv.Requests(op)
	}
	return n
}

const jobCSV = `email,status,type,first_name,dept,transfer_to,settings.schedule_meeting.host_video
nia@example.com,,licensed,Nia,Finance,,true
u0@example.com,inactive,,,,,
u1@example.com,,,,Field,,false
leaver@example.com,deleted,,,,jill@example.com,
`

func TestApplyDryRunThenRun(t *testing.T) {
	srv := newFake(t)
	srv.SeedUsers("leaver@example.com")
	job := writeFile(t, "job.csv", jobCSV)

	code, out, errOut := cli(t, srv, "apply", "-dry-run", "-create-action", "autoCreate", job)
	if code != 0 || writes(srv) != 0 {
		t.Fatalf("dry run: exit %d, %d writes: %s%s", code, writes(srv), out, errOut)
	}
	for _, want := range []string{"line 2: nia@example.com\n    create (action autoCreate)", "line 3: u0@example.com\n    deactivate",
		`dept: (empty) -> "Field"`, "settings.schedule_meeting.host_video: true\n",
		"delete for good, transferring meeting, webinar, recording, whiteboard, clipfiles, notes, visitors, docs to jill@example.com",
		"Plan: 4 rows: 1 to create, 2 to update, 1 with settings to change, 1 to deactivate, 1 to delete", "Dry run: nothing was changed."} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(job + ".journal"); err == nil {
		t.Error("a dry run wrote a journal")
	}

	// Off a terminal, changes that deactivate and delete need -yes.
	if code, _, errOut := cli(t, srv, "apply", "-create-action", "autoCreate", job); code != 2 || !strings.Contains(errOut, "add -yes") || writes(srv) != 0 {
		t.Fatalf("without -yes: exit %d, %d writes: %s", code, writes(srv), errOut)
	}

	report := filepath.Join(t.TempDir(), "report.csv")
	code, out, errOut = cli(t, srv, "apply", "-yes", "-create-action", "autoCreate", "-report", report, job)
	if code != 0 || !strings.Contains(out, "Done: 4 rows: 4 changed, 0 created pending") {
		t.Fatalf("apply: exit %d:\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "\r") {
		t.Errorf("progress drawn into a pipe: %q", errOut)
	}
	st, _ := srv.UserState("nia@example.com")
	if st.Profile.Type != zoomusers.UserTypeLicensed || st.Profile.GetDept() != "Finance" {
		t.Errorf("nia: %+v", st.Profile)
	}
	if v, _ := st.Setting("schedule_meeting", "host_video"); v != true {
		t.Errorf("nia's host_video: %v", v)
	}
	if st, _ := srv.UserState("u0@example.com"); st.Profile.GetStatus() != zoomusers.UserStatusInactive {
		t.Errorf("u0: %s", st.Profile.GetStatus())
	}
	if d, ok := srv.Deletion("leaver@example.com"); !ok || d.Action != "delete" || d.TransferEmail != "jill@example.com" {
		t.Errorf("leaver: %v %+v", ok, d)
	}
	f, _ := os.Open(report)
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 5 || recs[0][2] != "outcome" {
		t.Fatalf("report (%v): %q", err, recs)
	}
	for _, r := range recs[1:] {
		if r[2] != "changed" {
			t.Errorf("report row %q", r)
		}
		if r[1] == "leaver@example.com" && !strings.Contains(r[4], "docs") {
			t.Errorf("the report does not say what was transferred: %q", r)
		}
	}

	// Run again: the journal says every row is done; nothing is sent.
	before := writes(srv)
	code, out, errOut = cli(t, srv, "apply", "-yes", job)
	if code != 0 || writes(srv) != before || !strings.Contains(out, "4 done in an earlier run") || !strings.Contains(errOut, "resuming") {
		t.Errorf("second run: exit %d, %d writes:\n%s%s", code, writes(srv)-before, out, errOut)
	}
}

// TestApplyReportsZoomRefusals: a row Zoom refuses makes exit 1, and the report and
// stderr carry Zoom's code, message and tracking ID.
func TestApplyReportsZoomRefusals(t *testing.T) {
	srv := newFake(t)
	// A job title over the spec's 128 characters: no local check knows the limit.
	job := writeFile(t, "job.csv", "email,job_title,timezone\nu0@example.com,"+strings.Repeat("x", 129)+",\nu1@example.com,,Europe/Paris\n")
	code, out, errOut := cli(t, srv, "apply", "-yes", "-report", "-", "-report-format", "json", job)
	if code != 1 || !strings.Contains(errOut, "line 2: u0@example.com: Zoom answered 400 (code 300)") || !strings.Contains(errOut, "tracking id") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if !strings.Contains(out, `"outcome":"failed"`) || !strings.Contains(out, `"code":300`) || !strings.Contains(out, `"tracking_id":"`) || !strings.Contains(out, `"outcome":"changed"`) {
		t.Errorf("JSON report:\n%s", out)
	}
	if st, _ := srv.UserState("u1@example.com"); st.Profile.GetTimezone() != "Europe/Paris" {
		t.Errorf("the good row was not applied: %s", st.Profile.GetTimezone())
	}
}

// onTerminal runs the command with stdin and stderr on a real pseudo-terminal, feeding
// it answer, and returns the exit code, stdout and what the terminal showed.
func onTerminal(t *testing.T, srv *zoomtest.Server, answer string, args ...string) (int, string, string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	defer ptmx.Close()
	var screen bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); io.Copy(&screen, ptmx) }()
	if answer != "" {
		ptmx.Write([]byte(answer))
	}
	env := fakeEnv(srv)
	var out bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, tty, &out, tty)
	tty.Close()
	ptmx.SetReadDeadline(time.Now().Add(5 * time.Second))
	wg.Wait()
	return code, out.String(), screen.String()
}

func TestDeleteAsksOnATerminal(t *testing.T) {
	srv := newFake(t)
	srv.SeedUsers("a@example.com", "b@example.com")
	code, _, screen := onTerminal(t, srv, "n\n", "delete", "a@example.com", "-permanent")
	if code != 2 || !strings.Contains(screen, "Delete a@example.com for good? This cannot be undone [y/N]") || srv.Requests(zoomusers.OpUserDelete) != 0 {
		t.Errorf("answered n: exit %d, %d deletes; terminal:\n%s", code, srv.Requests(zoomusers.OpUserDelete), screen)
	}
	if _, ok := srv.UserState("a@example.com"); !ok {
		t.Error("a was deleted after answering n")
	}
	code, out, screen := onTerminal(t, srv, "y\n", "delete", "b@example.com", "-transfer-to", "jill@example.com")
	if code != 0 || !strings.Contains(screen, "transferring meeting, webinar") || !strings.Contains(out, "disassociated b@example.com") {
		t.Errorf("answered y: exit %d: %s\nterminal:\n%s", code, out, screen)
	}
	if d, ok := srv.Deletion("b@example.com"); !ok || d.TransferEmail != "jill@example.com" {
		t.Errorf("b: %v %+v", ok, d)
	}
}

// TestInterruptAtThePrompt: Ctrl-C while the question waits for an answer ends the
// command at once with 130, and nothing is deleted.
func TestInterruptAtThePrompt(t *testing.T) {
	srv := newFake(t)
	srv.SeedUsers("a@example.com")
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	var screen syncBuffer
	go io.Copy(&screen, ptmx)
	ctx, cancel := context.WithCancel(context.Background())
	env := fakeEnv(srv)
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"delete", "a@example.com", "-permanent"}, func(k string) string { return env[k] }, tty, io.Discard, tty)
	}()
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(screen.String(), "[y/N]"); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no question on the terminal: %q", screen.String())
		}
	}
	cancel() // what main does on SIGINT
	select {
	case c := <-code:
		if c != exitInterrupted {
			t.Errorf("exit %d, want %d; terminal:\n%s", c, exitInterrupted, screen.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the command still waits for an answer after the interrupt")
	}
	if _, ok := srv.UserState("a@example.com"); !ok || srv.Requests(zoomusers.OpUserDelete) != 0 {
		t.Error("the user was deleted after the interrupt")
	}
}

// TestApplyProgressOnATerminal: on a terminal the run draws progress in place, with rate
// and ETA, and asks before changing; into a pipe it draws nothing (TestApplyDryRunThenRun).
func TestApplyProgressOnATerminal(t *testing.T) {
	srv := newFake(t)
	var in strings.Builder
	in.WriteString("email,dept\n")
	for i := range 30 {
		fmt.Fprintf(&in, "t%d@example.com,D%d\n", i, i)
		srv.SeedUsers(fmt.Sprintf("t%d@example.com", i))
	}
	job := writeFile(t, "job.csv", in.String())
	srv.Inject(zoomtest.AnyOperation, 1000, zoomtest.Fault{Latency: 15 * time.Millisecond})
	code, out, screen := onTerminal(t, srv, "y\n", "apply", "-concurrency", "2", job)
	if code != 0 || !strings.Contains(out, "30 changed") {
		t.Fatalf("exit %d:\n%s\nterminal:\n%s", code, out, screen)
	}
	if !strings.Contains(screen, "Apply these changes to 30 user(s)? [y/N]") {
		t.Errorf("no question on the terminal:\n%q", screen)
	}
	if !strings.Contains(screen, "\rapplying: ") || !strings.Contains(screen, "/30 (") || !strings.Contains(screen, "/s") || !strings.Contains(screen, "ETA ") {
		t.Errorf("no progress with rate and ETA on the terminal:\n%q", screen)
	}
	if st, _ := srv.UserState("t29@example.com"); st.Profile.GetDept() != "D29" {
		t.Errorf("t29: %q", st.Profile.GetDept())
	}
}

// TestApplyKilledAndResumed runs the real command in a subprocess, interrupts it with
// SIGINT midway, and runs it again: it exits 130, the second run does only what the
// first did not finish, and the account ends as the file says.
func TestApplyKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "zoomusers")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	srv := zoomtest.NewServer(zoomtest.WithUsers(40), zoomtest.WithPlan(zoomusers.PlanBusiness))
	defer srv.Close()
	var in strings.Builder
	in.WriteString("email,about_me,settings.in_meeting.chat\n")
	const rows = 40
	for i := range rows {
		fmt.Fprintf(&in, "u%d@example.com,Row %d,false\n", i, i)
	}
	job := writeFile(t, "job.csv", in.String())
	journal := job + ".journal"
	srv.Inject(zoomtest.AnyOperation, 100000, zoomtest.Fault{Latency: 30 * time.Millisecond})

	command := func() *exec.Cmd {
		cmd := exec.Command(bin, "apply", "-yes", "-concurrency", "2", job)
		for k, v := range fakeEnv(srv) {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		return cmd
	}
	first := command()
	var out1 bytes.Buffer
	first.Stdout, first.Stderr = &out1, &out1
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for a few finished rows in the journal, then interrupt.
	deadline := time.Now().Add(60 * time.Second)
	for journalLines(journal) < 8 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatalf("no progress in the journal:\n%s", out1.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	first.Process.Signal(syscall.SIGINT)
	err := first.Wait()
	if code := first.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("interrupted run: exit %d (%v):\n%s", code, err, out1.String())
	}
	finished := journalLines(journal)
	if finished >= rows {
		t.Fatalf("the run finished all %d rows before the interrupt; slow it down", rows)
	}
	updates := srv.Requests(zoomusers.OpUserUpdate)

	second := command()
	out2, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out2)
	}
	if !strings.Contains(string(out2), fmt.Sprintf("%d done in an earlier run", finished)) {
		t.Errorf("the resumed run does not count the %d finished rows:\n%s", finished, out2)
	}
	// Fields Zoom never returns (about_me) would be sent again without the journal: the
	// resumed run sent them only for the rows left.
	if got := srv.Requests(zoomusers.OpUserUpdate) - updates; got != rows-finished {
		t.Errorf("the resumed run sent %d updates, want %d (rows %d, finished %d)", got, rows-finished, rows, finished)
	}
	for i := range rows {
		st, _ := srv.UserState(fmt.Sprintf("u%d@example.com", i))
		if st.ProfileExtras["about_me"] != fmt.Sprintf("Row %d", i) {
			t.Errorf("u%d: about_me %v", i, st.ProfileExtras["about_me"])
		}
		if v, _ := st.Setting("in_meeting", "chat"); v != false {
			t.Errorf("u%d: in_meeting.chat %v", i, v)
		}
	}
}

// journalLines counts the complete entries of a journal.
func journalLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"outcome":"changed"`) {
			n++
		}
	}
	return n
}

// TestApplyRowsThatCannotRunFail: a job whose only row cannot run (it hands assets to a
// user the account does not have) changes nothing and still exits 1.
func TestApplyRowsThatCannotRunFail(t *testing.T) {
	srv := newFake(t)
	job := writeFile(t, "job.csv", "email,status,transfer_to\nu0@example.com,deleted,nobody@example.com\n")
	code, out, errOut := cli(t, srv, "apply", "-yes", job)
	if code != exitRefused || !strings.Contains(errOut, "cannot run") || writes(srv) != 0 {
		t.Errorf("exit %d, %d writes\nstdout:\n%s\nstderr:\n%s", code, writes(srv), out, errOut)
	}
}
