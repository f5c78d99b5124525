package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/internal/decoding"
	"github.com/zoomkit/go-zoomusers/internal/scrub"
	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// The doctor reads an account the way the spec describes it and reports where the
// answers differ: the drift the decoder repaired, keys the spec does not declare, enum
// values it does not list, declared fields never sent, scopes the token lacks, the
// rate-limit headers Zoom sent and the token's region and scopes. It only reads: every
// request it makes is a GET (doctor_test.go holds it to that).

func init() {
	commands["doctor"] = command{doctor, "", "read every GET operation for a few users and report where the account's answers differ from the spec; -corpus writes them scrubbed, to contribute", "zoomusers doctor -users 3 -corpus ./capture"}
	details["doctor"] = `The doctor only reads: it calls every GET operation of the spec for the first -users
users of the listing (and the account-wide ones once), paced at a quarter of the plan's
limits (ZOOM_PLAN). It reports: the drift the client repaired (a value coerced or
dropped), keys the spec does not declare, enum values the spec does not list, declared
fields no answer carried, operations refused for missing scopes (Zoom's 4700/4711) with
the scopes they need, the rate-limit headers seen, and the token's region (api_url) and
granted scopes. GET /users/me/zak is not checked: it needs a user-level token.
-json prints the whole report.
-scrub replaces every value and key name of the report that came from the account (the
drift's values, undeclared keys and their values, error messages) by the fakes of
-corpus; it is on with -corpus. Share only a scrubbed report.
-corpus DIR writes every answer read, scrubbed of personal and secret values, in the
layout of test/testdata/corpus (account.<operation>[.<n>].json, with NOTES.txt naming each
file's operation and route); zoomtest.WithSnapshot and 'zoomtest --snapshot DIR' serve it.
Exit status: 0 the account answers as the spec says (fields never seen and refused scopes
are reported, not counted); 1 differences or failed calls; 2 a local mistake.
`
}

// doctorShare is the fraction of the plan's limits the doctor uses: well under them, so
// that the services sharing the account's limits do not notice it.
const doctorShare = 0.25

// doctorReport is what -json prints.
type doctorReport struct {
	APIURL        string          `json:"api_url"`
	GrantedScopes []string        `json:"granted_scopes"`
	UsersSampled  int             `json:"users_sampled"`
	Calls         []doctorCall    `json:"calls"`
	Drifts        []doctorDrift   `json:"drifts"`
	Undeclared    []doctorKey     `json:"undeclared_keys"`
	OutsideEnum   []doctorKey     `json:"enum_values_outside_spec"`
	NeverSeen     []doctorUnseen  `json:"declared_fields_never_seen"`
	ScopeRefusals []doctorRefusal `json:"scope_refusals"`
	NotChecked    []doctorSkip    `json:"not_checked"`
	RateLimits    []doctorRate    `json:"rate_limit_headers"`
	Failures      []doctorCall    `json:"failures"`
	Differences   int             `json:"differences"`
}

// doctorCall is one request and what became of it.
type doctorCall struct {
	Operation  zoomusers.OperationID `json:"operation"`
	Variant    string                `json:"variant,omitempty"`
	Status     int                   `json:"status"`
	Code       int                   `json:"code,omitempty"` // Zoom's error code
	Outcome    string                `json:"outcome"`        // ok, not found, refused: scopes, failed
	Error      string                `json:"error,omitempty"`
	TrackingID string                `json:"tracking_id,omitempty"`
}

type doctorDrift struct {
	Operation zoomusers.OperationID `json:"operation"`
	Path      string                `json:"path"`
	Action    string                `json:"action"`
	Arrived   json.RawMessage       `json:"arrived"`
	Want      string                `json:"want"`
	Reason    string                `json:"reason"`
	model     reflect.Type          // what the answer decoded into, for -scrub
}

type doctorKey struct {
	Operation zoomusers.OperationID `json:"operation"`
	Path      string                `json:"path"`
	Value     json.RawMessage       `json:"value"`
	model     reflect.Type          // what the answer decoded into, for -scrub
}

type doctorUnseen struct {
	Operation zoomusers.OperationID `json:"operation"`
	Variant   string                `json:"variant,omitempty"`
	Fields    []string              `json:"fields"`
}

// doctorSkip is an operation the doctor did not call, and why.
type doctorSkip struct {
	Operation zoomusers.OperationID `json:"operation"`
	Reason    string                `json:"reason"`
}

type doctorRefusal struct {
	Operation zoomusers.OperationID `json:"operation"`
	Code      int                   `json:"code"`
	Message   string                `json:"message"`
	Needs     []string              `json:"needs_one_of"`
}

type doctorRate struct {
	Operation zoomusers.OperationID `json:"operation"`
	Category  string                `json:"category,omitempty"`
	Type      string                `json:"type,omitempty"`
	Limit     int                   `json:"limit,omitempty"`
	Remaining int                   `json:"remaining"`
}

// doctorRun gathers one run's findings.
type doctorRun struct {
	c      *zoomusers.Client
	report doctorReport
	corpus *corpusWriter // nil without -corpus
	scrub  *scrub.Scrubber
	model  reflect.Type // the model of the call under way, for the drift handler

	mu      sync.Mutex
	drifts  map[string]bool
	seen    map[string]map[string]bool // op/variant -> declared paths seen
	models  map[string]any             // op/variant -> a model, for its declared fields
	rateOps map[zoomusers.OperationID]bool
}

func doctor(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	users := fs.Int("users", 3, "how many users to read (the first of the listing), 1 to 30")
	asJSON := fs.Bool("json", false, "print the full report as JSON")
	corpusDir := fs.String("corpus", "", "write the answers read, scrubbed, to this directory")
	scrubbed := fs.Bool("scrub", false, "scrub the report as the -corpus files are (on with -corpus): every value and key name from the account replaced by a fake")
	template := fs.String("template", "", "a meeting template ID to read (the Users API cannot list them)")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *users < 1 || *users > 30 {
		return usagef("-users %d: want 1 to 30", *users)
	}
	run := &doctorRun{drifts: map[string]bool{}, seen: map[string]map[string]bool{}, models: map[string]any{}, rateOps: map[zoomusers.OperationID]bool{},
		scrub: scrub.New()}
	scrubSet := false
	fs.Visit(func(f *flag.Flag) { scrubSet = scrubSet || f.Name == "scrub" })
	if *corpusDir != "" {
		if err := os.MkdirAll(*corpusDir, 0o755); err != nil {
			return usagef("-corpus: %v", err)
		}
		run.corpus = &corpusWriter{dir: *corpusDir, scrub: run.scrub, counts: map[string]int{}}
		if !scrubSet {
			*scrubbed = true // a report beside a capture is shared with it
		}
	}
	plan := zoomusers.PlanPro
	if p, ok := plans[strings.ToLower(e.getenv("ZOOM_PLAN"))]; ok {
		plan = p
	}
	e.extra = []zoomusers.Option{zoomusers.WithPacing(plan, doctorShare), zoomusers.WithDriftHandler(run.drift),
		zoomusers.WithLogger(slog.New(slog.DiscardHandler))} // the report lists every drift; warn lines would repeat them
	c, err := e.zoom()
	if err != nil {
		return err
	}
	run.c = c
	info, err := c.TokenInfo(ctx)
	if err != nil {
		return err
	}
	run.report.APIURL, run.report.GrantedScopes = info.APIURL, info.Scopes
	if err := run.examine(ctx, *users, *template); err != nil {
		return err
	}
	if run.corpus != nil {
		if err := run.corpus.close(); err != nil {
			return err
		}
	}
	run.finish()
	if *scrubbed {
		run.scrubReport()
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(run.report); err != nil {
			return err
		}
	} else {
		run.summary(e.stdout, *corpusDir)
	}
	if run.report.Differences > 0 {
		return differencesError{run.report.Differences}
	}
	return nil
}

// differencesError ends a doctor run that found differences: exit status 1.
type differencesError struct{ n int }

func (d differencesError) Error() string {
	return fmt.Sprintf("%d difference(s) between the account's answers and the spec", d.n)
}

// examine calls every GET operation: the account-wide ones once, the per-user ones for
// each sampled user. The switch in call names every GET of the spec (a test checks).
func (r *doctorRun) examine(ctx context.Context, n int, template string) error {
	c := r.c
	var sample []zoomusers.User
	// The listing, with custom attributes: the form Zoom's drift was reported in.
	r.call(ctx, zoomusers.OpUsers, "include_fields=custom_attributes", new(gen.UserList), func(opts ...zoomusers.Option) (any, error) {
		for page, err := range c.ListUsers(ctx, &zoomusers.ListUsersParams{PageSize: n, IncludeFields: zoomusers.IncludeFieldCustomAttributes}, opts...).Pages() {
			if err != nil {
				return nil, err
			}
			sample = page.Users
			return page, nil
		}
		return nil, errors.New("the listing had no page")
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	r.report.UsersSampled = len(sample)
	r.call(ctx, zoomusers.OpUserSummary, "", new(zoomusers.UserSummary), func(opts ...zoomusers.Option) (any, error) { return c.Summary(ctx, opts...) })
	email := zoomtestOwner
	if len(sample) > 0 {
		email = sample[0].GetEmail()
	}
	r.call(ctx, zoomusers.OpUserEmail, "", new(gen.EmailCheck), func(opts ...zoomusers.Option) (any, error) { return c.EmailExists(ctx, email, opts...) })
	r.call(ctx, zoomusers.OpUserVanityName, "", new(gen.VanityNameCheck), func(opts ...zoomusers.Option) (any, error) {
		return c.VanityNameExists(ctx, "zoomusers-doctor-probe", opts...)
	})
	// GET /users/me/zak reads the token's own user: the CLI's clients are Server-to-Server
	// (env.go), for whose tokens Zoom documents no meaning of me (docs/library.md,
	// "Authentication and me"), so an answer or a refusal would say nothing of the spec.
	r.report.NotChecked = append(r.report.NotChecked, doctorSkip{zoomusers.OpUserZak, "not checked (needs a user-level token)"})
	for _, u := range sample {
		id := u.GetID()
		if id == "" {
			id = u.GetEmail() // a pending user has no ID in listings
		}
		h := c.User(id)
		r.call(ctx, zoomusers.OpUser, "", new(zoomusers.User), func(opts ...zoomusers.Option) (any, error) { return h.Get(ctx, nil, opts...) })
		r.call(ctx, zoomusers.OpUserSettings, "", new(zoomusers.UserSettings), func(opts ...zoomusers.Option) (any, error) { return h.Settings(ctx, nil, opts...) })
		r.call(ctx, zoomusers.OpUserSettings, "option=meeting_authentication", new(zoomusers.MeetingAuthSettings), func(opts ...zoomusers.Option) (any, error) { return h.MeetingAuthentication(ctx, opts...) })
		r.call(ctx, zoomusers.OpUserSettings, "option=recording_authentication", new(zoomusers.RecordingAuthSettings), func(opts ...zoomusers.Option) (any, error) { return h.RecordingAuthentication(ctx, opts...) })
		r.call(ctx, zoomusers.OpUserSettings, "option=meeting_security", new(zoomusers.MeetingSecuritySettings), func(opts ...zoomusers.Option) (any, error) { return h.MeetingSecurity(ctx, opts...) })
		r.call(ctx, zoomusers.OpUserPermission, "", new(gen.UserPermissions), func(opts ...zoomusers.Option) (any, error) { return h.Permissions(ctx, opts...) })
		r.call(ctx, zoomusers.OpUserAssistants, "", new(gen.AssistantList), func(opts ...zoomusers.Option) (any, error) { return h.Assistants(ctx, opts...) })
		r.call(ctx, zoomusers.OpUserSchedulers, "", new(gen.SchedulerList), func(opts ...zoomusers.Option) (any, error) { return h.Schedulers(ctx, opts...) })
		var devices []zoomusers.CollaborationDevice
		r.call(ctx, zoomusers.OpListCollaborationDevices, "", new(gen.CollaborationDeviceList), func(opts ...zoomusers.Option) (any, error) {
			var err error
			devices, err = h.CollaborationDevices(ctx, opts...)
			return devices, err
		})
		device := "zoomusers-doctor-probe" // no device: the call still shows Zoom's answer to one
		if len(devices) > 0 && devices[0].GetID() != "" {
			device = devices[0].GetID()
		}
		r.call(ctx, zoomusers.OpGetCollaborationDevice, "", new(zoomusers.CollaborationDevice), func(opts ...zoomusers.Option) (any, error) {
			return h.CollaborationDevice(ctx, device, opts...)
		})
		tmpl := template
		if tmpl == "" {
			tmpl = "zoomusers-doctor-probe"
		}
		r.call(ctx, zoomusers.OpGetUserMeetingTemplates, "", new(zoomusers.MeetingTemplate), func(opts ...zoomusers.Option) (any, error) {
			return h.MeetingTemplate(ctx, tmpl, opts...)
		})
		r.call(ctx, zoomusers.OpGetUserPresenceStatus, "", new(zoomusers.PresenceStatus), func(opts ...zoomusers.Option) (any, error) { return h.PresenceStatus(ctx, opts...) })
		r.call(ctx, zoomusers.OpUserToken, "type=zak", new(gen.Token), func(opts ...zoomusers.Option) (any, error) {
			return h.Token(ctx, &zoomusers.TokenParams{Type: zoomusers.TokenTypeZAK}, opts...)
		})
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// zoomtestOwner is the email probed for userEmail when the listing gave no user.
const zoomtestOwner = "owner@example.com"

// call makes one request through fn, whose options capture the answer, and records
// what it shows; model is a new value of the type the answer decodes into.
func (r *doctorRun) call(ctx context.Context, op zoomusers.OperationID, variant string, model any, fn func(...zoomusers.Option) (any, error)) {
	if ctx.Err() != nil {
		return
	}
	var resp zoomusers.Response
	r.model = reflect.TypeOf(model)
	_, err := fn(zoomusers.WithResponseInto(&resp))
	rec := doctorCall{Operation: op, Variant: variant, Status: resp.StatusCode, Outcome: "ok", TrackingID: resp.TrackingID}
	if zerr := (*zoomusers.Error)(nil); errors.As(err, &zerr) {
		rec.Code = zerr.Code
	}
	r.rate(op, resp.RateLimit)
	var zerr *zoomusers.Error
	switch {
	case err == nil:
		r.survey(op, variant, model, resp.Body)
	case errors.As(err, &zerr) && (zerr.Code == zoomusers.CodeMissingScopes || zerr.Code == 4711):
		// 4700 and 4711: the token lacks the operation's scopes (ZOOM_FACTS.md, "Errors").
		rec.Outcome, rec.Error = "refused: scopes", zerr.Message
		r.report.ScopeRefusals = append(r.report.ScopeRefusals, doctorRefusal{Operation: op, Code: zerr.Code, Message: zerr.Message, Needs: op.Scopes()})
	case errors.As(err, &zerr) && zerr.StatusCode == http.StatusNotFound:
		rec.Outcome, rec.Error = "not found", zerr.Message // nothing to read: no sample, no difference
	default:
		rec.Outcome, rec.Error = "failed", unprefixed(describe(err))
		r.report.Failures = append(r.report.Failures, rec)
	}
	r.report.Calls = append(r.report.Calls, rec)
}

// survey compares one answer's body with its model.
func (r *doctorRun) survey(op zoomusers.OperationID, variant string, model any, body []byte) {
	key := string(op) + "/" + variant
	r.models[key] = model
	if r.seen[key] == nil {
		r.seen[key] = map[string]bool{}
	}
	s, err := decoding.Inspect(body, reflect.TypeOf(model))
	if err != nil {
		r.report.Failures = append(r.report.Failures, doctorCall{Operation: op, Variant: variant, Outcome: "failed", Error: err.Error()})
		return
	}
	for _, p := range s.Seen {
		r.seen[key][p] = true
	}
	for _, k := range s.Undeclared {
		r.report.Undeclared = append(r.report.Undeclared, doctorKey{op, k.Path, k.Value, reflect.TypeOf(model)})
	}
	for _, k := range s.OutsideEnum {
		r.report.OutsideEnum = append(r.report.OutsideEnum, doctorKey{op, k.Path, k.Value, reflect.TypeOf(model)})
	}
	if r.corpus != nil {
		r.corpus.write(op, variant, reflect.TypeOf(model), body)
	}
}

// drift is the client's drift handler.
func (r *doctorRun) drift(_ context.Context, d zoomusers.Drift) {
	r.mu.Lock()
	defer r.mu.Unlock()
	want := "any JSON"
	if d.Want != nil {
		want = d.Want.String()
	}
	r.report.Drifts = append(r.report.Drifts, doctorDrift{Operation: d.Operation, Path: d.Path, Action: d.Action.String(), Arrived: d.Value, Want: want, Reason: d.Reason, model: r.model})
}

// rate keeps the first rate-limit headers of each operation.
func (r *doctorRun) rate(op zoomusers.OperationID, rl zoomusers.RateLimit) {
	if r.rateOps[op] || rl.Category == "" && rl.Type == "" && rl.Limit == 0 && rl.Remaining < 0 {
		return
	}
	r.rateOps[op] = true
	r.report.RateLimits = append(r.report.RateLimits, doctorRate{Operation: op, Category: rl.Category, Type: rl.Type, Limit: rl.Limit, Remaining: rl.Remaining})
}

// finish lists the declared fields never seen, the outermost of each absent branch, and
// counts the differences.
func (r *doctorRun) finish() {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range r.models {
			if !yield(k) {
				return
			}
		}
	})
	for _, key := range keys {
		seen := r.seen[key]
		var unseen []string
		for _, p := range decoding.Declared(reflect.TypeOf(r.models[key])) {
			if parent := decoding.Parent(p); !seen[p] && (parent == "" || seen[parent]) {
				unseen = append(unseen, p)
			}
		}
		if len(unseen) > 0 {
			op, variant, _ := strings.Cut(key, "/")
			r.report.NeverSeen = append(r.report.NeverSeen, doctorUnseen{zoomusers.OperationID(op), variant, unseen})
		}
	}
	r.report.Differences = len(r.report.Drifts) + len(r.report.Undeclared) + len(r.report.OutsideEnum) + len(r.report.Failures)
}

// scrubReport replaces, with the fakes of the -corpus files, every value and key name of
// the report that came from the account: the drift's values and paths, the undeclared
// keys' values and paths, the enum values outside the spec (kept: an enum's values are
// codes, scrub.Value keeps them) and the error messages, which can quote an email or an
// ID (the call's status and Zoom's code stay). What the report says of the spec (field
// names, scopes, operations) and of the token (region, scopes) and the rate-limit headers
// are not the account's data and stay.
func (r *doctorRun) scrubReport() {
	value := func(v json.RawMessage, model reflect.Type, path string) json.RawMessage {
		out, err := r.scrub.Value(v, model, path)
		if err != nil {
			return json.RawMessage(`"(scrubbed)"`) // not JSON: nothing of it is kept
		}
		return out
	}
	rep := &r.report
	for i, d := range rep.Drifts {
		rep.Drifts[i].Arrived = value(d.Arrived, d.model, d.Path)
		rep.Drifts[i].Path = r.scrub.Path(d.model, d.Path)
		rep.Drifts[i].Reason, _, _ = strings.Cut(d.Reason, "; kept as ") // what follows quotes the value
	}
	for _, keys := range [][]doctorKey{rep.Undeclared, rep.OutsideEnum} {
		for i, k := range keys {
			keys[i].Value = value(k.Value, k.model, k.Path)
			keys[i].Path = r.scrub.Path(k.model, k.Path)
		}
	}
	for _, calls := range [][]doctorCall{rep.Calls, rep.Failures} {
		for i := range calls {
			calls[i].Error = ""
		}
	}
	for i := range rep.ScopeRefusals {
		rep.ScopeRefusals[i].Message = ""
	}
}

// summary prints the short human report.
func (r *doctorRun) summary(w io.Writer, corpusDir string) {
	rep := &r.report
	ok := 0
	for _, c := range rep.Calls {
		if c.Outcome == "ok" {
			ok++
		}
	}
	fmt.Fprintf(w, "Region (api_url): %s\nGranted scopes: %s\n", orNone(rep.APIURL), orNone(strings.Join(rep.GrantedScopes, " ")))
	fmt.Fprintf(w, "Read %d answers of %d requests for %d user(s).\n", ok, len(rep.Calls), rep.UsersSampled)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	section := func(title string, n int) bool {
		if n > 0 {
			tw.Flush()
			fmt.Fprintf(w, "\n%s (%d):\n", title, n)
		}
		return n > 0
	}
	if section("Drift the client repaired", len(rep.Drifts)) {
		for _, d := range rep.Drifts {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", d.Operation, d.Path, d.Action, clip(d.Arrived))
		}
	}
	if section("Keys the spec does not declare", len(rep.Undeclared)) {
		for _, k := range rep.Undeclared {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Operation, k.Path, clip(k.Value))
		}
	}
	if section("Enum values the spec does not list", len(rep.OutsideEnum)) {
		for _, k := range rep.OutsideEnum {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Operation, k.Path, clip(k.Value))
		}
	}
	if section("Failed calls", len(rep.Failures)) {
		for _, f := range rep.Failures {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.Operation, f.Variant, f.Error)
		}
	}
	if section("Refused for missing scopes (not checked)", len(rep.ScopeRefusals)) {
		for _, s := range rep.ScopeRefusals {
			fmt.Fprintf(tw, "  %s\tcode %d\tneeds one of: %s\n", s.Operation, s.Code, strings.Join(s.Needs, " "))
		}
	}
	if section("Not checked", len(rep.NotChecked)) {
		for _, s := range rep.NotChecked {
			fmt.Fprintf(tw, "  %s\t%s\n", s.Operation, s.Reason)
		}
	}
	if section("Rate-limit headers seen", len(rep.RateLimits)) {
		for _, l := range rep.RateLimits {
			fmt.Fprintf(tw, "  %s\t%s %s\tlimit %d, remaining %d\n", l.Operation, l.Category, l.Type, l.Limit, l.Remaining)
		}
	}
	tw.Flush()
	unseen := 0
	for _, u := range rep.NeverSeen {
		unseen += len(u.Fields)
	}
	if unseen > 0 {
		fmt.Fprintf(w, "\n%d declared field(s) never seen (Zoom leaves fields out freely; -json lists them).\n", unseen)
	}
	if corpusDir != "" {
		fmt.Fprintf(w, "Answers written, scrubbed, to %s: review them, then see docs/development.md to contribute them.\n", corpusDir)
	}
	if rep.Differences == 0 {
		fmt.Fprintln(w, "\nThe account answers as the spec says.")
	} else {
		fmt.Fprintf(w, "\n%d difference(s) from the spec.\n", rep.Differences)
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none given)"
	}
	return s
}

func clip(v []byte) string {
	if len(v) > 60 {
		return string(v[:60]) + "…"
	}
	return string(v)
}

// corpusWriter writes scrubbed answers as test/testdata/corpus files:
// account.<operationId>[.<n>].json, the n-th answer of an operation from 2 on, and
// NOTES.txt, one line per file with its operation, route and the time it was read.
type corpusWriter struct {
	dir    string
	scrub  *scrub.Scrubber
	counts map[string]int
	notes  strings.Builder
	err    error
}

// CorpusSource is the source part of the names of the files -corpus writes.
const CorpusSource = "account"

func (w *corpusWriter) write(op zoomusers.OperationID, variant string, model reflect.Type, body []byte) {
	if w.err != nil {
		return
	}
	out, err := w.scrub.JSON(body, model)
	if err != nil {
		w.err = fmt.Errorf("-corpus: scrubbing a %s answer: %w", op, err)
		return
	}
	w.counts[string(op)]++
	name := CorpusSource + "." + string(op)
	if n := w.counts[string(op)]; n > 1 {
		name += fmt.Sprintf(".%d", n)
	}
	name += ".json"
	if err := os.WriteFile(filepath.Join(w.dir, name), out, 0o644); err != nil {
		w.err = fmt.Errorf("-corpus: %w", err)
		return
	}
	route := op.Method() + " " + op.Path()
	if variant != "" {
		route += "?" + variant
	}
	fmt.Fprintf(&w.notes, "%s\t%s\t%s\n", name, op, route)
}

func (w *corpusWriter) close() error {
	if w.err != nil {
		return w.err
	}
	head := fmt.Sprintf("# Answers read by zoomusers doctor %s on %s, scrubbed.\n# file\toperation\troute\n", zoomusers.Version, time.Now().UTC().Format(time.DateOnly))
	return os.WriteFile(filepath.Join(w.dir, "NOTES.txt"), []byte(head+w.notes.String()), 0o644)
}
