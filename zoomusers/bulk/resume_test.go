package bulk_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// TestPendingCreateIsFinishedLater: a user created with action create is pending, so the
// rest of the row (dept here) waits; the row is not journaled as finished, and the run
// after the invitation is accepted applies the rest.
func TestPendingCreateIsFinishedLater(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	rows := read(t, bulk.CSV, "email,dept\nnew@example.com,Field\n")
	path := filepath.Join(t.TempDir(), "job.journal")
	run := func() bulk.Summary {
		t.Helper()
		j, err := bulk.OpenJournal(path)
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{Journal: j, CreateAction: zoomusers.CreateUserActionCreate})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Journal: j})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if sum := run(); sum.CreatedPending != 1 || sum.Waiting != 0 || sum.Changed != 0 {
		t.Fatalf("first run: %v, want the row created pending", sum)
	}
	if err := srv.AcceptInvitation("new@example.com"); err != nil {
		t.Fatal(err)
	}
	if sum := run(); sum.Changed != 1 || sum.Earlier != 0 {
		t.Fatalf("run after the invitation was accepted: %v, want the rest applied", sum)
	}
	if st, _ := srv.UserState("new@example.com"); st.Profile.GetDept() != "Field" {
		t.Errorf("dept %q, want Field", st.Profile.GetDept())
	}
}

// TestUnreachedRowsFromTheJournalAreEarlier: rows the journal holds are reported as done
// earlier even when the run stops before reaching them (a daily limit on the row before,
// which the row after the journaled one would meet too).
func TestUnreachedRowsFromTheJournalAreEarlier(t *testing.T) {
	// On the Free plan every label has an account-wide daily cap (ZOOM_FACTS.md "Rate
	// limits"), so a daily limit of updates covers every row left and stops the run.
	srv, _ := newFake(t, zoomtest.WithPlan(zoomusers.PlanFree))
	c, err := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithPacing(zoomusers.PlanFree, 1))...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rows := read(t, bulk.CSV, "email,dept\nu1@example.com,B\nu0@example.com,A\nu2@example.com,C\n")
	path := filepath.Join(t.TempDir(), "job.journal")
	j, err := bulk.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	plan, err := bulk.NewPlan(ctx, c, rows[1:2], bulk.PlanOptions{Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Apply(ctx, c, bulk.ApplyOptions{Journal: j}); err != nil {
		t.Fatal(err)
	}
	if plan, err = bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{Journal: j}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Inject(zoomusers.OpUserUpdate, 1, zoomtest.Fault{DailyLimit: true}); err != nil {
		t.Fatal(err)
	}
	var outcomes []bulk.Outcome
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 1, Journal: j, OnResult: func(r bulk.Result) { outcomes = append(outcomes, r.Outcome) }})
	if !errors.As(err, new(*bulk.StoppedError)) || sum.Earlier != 1 || sum.Failed != 1 || sum.NotRun != 1 {
		t.Errorf("stopped run: %v, %v, outcomes %v; want the journaled row reported earlier", sum, err, outcomes)
	}
}
