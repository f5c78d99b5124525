package bulk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/settingspec"
)

// Action is one change a row makes.
type Action string

// Actions, in the order a row runs them.
const (
	ActionCreate       Action = "create"
	ActionActivate     Action = "activate"
	ActionUpdate       Action = "update"   // profile fields and license type
	ActionSettings     Action = "settings" // settings, field by field
	ActionDeactivate   Action = "deactivate"
	ActionDisassociate Action = "disassociate"
	ActionDelete       Action = "delete"
)

// Change is one field a step changes.
type Change struct {
	Field string // a profile field's JSON name, or settings.<path>
	From  any    // the current value; meaningful only when Known
	To    any
	// Known is false when Zoom did not say what the field holds (a field it never returns,
	// a user still to be created): the step sets it regardless.
	Known bool
}

// Step is one request a row makes.
type Step struct {
	Action  Action
	Changes []Change // for create, update and settings
	// CreateAction is how a create step creates the user.
	CreateAction zoomusers.CreateUserAction
	// TransferTo receives the assets of a user a disassociate or delete step removes.
	TransferTo string
}

// RowPlan is what one row will do.
type RowPlan struct {
	Row Row
	// UserID names the user in requests: the ID when Zoom gave one, else the email.
	UserID string
	// Exists says whether the account has the user; Status is the user's status then.
	Exists bool
	Status zoomusers.UserStatus
	Steps  []Step
	// Earlier is set when the journal holds the row as finished in an earlier run.
	Earlier *Result
	// Note says why a row does less than it asks (a pending user, say).
	Note string
	// Err is set when the row cannot run: Zoom refused to read the user, or the account
	// lacks the user to transfer to. Apply reports the row as failed without a request.
	Err error
}

// Plan is what a job will do to the account, row by row.
type Plan struct {
	Rows   []RowPlan
	Listed int // users in the account's listing
}

// PlanOptions tune NewPlan.
type PlanOptions struct {
	// Journal marks rows finished in an earlier run: they are neither read nor run.
	Journal *Journal
	// CreateAction creates the users of rows that do not say how; ActionCreate (Zoom
	// emails an invitation, the user is pending until accepted) when empty.
	CreateAction zoomusers.CreateUserAction
	// Concurrency bounds the reads of users and settings in flight; 4 when 0.
	Concurrency int
	// OnProgress is told of progress: the listing, then the reads.
	OnProgress func(Progress)
}

// NewPlan lists the account (Snapshot), reads what the rows need of each user's profile
// and settings, and compares: each row's steps are what Apply will do. Reads are paced
// by the client; a row whose reads Zoom refuses gets Err and no steps.
func NewPlan(ctx context.Context, c *zoomusers.Client, rows []Row, opts PlanOptions) (*Plan, error) {
	if opts.CreateAction == "" {
		opts.CreateAction = zoomusers.CreateUserActionCreate
	}
	start := time.Now()
	listed := 0
	users, err := snapshot(ctx, c, func(n, total int) {
		listed += n
		report(opts.OnProgress, PhaseListing, listed, 0, 0, start)
	})
	if err != nil {
		return nil, fmt.Errorf("bulk: listing the account's users: %w", err)
	}
	byEmail := make(map[string]*zoomusers.User, len(users))
	for i := range users {
		if users[i].Email != nil {
			byEmail[strings.ToLower(*users[i].Email)] = &users[i]
		}
	}
	plan := &Plan{Rows: make([]RowPlan, len(rows)), Listed: len(users)}
	var mu sync.Mutex
	done, failed := 0, 0
	start = time.Now()
	err = forEach(ctx, len(rows), opts.Concurrency, func(ctx context.Context, i int) {
		rp := planRow(ctx, c, rows[i], byEmail, opts)
		plan.Rows[i] = rp
		mu.Lock()
		done++
		if rp.Err != nil {
			failed++
		}
		report(opts.OnProgress, PhaseReading, done, len(rows), failed, start)
		mu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

func planRow(ctx context.Context, c *zoomusers.Client, row Row, byEmail map[string]*zoomusers.User, opts PlanOptions) RowPlan {
	rp := RowPlan{Row: row, UserID: row.Email}
	if opts.Journal != nil {
		if res, ok := opts.Journal.Done(row); ok {
			rp.Earlier = &res
			return rp
		}
	}
	u := byEmail[strings.ToLower(row.Email)]
	if u != nil {
		rp.Exists = true
		rp.Status = u.GetStatus()
		if u.ID != nil && *u.ID != "" {
			rp.UserID = *u.ID
		}
	}
	if row.Status.removes() {
		if !rp.Exists {
			return rp // already gone
		}
		if row.TransferTo != "" && byEmail[strings.ToLower(row.TransferTo)] == nil {
			rp.Err = fmt.Errorf("transfer_to %s is not a user of the account", row.TransferTo)
			return rp
		}
		a := ActionDisassociate
		if row.Status == StatusDeleted {
			a = ActionDelete
		}
		rp.Steps = []Step{{Action: a, TransferTo: row.TransferTo}}
		return rp
	}
	if !rp.Exists {
		return planCreate(rp, row, opts)
	}
	if rp.Status == zoomusers.UserStatusPending {
		if len(row.Profile) > 0 || len(row.Settings) > 0 || row.Status == StatusInactive {
			rp.Note = "pending: Zoom changes nothing else until the user accepts the invitation; run the job again then"
		}
		return rp
	}
	if row.Status == StatusActive && rp.Status == zoomusers.UserStatusInactive {
		rp.Steps = append(rp.Steps, Step{Action: ActionActivate})
	}
	if len(row.Profile) > 0 {
		changes, err := profileChanges(ctx, c, rp.UserID, u, row.Profile)
		if err != nil {
			rp.Err = fmt.Errorf("reading the profile: %w", err)
			rp.Steps = nil
			return rp
		}
		if len(changes) > 0 {
			rp.Steps = append(rp.Steps, Step{Action: ActionUpdate, Changes: changes})
		}
	}
	if len(row.Settings) > 0 {
		current, err := settingspec.Read(ctx, c.User(rp.UserID), slices.Sorted(maps.Keys(row.Settings)))
		if err != nil {
			rp.Err = fmt.Errorf("reading the settings: %w", err)
			rp.Steps = nil
			return rp
		}
		var changes []Change
		for _, path := range slices.Sorted(maps.Keys(row.Settings)) {
			f, _ := settingspec.Lookup(path)
			from, known := current[path]
			if known && f.Equal(from, row.Settings[path]) {
				continue
			}
			changes = append(changes, Change{Field: settingsPrefix + path, From: from, To: row.Settings[path], Known: known})
		}
		if len(changes) > 0 {
			rp.Steps = append(rp.Steps, Step{Action: ActionSettings, Changes: changes})
		}
	}
	if row.Status == StatusInactive && rp.Status == zoomusers.UserStatusActive {
		rp.Steps = append(rp.Steps, Step{Action: ActionDeactivate})
	}
	return rp
}

// createFields are the profile fields the create body itself takes.
var createFields = []string{"first_name", "last_name", "display_name", "type"}

func planCreate(rp RowPlan, row Row, opts PlanOptions) RowPlan {
	action := row.CreateAction
	if action == "" {
		action = opts.CreateAction
	}
	create := Step{Action: ActionCreate, CreateAction: action}
	create.Changes = append(create.Changes, Change{Field: "email", To: row.Email})
	if _, ok := row.Profile["type"]; !ok {
		create.Changes = append(create.Changes, Change{Field: "type", To: json.Number("1")}) // Zoom requires one; Basic costs no license
	}
	var update Step
	update.Action = ActionUpdate
	for _, k := range slices.Sorted(maps.Keys(row.Profile)) {
		ch := Change{Field: k, To: row.Profile[k]}
		if slices.Contains(createFields, k) {
			create.Changes = append(create.Changes, ch)
		} else {
			update.Changes = append(update.Changes, ch)
		}
	}
	rp.Steps = []Step{create}
	later := len(update.Changes) > 0 || len(row.Settings) > 0 || row.Status == StatusInactive
	if action == zoomusers.CreateUserActionCreate {
		if later {
			rp.Note = "created with action create, the user is pending until they accept Zoom's invitation; the other fields wait for a later run"
		}
		return rp
	}
	if len(update.Changes) > 0 {
		rp.Steps = append(rp.Steps, update)
	}
	if len(row.Settings) > 0 {
		s := Step{Action: ActionSettings}
		for _, path := range slices.Sorted(maps.Keys(row.Settings)) {
			s.Changes = append(s.Changes, Change{Field: settingsPrefix + path, To: row.Settings[path]})
		}
		rp.Steps = append(rp.Steps, s)
	}
	if row.Status == StatusInactive {
		rp.Steps = append(rp.Steps, Step{Action: ActionDeactivate})
	}
	return rp
}

// profileChanges compares the desired profile fields with the user's, reading the full
// profile when the listing lacks one of them.
func profileChanges(ctx context.Context, c *zoomusers.Client, id string, listed *zoomusers.User, want map[string]any) ([]Change, error) {
	current := jsonMap(listed)
	for k := range want {
		if _, ok := current[k]; !ok {
			full, err := c.User(id).Get(ctx, nil)
			if err != nil {
				return nil, err
			}
			current = jsonMap(full)
			break
		}
	}
	var changes []Change
	for _, k := range slices.Sorted(maps.Keys(want)) {
		from, present := current[k]
		// Here current is the full profile whenever a field is absent: Zoom leaves out an
		// empty field its user model has (dept, job_title, ...), so only a field outside
		// that model (one Zoom never returns) is not readable.
		known := present || userFields[k]
		if known && (sameJSON(from, want[k]) || !present && sameJSON("", want[k])) {
			continue
		}
		changes = append(changes, Change{Field: k, From: from, To: want[k], Known: known})
	}
	return changes, nil
}

// userFields are the JSON names of the fields a user's profile can hold.
var userFields = func() map[string]bool {
	m := map[string]bool{}
	for f := range reflect.TypeFor[zoomusers.User]().Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			m[name] = true
		}
	}
	return m
}()

func jsonMap(v any) map[string]any {
	raw, _ := json.Marshal(v)
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	dec.Decode(&m)
	return m
}

// sameJSON compares two values by their JSON, numbers by value.
func sameJSON(a, b any) bool {
	norm := func(v any) any {
		raw, _ := json.Marshal(v)
		var out any
		json.Unmarshal(raw, &out)
		return out
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// Counts are how many rows do what.
type Counts struct {
	Rows                       int
	Create, Update, Settings   int
	Activate, Deactivate       int
	Disassociate, Delete       int
	Unchanged, Earlier, Failed int
	Pending                    int // rows waiting on a pending user
}

// Counts counts the rows by what they will do; a row may count under several actions.
func (p *Plan) Counts() Counts {
	n := Counts{Rows: len(p.Rows)}
	for _, rp := range p.Rows {
		switch {
		case rp.Earlier != nil:
			n.Earlier++
			continue
		case rp.Err != nil:
			n.Failed++
			continue
		case rp.Note != "" && len(rp.Steps) == 0:
			n.Pending++
			continue
		case len(rp.Steps) == 0:
			n.Unchanged++
		}
		for _, s := range rp.Steps {
			switch s.Action {
			case ActionCreate:
				n.Create++
			case ActionUpdate:
				n.Update++
			case ActionSettings:
				n.Settings++
			case ActionActivate:
				n.Activate++
			case ActionDeactivate:
				n.Deactivate++
			case ActionDisassociate:
				n.Disassociate++
			case ActionDelete:
				n.Delete++
			}
		}
	}
	return n
}

// Changes reports whether the plan changes anything.
func (p *Plan) Changes() bool {
	for _, rp := range p.Rows {
		if len(rp.Steps) > 0 {
			return true
		}
	}
	return false
}

// Destructive reports whether the plan deactivates or removes a user.
func (p *Plan) Destructive() bool {
	n := p.Counts()
	return n.Deactivate+n.Disassociate+n.Delete > 0
}

// String summarizes the counts in one line.
func (n Counts) String() string {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{n.Create, "to create"}, {n.Update, "to update"}, {n.Settings, "with settings to change"},
		{n.Activate, "to activate"}, {n.Deactivate, "to deactivate"}, {n.Disassociate, "to disassociate"},
		{n.Delete, "to delete"}, {n.Unchanged, "unchanged"}, {n.Pending, "waiting on a pending user"},
		{n.Earlier, "done in an earlier run"}, {n.Failed, "that cannot run"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%s: nothing to do", rowCount(n.Rows))
	}
	return fmt.Sprintf("%s: %s", rowCount(n.Rows), strings.Join(parts, ", "))
}

// WriteTo prints the plan for a person: each row that changes something, fails or waits,
// field by field, then the counts. Unchanged rows and rows done earlier are counted only.
func (p *Plan) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	for _, rp := range p.Rows {
		if rp.Earlier != nil || (len(rp.Steps) == 0 && rp.Err == nil && rp.Note == "") {
			continue
		}
		fmt.Fprintf(cw, "line %d: %s\n", rp.Row.Line, rp.Row.Email)
		if rp.Err != nil {
			fmt.Fprintf(cw, "    cannot run: %s\n", describeErr(rp.Err))
		}
		for _, s := range rp.Steps {
			fmt.Fprintf(cw, "    %s\n", describeStep(s))
			for _, ch := range s.Changes {
				fmt.Fprintf(cw, "        %s\n", describeChange(ch, !rp.Exists))
			}
		}
		if rp.Note != "" {
			fmt.Fprintf(cw, "    note: %s\n", rp.Note)
		}
	}
	fmt.Fprintf(cw, "Plan: %s.\n", p.Counts())
	return cw.n, cw.err
}

func describeStep(s Step) string {
	switch s.Action {
	case ActionCreate:
		return fmt.Sprintf("create (action %s)", s.CreateAction)
	case ActionUpdate:
		return "update the profile"
	case ActionSettings:
		return "change settings"
	case ActionDisassociate, ActionDelete:
		verb := "disassociate (the user keeps a Basic account of their own)"
		if s.Action == ActionDelete {
			verb = "delete for good"
		}
		if s.TransferTo != "" {
			var p zoomusers.DeleteUserParams
			verb += fmt.Sprintf(", transferring %s to %s", strings.Join(TransferAll(&p, s.TransferTo), ", "), s.TransferTo)
		}
		return verb
	}
	return string(s.Action)
}

func describeChange(ch Change, create bool) string {
	to := show(ch.Field, ch.To)
	switch {
	case create:
		return fmt.Sprintf("%s: %s", ch.Field, to)
	case !ch.Known:
		return fmt.Sprintf("%s: (not readable) -> %s", ch.Field, to)
	}
	return fmt.Sprintf("%s: %s -> %s", ch.Field, show(ch.Field, ch.From), to)
}

func show(field string, v any) string {
	if field == "type" {
		var t zoomusers.UserType
		if raw, err := json.Marshal(v); err == nil && json.Unmarshal(raw, &t) == nil {
			return TypeName(t)
		}
	}
	if v == nil {
		return "(empty)"
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// forEach runs fn for 0..n-1 with at most concurrency calls at a time, and returns
// ctx's error when ctx ends first (calls already running finish).
func forEach(ctx context.Context, n, concurrency int, fn func(ctx context.Context, i int)) error {
	if concurrency <= 0 {
		concurrency = 4
	}
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	var err error
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(ctx, i)
		}()
	}
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}

func describeErr(err error) string {
	var zerr *zoomusers.Error
	if errors.As(err, &zerr) {
		return fmt.Sprintf("Zoom answered %d (code %d): %s", zerr.StatusCode, zerr.Code, zerr.Message)
	}
	return err.Error()
}

// rowCount is "1 row" or "n rows".
func rowCount(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}
