package bulk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/bulk"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// updateRows is a CSV changing the first name of users u0..u(n-1).
func updateRows(n int) string {
	var in strings.Builder
	in.WriteString("email,first_name\n")
	for i := range n {
		fmt.Fprintf(&in, "u%d@example.com,Renamed%d\n", i, i)
	}
	return in.String()
}

// A slow OnResult delays the reports, not the rows: every row's request goes out while
// the first report is still being handled.
func TestSlowCallbackDoesNotHoldTheRows(t *testing.T) {
	const rows = 12
	srv, c := newFake(t, zoomtest.WithUsers(rows))
	ctx := context.Background()
	plan, err := bulk.NewPlan(ctx, c, read(t, bulk.CSV, updateRows(rows)), bulk.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	sent := 0
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 2, Journal: nil, OnResult: func(bulk.Result) {
		once.Do(func() {
			// A bound on a hang, not a timing: the rows need well under a second.
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if sent = srv.Requests(zoomusers.OpUserUpdate); sent == rows {
					return
				}
			}
		})
	}})
	if err != nil || sum.Changed != rows {
		t.Fatalf("%v, %v", sum, err)
	}
	if sent != rows {
		t.Errorf("while the first report was handled, %d of %d rows' updates went out: the callback held the workers", sent, rows)
	}
}

// A 403 about one user, and a daily limit of one user, fail that row only; the run goes
// on and the other rows are done.
func TestOneUsersRefusalFailsThatRowOnly(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		header string
		msg    string
	}{
		{"403 no privilege on the user", http.StatusForbidden, "", "No privilege."},
		{"per-user daily limit", http.StatusTooManyRequests, "", "You have exceeded the daily rate limit (100) of User Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."},
		{"per-user daily limit with the daily header", http.StatusTooManyRequests, "Daily-limit", "You have exceeded the daily rate limit of requests permitted for this particular user."},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := zoomtest.NewUnstarted(zoomtest.WithUsers(5), zoomtest.WithPlan(zoomusers.PlanBusiness))
			next := fake.Handler()
			var mu sync.Mutex
			patches := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				if r.Method == http.MethodPatch {
					patches++
				}
				second := r.Method == http.MethodPatch && patches == 2 // u1's row: rows run in order
				mu.Unlock()
				if second {
					if c.header != "" {
						w.Header().Set("X-RateLimit-Type", c.header)
						w.Header().Set("Retry-After", time.Now().UTC().Truncate(24*time.Hour).Add(24*time.Hour).Format(time.RFC3339))
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(c.status)
					fmt.Fprintf(w, `{"code":%d,"message":%q}`, 200, c.msg)
					return
				}
				next.ServeHTTP(w, r)
			}))
			defer srv.Close()
			cl, err := zoomusers.New(zoomusers.WithServerToServer(zoomtest.AccountID, zoomtest.ClientID, zoomtest.ClientSecret),
				zoomusers.WithBaseURL(srv.URL+"/v2"), zoomusers.WithTokenURL(srv.URL+"/oauth/token"))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			plan, err := bulk.NewPlan(ctx, cl, read(t, bulk.CSV, updateRows(5)), bulk.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sum, err := plan.Apply(ctx, cl, bulk.ApplyOptions{Concurrency: 1})
			if err != nil || sum.Failed != 1 || sum.Changed != 4 || sum.NotRun != 0 {
				t.Errorf("%v, %v; want u1's row failed and the 4 others changed", sum, err)
			}
		})
	}
}

// An account-wide daily limit of creating users stops no row that does not create one:
// rows that update go on; rows that create fail (the second refused by the client from
// the remembered limit).
func TestDailyLimitOfOneStepSparesOtherRows(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	rows := read(t, bulk.CSV, "email,first_name\nnew0@example.com,N0\nu0@example.com,R0\nnew1@example.com,N1\nu1@example.com,R1\n")
	// action=create: Zoom documents its daily cap as account-wide (ZOOM_FACTS.md "Rate limits").
	plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{CreateAction: zoomusers.CreateUserActionCreate})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Inject(zoomusers.OpUserCreate, 100, zoomtest.Fault{DailyLimit: true}); err != nil {
		t.Fatal(err)
	}
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 1})
	var stopped *bulk.StoppedError
	if errors.As(err, &stopped) || sum.Changed != 2 || sum.Failed != 2 {
		t.Fatalf("%v, %v; want the two updates changed and the two creations failed", sum, err)
	}
}

// An account-wide daily limit of action=create does not stop rows that create users
// another way (custCreate): the client keys its daily-limit memory on the action, and so
// does the run. The custCreate rows are created; only the create rows fail.
func TestDailyLimitOfOneCreateActionSparesOtherCreations(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	rows := read(t, bulk.CSV, "email,first_name,create_action\nnew0@example.com,N0,create\nnew1@example.com,N1,custCreate\nnew2@example.com,N2,create\nnew3@example.com,N3,custCreate\n")
	plan, err := bulk.NewPlan(ctx, c, rows, bulk.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Inject(zoomusers.OpUserCreate, 1, zoomtest.Fault{DailyLimit: true}); err != nil {
		t.Fatal(err)
	}
	var failed []string
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 1, OnResult: func(r bulk.Result) {
		if r.Outcome == bulk.Failed {
			failed = append(failed, r.Email)
		}
	}})
	if err != nil || sum.NotRun != 0 || sum.Failed != 2 || sum.Changed+sum.CreatedPending != 2 {
		t.Errorf("%v, %v; want the two custCreate rows created and the two create rows failed", sum, err)
	}
	if want := []string{"new0@example.com", "new2@example.com"}; !slices.Equal(failed, want) {
		t.Errorf("failed rows %v, want %v", failed, want)
	}
}

// A run whose last row meets an account-wide daily limit has no row left to stop: it
// ends without a StoppedError, which would say rows were left not run.
func TestDailyLimitOnTheLastRowStopsNothing(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	plan, err := bulk.NewPlan(ctx, c, read(t, bulk.CSV, updateRows(3)), bulk.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Rows run in order with one at a time: the third update is the last row's.
	if err := srv.InjectEvery(zoomusers.OpUserUpdate, 3, zoomtest.Fault{DailyLimit: true}); err != nil {
		t.Fatal(err)
	}
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 1})
	if err != nil || sum.Changed != 2 || sum.Failed != 1 || sum.NotRun != 0 {
		t.Errorf("%v, %v; want two rows changed, the last failed, and no StoppedError", sum, err)
	}
}

// Apply reports its progress after each row: the rows done so far, one more each time,
// and the failed rows among them.
func TestApplyReportsProgress(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	plan, err := bulk.NewPlan(ctx, c, read(t, bulk.CSV, updateRows(4)), bulk.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Rows run in order with one at a time: the first update is the first row's.
	if err := srv.Inject(zoomusers.OpUserUpdate, 1, zoomtest.Fault{Status: http.StatusBadRequest}); err != nil {
		t.Fatal(err)
	}
	var got []string
	sum, err := plan.Apply(ctx, c, bulk.ApplyOptions{Concurrency: 1, OnProgress: func(p bulk.Progress) {
		got = append(got, fmt.Sprintf("%s %d/%d failed %d", p.Phase, p.Done, p.Total, p.Failed))
	}})
	if err != nil || sum.Failed != 1 {
		t.Fatalf("%v, %v; want one row failed", sum, err)
	}
	want := []string{"applying 1/4 failed 1", "applying 2/4 failed 1", "applying 3/4 failed 1", "applying 4/4 failed 1"}
	if !slices.Equal(got, want) {
		t.Errorf("progress %q, want %q", got, want)
	}
}

// A plan is destructive when any row deactivates or removes a user, whichever of the
// three it is, and not otherwise.
func TestDestructiveCountsEachKindOfRemoval(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	for _, tc := range []struct {
		status string
		want   bool
	}{{"inactive", true}, {"disassociated", true}, {"deleted", true}, {"active", false}} {
		plan, err := bulk.NewPlan(ctx, c, read(t, bulk.CSV, "email,status\nu0@example.com,"+tc.status+"\n"), bulk.PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := plan.Destructive(); got != tc.want {
			t.Errorf("a plan making a user %s: Destructive() = %v, want %v", tc.status, got, tc.want)
		}
	}
}
