package bulk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/settingspec"
)

// Outcome is what became of a row.
type Outcome string

// Outcomes of a row.
const (
	Changed   Outcome = "changed"   // every step succeeded
	Unchanged Outcome = "unchanged" // the account already matched the row
	Waiting   Outcome = "waiting"   // the user is pending; run the job again once they accept
	// CreatedPending: the row created the user, who stays pending until they accept Zoom's
	// invitation; run the job again then for what the row asks beyond the creation.
	CreatedPending Outcome = "created-pending"
	Failed         Outcome = "failed"  // Zoom refused a step (or a read); later steps did not run
	Earlier        Outcome = "earlier" // finished in an earlier run, per the journal
	NotRun         Outcome = "not-run" // the run ended (interrupted, or stopped) before the row
)

// finished reports whether a row with this outcome needs no further run.
func (o Outcome) finished() bool { return o == Changed || o == Unchanged || o == Earlier }

// Result is the outcome of one row, as reports and the journal hold it.
type Result struct {
	Line    int      `json:"line"`
	Email   string   `json:"email"`
	Outcome Outcome  `json:"outcome"`
	Actions []Action `json:"actions,omitempty"` // the steps done, in order
	// Transferred names the assets a removal handed over.
	Transferred []string `json:"transferred,omitempty"`
	// Of a failure: the HTTP status, Zoom's code and message, and the tracking ID to give
	// Zoom's support; or Message alone for an error that was not Zoom's.
	HTTPStatus int    `json:"http_status,omitempty"`
	Code       int    `json:"code,omitempty"`
	Message    string `json:"message,omitempty"`
	TrackingID string `json:"tracking_id,omitempty"`
	// Err is the error of a failed row, for errors.Is and errors.As.
	Err error `json:"-"`
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Concurrency bounds the rows in flight; 4 when 0. The client's pacing spaces the
	// requests under Zoom's rate limits whatever it is.
	Concurrency int
	// Journal records each finished row, so that a run after this one skips it.
	Journal *Journal
	// OnResult is told of every row once, one call at a time, in the order rows finish.
	OnResult func(Result)
	// OnProgress is told after each row.
	OnProgress func(Progress)
}

// Summary counts the outcomes of a run.
type Summary struct {
	Rows                                                 int
	Changed, Unchanged, Waiting, Failed, Earlier, NotRun int
	CreatedPending                                       int // created, pending until the user accepts
	Elapsed                                              time.Duration
}

func (s Summary) String() string {
	return fmt.Sprintf("%s: %d changed, %d created pending, %d unchanged, %d waiting, %d failed, %d done earlier, %d not run (%s)",
		rowCount(s.Rows), s.Changed, s.CreatedPending, s.Unchanged, s.Waiting, s.Failed, s.Earlier, s.NotRun, s.Elapsed.Round(time.Millisecond))
}

// StoppedError ends a run early: Zoom refused in a way every row left would meet too
// (credentials refused or lacking scope, or an account-wide daily limit of a step every
// row left has). Rows not run are NotRun; run the job again, with the same journal, once
// the cause is gone.
type StoppedError struct {
	Line  int   // the row that met it
	Cause error // Zoom's error
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("bulk: stopped at line %d, as every further row would fail too: %v", e.Line, e.Cause)
}

func (e *StoppedError) Unwrap() error { return e.Cause }

// stepError is a failed step of a row: which step met err.
type stepError struct {
	step Step
	err  error
}

func (e *stepError) Error() string { return fmt.Sprintf("%s: %v", e.step.Action, e.err) }
func (e *stepError) Unwrap() error { return e.err }

// limitKey is what a daily limit of a step covers: the action, and for a creation how it
// creates the user, as the client keys its daily-limit memory on userCreate's action
// (action=create has a cap of its own; custCreate rows are not limited by it).
type limitKey struct {
	action Action
	create zoomusers.CreateUserAction
}

func keyOf(s Step) limitKey {
	if s.Action == ActionCreate {
		return limitKey{s.Action, s.CreateAction}
	}
	return limitKey{action: s.Action}
}

// unstarted counts the rows that have not started and will run (not done in an earlier
// run, not failed at planning), and how many of them have a step of each limitKey: a
// failed row then learns in constant time whether a daily limit covers every row left.
type unstarted struct {
	rows   int
	having map[limitKey]int
}

func newUnstarted(rows []RowPlan) *unstarted {
	u := &unstarted{having: map[limitKey]int{}}
	for _, rp := range rows {
		u.count(rp, 1)
	}
	return u
}

// count adds (delta 1) or removes (-1) rp, if it will run, with each limitKey of its
// steps once.
func (u *unstarted) count(rp RowPlan, delta int) {
	if rp.Earlier != nil || rp.Err != nil {
		return
	}
	u.rows += delta
	var seen []limitKey
	for _, s := range rp.Steps {
		if k := keyOf(s); !slices.Contains(seen, k) {
			seen = append(seen, k)
			u.having[k] += delta
		}
	}
}

// stops reports whether err, met by one row, will meet every row in left as well:
// credentials Zoom refused or that lack a scope, or an account-wide daily limit of a step
// every such row has (a creation only when it creates users the same way). A per-user
// daily limit, a per-second 429 that outlasted the retries and a 403 about one user (no
// privilege on that user, an admin) fail that row only. With no row left there is
// nothing to stop.
func stops(err error, left *unstarted) bool {
	if left.rows == 0 {
		return false
	}
	if errors.Is(err, zoomusers.ErrUnauthorized) {
		return true
	}
	var zerr *zoomusers.Error
	if !errors.As(err, &zerr) {
		return false
	}
	switch {
	case zerr.StatusCode == http.StatusForbidden:
		// The token lacks scopes (4700, and 4711 for granular scopes: ZOOM_FACTS.md
		// "Errors"): no row can succeed. Other 403s concern the user at hand.
		return zerr.Code == zoomusers.CodeMissingScopes || zerr.Code == codeMissingGranularScopes
	case zerr.DailyLimitScope() == zoomusers.DailyLimitAccount:
		var se *stepError
		return errors.As(err, &se) && left.having[keyOf(se.step)] == left.rows
	}
	return false
}

// codeMissingGranularScopes is Zoom's code for a token that "does not contain scopes" the
// operation needs (ZOOM_FACTS.md "Errors").
const codeMissingGranularScopes = 4711

// Apply runs the plan's steps, row by row, up to opts.Concurrency rows at a time; a
// row's steps run in order and stop at the first refusal. Every row is reported once to
// opts.OnResult, rows not reached as NotRun. Apply returns ctx's error when ctx ends (rows
// in flight end with it; their requests may or may not have reached Zoom, and the next
// run's plan sees which), a *StoppedError when Zoom refuses in a way every row left would
// meet, or an error from the journal; else nil, failed rows included.
//
// The callbacks and the journal are served by one goroutine of their own, in the order
// rows finish: a slow callback delays the reports, not the rows' requests.
func (p *Plan) Apply(ctx context.Context, c *zoomusers.Client, opts ApplyOptions) (Summary, error) {
	start := time.Now()
	sum := Summary{Rows: len(p.Rows)}
	runCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var mu sync.Mutex // guards firstErr, state and left
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			stop(err)
		}
	}
	// state of each row: 0 not started, 1 in flight, 2 reported.
	state := make([]int, len(p.Rows))
	left := newUnstarted(p.Rows)
	type finished struct {
		i   int
		res Result
	}
	results := make(chan finished, len(p.Rows))
	reporterDone := make(chan struct{})
	go func() {
		defer close(reporterDone)
		done, failed := 0, 0
		for f := range results {
			switch f.res.Outcome {
			case Changed:
				sum.Changed++
			case Unchanged:
				sum.Unchanged++
			case Waiting:
				sum.Waiting++
			case CreatedPending:
				sum.CreatedPending++
			case Failed:
				sum.Failed++
				failed++
			case Earlier:
				sum.Earlier++
			case NotRun:
				sum.NotRun++
			}
			if opts.Journal != nil && f.res.Outcome != NotRun && f.res.Outcome != Earlier {
				if err := opts.Journal.record(p.Rows[f.i].Row, f.res); err != nil {
					fail(err)
				}
			}
			if opts.OnResult != nil {
				opts.OnResult(f.res)
			}
			done++
			report(opts.OnProgress, PhaseApplying, done, len(p.Rows), failed, start)
		}
	}()
	emit := func(i int, res Result) {
		mu.Lock()
		state[i] = 2
		mu.Unlock()
		results <- finished{i, res}
	}
	loopErr := forEach(runCtx, len(p.Rows), opts.Concurrency, func(ctx context.Context, i int) {
		rp := p.Rows[i]
		mu.Lock()
		state[i] = 1
		left.count(rp, -1)
		mu.Unlock()
		res := runRow(ctx, c, rp)
		if res.Outcome == Failed && ctx.Err() != nil {
			res = Result{Line: rp.Row.Line, Email: rp.Row.Email, Outcome: NotRun, Actions: res.Actions, Message: "interrupted: " + res.Message}
		}
		if res.Outcome == Failed {
			mu.Lock()
			stop := stops(res.Err, left)
			mu.Unlock()
			if stop {
				fail(&StoppedError{Line: rp.Row.Line, Cause: res.Err})
			}
		}
		emit(i, res)
	})
	for i, rp := range p.Rows {
		switch {
		case state[i] == 2:
		case rp.Earlier != nil:
			emit(i, runRow(ctx, c, rp)) // from the journal, without a request
		default:
			emit(i, Result{Line: rp.Row.Line, Email: rp.Row.Email, Outcome: NotRun})
		}
	}
	close(results)
	<-reporterDone
	sum.Elapsed = time.Since(start)
	switch {
	case ctx.Err() != nil:
		return sum, ctx.Err()
	case firstErr != nil:
		return sum, firstErr
	case loopErr != nil:
		return sum, loopErr
	}
	return sum, nil
}

// runRow runs one row's steps in order.
func runRow(ctx context.Context, c *zoomusers.Client, rp RowPlan) Result {
	res := Result{Line: rp.Row.Line, Email: rp.Row.Email}
	switch {
	case rp.Earlier != nil:
		res = *rp.Earlier
		res.Line, res.Outcome = rp.Row.Line, Earlier
		return res
	case rp.Err != nil:
		return failure(res, rp.Err)
	case len(rp.Steps) == 0 && rp.Note != "":
		res.Outcome, res.Message = Waiting, rp.Note
		return res
	case len(rp.Steps) == 0:
		res.Outcome = Unchanged
		return res
	}
	if err := ctx.Err(); err != nil {
		res.Outcome = NotRun
		return res
	}
	u := c.User(rp.UserID)
	for _, s := range rp.Steps {
		var err error
		switch s.Action {
		case ActionCreate:
			err = create(ctx, c, s)
		case ActionActivate:
			err = u.SetStatus(ctx, zoomusers.UserStatusActionActivate)
		case ActionDeactivate:
			err = u.SetStatus(ctx, zoomusers.UserStatusActionDeactivate)
		case ActionUpdate:
			err = update(ctx, u, s)
		case ActionSettings:
			values := settingspec.Values{}
			for _, ch := range s.Changes {
				values[strings.TrimPrefix(ch.Field, settingsPrefix)] = ch.To
			}
			err = settingspec.Apply(ctx, u, values)
		case ActionDisassociate, ActionDelete:
			params := &zoomusers.DeleteUserParams{}
			if s.Action == ActionDelete {
				params.Action = zoomusers.DeleteActionDelete
			}
			var transferred []string
			if s.TransferTo != "" {
				transferred = TransferAll(params, s.TransferTo)
			}
			if err = u.Delete(ctx, params); err == nil {
				res.Transferred = transferred
			}
		default:
			err = fmt.Errorf("bulk: unknown action %q", s.Action)
		}
		if err != nil {
			return failure(res, &stepError{step: s, err: err})
		}
		res.Actions = append(res.Actions, s.Action)
	}
	res.Outcome = Changed
	if rp.Note != "" {
		// The steps ran but the row asks for more than Zoom allows yet (a user created
		// pending): not finished, so the journal lets a later run do the rest.
		res.Outcome, res.Message = Waiting, rp.Note
		if slices.Contains(res.Actions, ActionCreate) {
			res.Outcome = CreatedPending
		}
	}
	return res
}

func failure(res Result, err error) Result {
	res.Outcome, res.Err, res.Message = Failed, err, err.Error()
	var zerr *zoomusers.Error
	if errors.As(err, &zerr) {
		res.HTTPStatus, res.Code, res.TrackingID = zerr.StatusCode, zerr.Code, zerr.TrackingID
		res.Message = zerr.Message
		for _, f := range zerr.FieldErrors {
			res.Message += "; " + f.Field + ": " + f.Message
		}
	}
	return res
}

func create(ctx context.Context, c *zoomusers.Client, s Step) error {
	info := map[string]any{}
	for _, ch := range s.Changes {
		info[ch.Field] = ch.To
	}
	raw, err := json.Marshal(info)
	if err != nil {
		return err
	}
	var nu zoomusers.NewUser
	if err := json.Unmarshal(raw, &nu); err != nil {
		return fmt.Errorf("bulk: the new user does not fit Zoom's create body: %w", err)
	}
	_, err = c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: s.CreateAction, UserInfo: nu})
	return err
}

func update(ctx context.Context, u *zoomusers.UserHandle, s Step) error {
	fields := map[string]any{}
	for _, ch := range s.Changes {
		fields[ch.Field] = ch.To
	}
	raw, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	var upd zoomusers.UserUpdate
	if err := json.Unmarshal(raw, &upd); err != nil {
		return fmt.Errorf("bulk: the fields do not fit Zoom's update body: %w", err)
	}
	return u.Update(ctx, upd, nil)
}
