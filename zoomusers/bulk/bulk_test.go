package bulk_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func newFake(t *testing.T, opts ...zoomtest.Option) (*zoomtest.Server, *zoomusers.Client) {
	t.Helper()
	srv := zoomtest.NewServer(append([]zoomtest.Option{zoomtest.WithUsers(5), zoomtest.WithPlan(zoomusers.PlanBusiness)}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func read(t *testing.T, format bulk.Format, text string) []bulk.Row {
	t.Helper()
	rows, err := bulk.Read(strings.NewReader(text), format)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return rows
}

func TestReadRefusesMistakesBeforeAnyRequest(t *testing.T) {
	for _, tc := range []struct {
		name, format, text string
		want               []string
	}{
		{"unknown column", "csv", "email,frist_name\na@example.com,Ada\n", []string{"line 1, frist_name: unknown column"}},
		{"setting without prefix", "csv", "email,schedule_meeting.host_video\na@example.com,true\n", []string{"name it settings.schedule_meeting.host_video"}},
		{"unknown setting", "csv", "email,settings.schedule_meeting.no_such_key\na@example.com,true\n", []string{`unknown setting "schedule_meeting.no_such_key"`}},
		{"no email column", "csv", "first_name\nAda\n", []string{"no email column"}},
		{"empty file", "csv", "", []string{"the file is empty"}},
		{"bad values", "csv", "email,status,type,settings.schedule_meeting.host_video,pmi\nnot-an-email,gone,gold,maybe,12x\n",
			[]string{`line 2, email: "not-an-email" is not an email address`, `line 2, status: "gone"`, `line 2, type: "gold"`,
				"line 2, settings.schedule_meeting.host_video: setting schedule_meeting.host_video takes true or false", `line 2, pmi: "12x": want an integer`}},
		{"duplicate", "csv", "email\na@example.com\nA@example.com\n", []string{"line 3, email: A@example.com already has a row, on line 2"}},
		{"transfer without removal", "csv", "email,transfer_to\na@example.com,b@example.com\n", []string{"only a row that removes its user"}},
		{"removal with fields", "csv", "email,status,dept\na@example.com,deleted,Sales\n", []string{"leave the profile and settings columns empty"}},
		{"bad json line", "jsonl", "{\"email\":\"a@example.com\"}\n{nope\n", []string{"line 2: not a JSON object"}},
		{"json wrong setting type", "jsonl", `{"email":"a@example.com","settings":{"schedule_meeting":{"host_video":"yes"}}}`, []string{`line 1, settings.schedule_meeting.host_video: setting schedule_meeting.host_video takes true or false, not "yes"`}},
		{"json unknown key", "jsonl", `{"email":"a@example.com","nickname":"A"}`, []string{"line 1, nickname: unknown column"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bulk.Read(strings.NewReader(tc.text), bulk.Format(tc.format))
			var ie bulk.InputErrors
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want InputErrors", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestReadCSVAndJSONLinesAlike(t *testing.T) {
	fromCSV := read(t, bulk.CSV, "email,first_name,type,pmi,settings.schedule_meeting.host_video,settings.tsp.call_out_countries\nada@example.com,Ada,licensed,3333333333,true,\"US,GB\"\n")
	fromJSON := read(t, bulk.JSONLines, `{"email":"ada@example.com","first_name":"Ada","type":"licensed","pmi":3333333333,"settings":{"schedule_meeting":{"host_video":true},"tsp":{"call_out_countries":["US","GB"]}}}`+"\n")
	if len(fromCSV) != 1 || len(fromJSON) != 1 {
		t.Fatalf("rows: %d, %d", len(fromCSV), len(fromJSON))
	}
	a, b := fromCSV[0], fromJSON[0]
	if a.Line != 2 || b.Line != 1 {
		t.Errorf("lines %d, %d; want 2 (after the CSV header) and 1", a.Line, b.Line)
	}
	if fmt.Sprint(a.Profile) != fmt.Sprint(b.Profile) || fmt.Sprint(a.Settings) != fmt.Sprint(b.Settings) {
		t.Errorf("CSV and JSON lines differ:\n%v %v\n%v %v", a.Profile, a.Settings, b.Profile, b.Settings)
	}
}

// TestPlanAndApply runs every kind of row against the fake and checks what the fake
// holds afterwards, then that a second plan has nothing left to do.
func TestPlanAndApply(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	srv.SeedUsers("leaver@example.com", "mover@example.com", "gone@example.com", "keeper@example.com")
	if err := c.User("mover@example.com").SetStatus(ctx, zoomusers.UserStatusActionDeactivate); err != nil {
		t.Fatal(err)
	}
	rows := read(t, bulk.CSV, `email,status,type,first_name,job_title,dept,transfer_to,settings.schedule_meeting.host_video,settings.in_meeting.who_can_share_screen,settings.meeting_security.waiting_room
new@example.com,,licensed,Nia,Analyst,,,true,all,false
u0@example.com,,basic,,,Field,,,,
u1@example.com,inactive,,,,,,,,
mover@example.com,active,,,,,,,,
leaver@example.com,deleted,,,,,keeper@example.com,,,
gone@example.com,disassociated,,,,,,,,
ghost@example.com,deleted,,,,,,,,
u2@example.com,,,User2,,,,,,
`)
	plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{CreateAction: zoomusers.CreateUserActionAutoCreate})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	plan.WriteTo(&out)
	for _, want := range []string{
		"line 2: new@example.com\n    create (action autoCreate)", "type: licensed", `job_title: "Analyst"`,
		"settings.schedule_meeting.host_video: true", "settings.meeting_security.waiting_room: false",
		"line 3: u0@example.com\n    update the profile\n        dept: (empty) -> \"Field\"", "type: licensed -> basic",
		"line 4: u1@example.com\n    deactivate", "line 5: mover@example.com\n    activate",
		"line 6: leaver@example.com\n    delete for good, transferring meeting, webinar, recording, whiteboard, clipfiles, notes, visitors, docs to keeper@example.com",
		"line 7: gone@example.com\n    disassociate",
		"Plan: 8 rows: 1 to create, 2 to update, 1 with settings to change, 1 to activate, 1 to deactivate, 1 to disassociate, 1 to delete, 2 unchanged.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "ghost@example.com") || strings.Contains(out.String(), "u2@example.com") {
		t.Errorf("rows already true of the account are listed:\n%s", out.String())
	}
	if !plan.Destructive() {
		t.Error("a plan that deletes is not destructive")
	}
	var results []bulk.Result
	var mu sync.Mutex
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 3, OnResult: func(r bulk.Result) { mu.Lock(); results = append(results, r); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Changed != 6 || sum.Unchanged != 2 || sum.Failed != 0 || len(results) != 8 {
		t.Fatalf("summary %v, %d results: %+v", sum, len(results), results)
	}

	// What the fake holds.
	st, ok := srv.UserState("new@example.com")
	if !ok || st.CreateAction != "autoCreate" || st.Profile.Type != zoomusers.UserTypeLicensed || *st.Profile.FirstName != "Nia" || *st.Profile.JobTitle != "Analyst" {
		t.Errorf("new user: %v %+v", ok, st.Profile)
	}
	for path, want := range map[string]any{"schedule_meeting.host_video": true, "in_meeting.who_can_share_screen": "all", "meeting_security.meeting_security.waiting_room": false} {
		if got, ok := st.Setting(strings.Split(path, ".")...); !ok || got != want {
			t.Errorf("new user's %s = %v, want %v", path, got, want)
		}
	}
	if st, _ := srv.UserState("u0@example.com"); st.Profile.Type != zoomusers.UserTypeBasic || st.Profile.GetDept() != "Field" {
		t.Errorf("u0: type %d, dept %q", st.Profile.Type, st.Profile.GetDept())
	}
	if st, _ := srv.UserState("u1@example.com"); st.Profile.GetStatus() != zoomusers.UserStatusInactive {
		t.Errorf("u1 is %s, want inactive", st.Profile.GetStatus())
	}
	if st, _ := srv.UserState("mover@example.com"); st.Profile.GetStatus() != zoomusers.UserStatusActive {
		t.Errorf("mover is %s, want active", st.Profile.GetStatus())
	}
	d, ok := srv.Deletion("leaver@example.com")
	if !ok || d.Action != "delete" || d.TransferEmail != "keeper@example.com" || !slices.Equal(d.Transferred, []string{"clipfiles", "docs", "meeting", "notes", "recording", "visitors", "webinar", "whiteboard"}) {
		t.Errorf("leaver: %v %+v", ok, d)
	}
	if d, ok := srv.Deletion("gone@example.com"); !ok || d.Action != "disassociate" {
		t.Errorf("gone: %v %+v", ok, d)
	}
	for _, r := range results {
		if r.Email == "leaver@example.com" && !slices.Contains(r.Transferred, "docs") {
			t.Errorf("the leaver's result does not say what was transferred: %+v", r)
		}
	}

	// Desired state: the same rows again change nothing but the fields Zoom never returns.
	again, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{CreateAction: zoomusers.CreateUserActionAutoCreate})
	if err != nil {
		t.Fatal(err)
	}
	if n := again.Counts(); n.Unchanged != 8 || again.Changes() {
		t.Errorf("second plan: %v; want every row unchanged", n)
	}
}

// TestSnapshotDoesNotSkip shows why jobs list first: deactivating while ranging over the
// active users skips some; deactivating from a snapshot reaches all.
func TestSnapshotDoesNotSkip(t *testing.T) {
	ctx := context.Background()
	for _, snapshot := range []bool{false, true} {
		srv, c := newFake(t, zoomtest.WithUsers(50))
		deactivate := func(u zoomusers.User) {
			if u.GetEmail() == zoomtest.OwnerEmail {
				return
			}
			if err := c.User(*u.ID).SetStatus(ctx, zoomusers.UserStatusActionDeactivate); err != nil {
				t.Fatal(err)
			}
		}
		if snapshot {
			users, err := bulk.Snapshot(ctx, c, zoomusers.UserStatusActive)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				deactivate(u)
			}
		} else {
			for u, err := range c.ListUsers(ctx, &zoomusers.ListUsersParams{PageSize: 10}).All() {
				if err != nil {
					t.Fatal(err)
				}
				deactivate(u)
			}
		}
		left := 0
		for u := range c.ListUsers(ctx, nil).All() {
			if u.GetEmail() != zoomtest.OwnerEmail {
				left++
			}
		}
		switch {
		case snapshot && left != 0:
			t.Errorf("after deactivating from a snapshot, %d users are still active", left)
		case !snapshot && left == 0:
			t.Errorf("deactivating while listing skipped no one; the test no longer shows the hazard")
		}
		srv.Close()
	}
}

// TestInterruptedRunResumes cancels a run midway, then resumes it with the journal: the
// second run does only the rows the first did not finish, and the account ends as the
// rows say.
func TestInterruptedRunResumes(t *testing.T) {
	srv, c := newFake(t, zoomtest.WithUsers(40))
	ctx := context.Background()
	var in strings.Builder
	in.WriteString("email,about_me,settings.schedule_meeting.host_video\n")
	for i := range 40 {
		fmt.Fprintf(&in, "u%d@example.com,Row %d,true\n", i, i)
	}
	rows := read(t, bulk.CSV, in.String())
	path := filepath.Join(t.TempDir(), "job.journal")

	journal, err := bulk.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{Journal: journal})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Inject(zoomtest.AnyOperation, 1000, zoomtest.Fault{Latency: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	finished := 0
	sum, err := plan.Apply(runCtx, c, bulk.ApplyOptions{Concurrency: 2, Journal: journal, OnResult: func(r bulk.Result) {
		if r.Outcome == bulk.Changed {
			finished++
		}
		if finished == 10 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || sum.NotRun == 0 || sum.Changed < 10 || sum.Changed+sum.NotRun != 40 {
		t.Fatalf("interrupted run: %v, %v", sum, err)
	}
	journal.Close()
	updatesBefore := srv.Requests(zoomusers.OpUserUpdate)
	settingsReadsBefore := srv.Requests(zoomusers.OpUserSettings)

	journal, err = bulk.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer journal.Close()
	if journal.Finished() != sum.Changed {
		t.Errorf("journal holds %d finished rows, the run finished %d", journal.Finished(), sum.Changed)
	}
	plan, err = bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{Journal: journal})
	if err != nil {
		t.Fatal(err)
	}
	if n := plan.Counts(); n.Earlier != sum.Changed {
		t.Errorf("resumed plan: %v; want %d done earlier", n, sum.Changed)
	}
	sum2, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 4, Journal: journal})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Earlier != sum.Changed || sum2.Changed != 40-sum.Changed || sum2.Failed+sum2.NotRun != 0 {
		t.Errorf("resumed run: %v", sum2)
	}
	// The resumed run read and wrote only the rows the first left.
	if got, want := srv.Requests(zoomusers.OpUserUpdate)-updatesBefore, 40-sum.Changed; got != want {
		t.Errorf("the resumed run sent %d updates, want %d (one per unfinished row)", got, want)
	}
	if got, want := srv.Requests(zoomusers.OpUserSettings)-settingsReadsBefore, 40-sum.Changed; got != want {
		t.Errorf("the resumed run read %d users' settings, want %d", got, want)
	}
	for i := range 40 {
		st, _ := srv.UserState(fmt.Sprintf("u%d@example.com", i))
		if st.ProfileExtras["about_me"] != fmt.Sprintf("Row %d", i) {
			t.Errorf("u%d: about_me %v", i, st.ProfileExtras["about_me"])
		}
		if v, _ := st.Setting("schedule_meeting", "host_video"); v != true {
			t.Errorf("u%d: host_video %v", i, v)
		}
	}
}

// TestDailyLimitStopsTheRun: a daily limit would fail every further row, so the run
// stops, the rows left are not run, and the report says so with Zoom's details.
func TestDailyLimitStopsTheRun(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	var in strings.Builder
	in.WriteString("email,first_name\n")
	for i := range 5 {
		fmt.Fprintf(&in, "new%d@example.com,N%d\n", i, i)
	}
	rows := read(t, bulk.CSV, in.String())
	// action=create: Zoom documents its daily cap as account-wide (ZOOM_FACTS.md "Rate limits").
	plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{CreateAction: zoomusers.CreateUserActionCreate})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Inject(zoomusers.OpUserCreate, 100, zoomtest.Fault{DailyLimit: true}); err != nil {
		t.Fatal(err)
	}
	var report bytes.Buffer
	rw, _ := bulk.NewReportWriter(&report, bulk.CSV)
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 1, OnResult: rw.Write})
	rw.Close()
	var stopped *bulk.StoppedError
	if !errors.As(err, &stopped) || !errors.Is(err, zoomusers.ErrRateLimited) || sum.Failed != 1 || sum.NotRun != 4 {
		t.Fatalf("%v, %v", sum, err)
	}
	recs, err := csv.NewReader(&report).ReadAll()
	if err != nil || len(recs) != 6 || !slices.Equal(recs[0], bulk.ReportColumns) {
		t.Fatalf("report (%v):\n%s", err, report.String())
	}
	failed := recs[1]
	if failed[2] != "failed" || failed[5] != "429" || failed[8] == "" || !strings.Contains(failed[7], "daily") {
		t.Errorf("the failed row's report lacks Zoom's status, message or tracking ID: %q", failed)
	}
	if recs[5][2] != "not-run" {
		t.Errorf("last row: %q", recs[5])
	}
}

func TestJournalSurvivesATornLastLine(t *testing.T) {
	srv, c := newFake(t)
	_ = srv
	ctx := context.Background()
	rows := read(t, bulk.CSV, "email,dept\nu0@example.com,A\nu1@example.com,B\n")
	path := filepath.Join(t.TempDir(), "j")
	j, _ := bulk.OpenJournal(path)
	plan, _ := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{Journal: j})
	if _, err := plan.Apply(ctx, c, bulk.ApplyOptions{Journal: j}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"key":"abc","outcome":"chan`) // the process died here
	f.Close()
	j, err := bulk.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if j.Finished() != 2 {
		t.Fatalf("%d finished, want 2", j.Finished())
	}
	rows2 := read(t, bulk.CSV, "email,dept\nu2@example.com,C\n")
	plan, _ = bulk.NewPlan(ctx, c, rows2, bulk.PlanOptions{Journal: j})
	if _, err := plan.Apply(ctx, c, bulk.ApplyOptions{Journal: j}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	if j, err = bulk.OpenJournal(path); err != nil {
		t.Fatalf("after appending past a torn line: %v", err)
	}
	if j.Finished() != 3 {
		t.Fatalf("after appending past a torn line: %d finished, want 3", j.Finished())
	}
	j.Close()
	os.WriteFile(path, []byte("not a journal\n{}\n"), 0o600)
	if _, err := bulk.OpenJournal(path); err == nil || !strings.Contains(err.Error(), "damaged at line 1") {
		t.Errorf("a file that is not a journal: %v", err)
	}
}
