package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// doctorFake serves a fake Zoom through a handler that records every request's method,
// so that a test can prove the doctor never writes.
type doctorFake struct {
	*zoomtest.Server
	srv     *httptest.Server
	mu      sync.Mutex
	methods []string
	// rewrite, when set, replaces the body of each /v2 answer: a Zoom that answers
	// otherwise than the fake.
	rewrite func(path string, body []byte) []byte
}

func newDoctorFake(t *testing.T, opts ...zoomtest.Option) *doctorFake {
	t.Helper()
	f := &doctorFake{Server: zoomtest.NewUnstarted(append([]zoomtest.Option{zoomtest.WithUsers(2), zoomtest.WithPlan(zoomusers.PlanBusiness)}, opts...)...)}
	h := f.Handler()
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v2/") {
			f.mu.Lock()
			f.methods = append(f.methods, r.Method+" "+r.URL.Path)
			f.mu.Unlock()
		}
		f.mu.Lock()
		rewrite := f.rewrite
		f.mu.Unlock()
		if rewrite == nil || !strings.HasPrefix(r.URL.Path, "/v2/") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		maps.Copy(w.Header(), rec.Header())
		body := rewrite(r.URL.Path, rec.Body.Bytes())
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	}))
	t.Cleanup(func() { f.srv.Close(); f.Close() })
	return f
}

func (f *doctorFake) env() map[string]string {
	return map[string]string{"ZOOM_ACCOUNT_ID": zoomtest.AccountID, "ZOOM_CLIENT_ID": zoomtest.ClientID, "ZOOM_CLIENT_SECRET": zoomtest.ClientSecret,
		"ZOOM_BASE_URL": f.srv.URL + "/v2", "ZOOM_TOKEN_URL": f.srv.URL + "/oauth/token", "ZOOM_PLAN": "business"}
}

// client is a client of the fake for a test's own setup.
func (f *doctorFake) client(t *testing.T) *zoomusers.Client {
	t.Helper()
	c, err := zoomusers.New(zoomusers.WithServerToServer(zoomtest.AccountID, zoomtest.ClientID, zoomtest.ClientSecret),
		zoomusers.WithBaseURL(f.srv.URL+"/v2"), zoomusers.WithTokenURL(f.srv.URL+"/oauth/token"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func runDoctor(t *testing.T, f *doctorFake, args ...string) (int, doctorReport, string) {
	t.Helper()
	code, out, errOut := cliEnv(t, f.env(), append([]string{"doctor", "-json"}, args...)...)
	var rep doctorReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("doctor -json (exit %d): %v\n%s%s", code, err, out, errOut)
	}
	return code, rep, errOut
}

// TestDoctorPlainFake: against the plain fake the doctor finds no difference and exits
// 0; it calls every GET operation of the spec and sends nothing else.
func TestDoctorPlainFake(t *testing.T) {
	f := newDoctorFake(t)
	code, rep, errOut := runDoctor(t, f, "-users", "2")
	if code != 0 || rep.Differences != 0 {
		t.Errorf("exit %d, %d differences: %+v %+v %+v %+v\n%s", code, rep.Differences, rep.Drifts, rep.Undeclared, rep.OutsideEnum, rep.Failures, errOut)
	}
	called := map[zoomusers.OperationID]bool{}
	for _, c := range rep.Calls {
		called[c.Operation] = true
	}
	skipped := map[zoomusers.OperationID]string{}
	for _, s := range rep.NotChecked {
		skipped[s.Operation] = s.Reason
	}
	for _, op := range zoomusers.Operations() {
		if op.Method() == http.MethodGet && !called[op] && skipped[op] == "" {
			t.Errorf("the doctor never called %s, and does not say why", op)
		}
	}
	// me under a Server-to-Server token means nothing Zoom documents: the ZAK of me is
	// not asked for, and the report says so (docs/library.md, "Authentication and me").
	if called[zoomusers.OpUserZak] || skipped[zoomusers.OpUserZak] != "not checked (needs a user-level token)" || len(skipped) != 1 {
		t.Errorf("userZak: called %v, not checked %q", called[zoomusers.OpUserZak], skipped)
	}
	f.mu.Lock()
	for _, m := range f.methods {
		if !strings.HasPrefix(m, "GET ") || strings.Contains(m, "/users/me/") {
			t.Errorf("the doctor sent %s", m)
		}
	}
	f.mu.Unlock()
	if rep.UsersSampled != 2 || rep.APIURL == "" || !slices.Contains(rep.GrantedScopes, "user:read:admin") {
		t.Errorf("sampled %d, api_url %q, scopes %q", rep.UsersSampled, rep.APIURL, rep.GrantedScopes)
	}
	// The human summary says so too.
	code, out, _ := cliEnv(t, f.env(), "doctor", "-users", "1")
	if code != 0 || !strings.Contains(out, "answers as the spec says") || !strings.Contains(out, "userZak  not checked (needs a user-level token)") {
		t.Errorf("summary (exit %d):\n%s", code, out)
	}
}

// TestDoctorFindsEveryWildDrift: every drift zoomtest.WithWildAnswers injects into a GET
// answer (wild.go, item by item) is in the report, and the exit status is 1. The wild
// uploadVBuser size is a POST's answer, which a read-only doctor never asks for.
func TestDoctorFindsEveryWildDrift(t *testing.T) {
	f := newDoctorFake(t, zoomtest.WithWildAnswers(), zoomtest.WithUsers(4))
	// Schedulers: the wild pmi is a string at odd positions, so one user needs two.
	c := f.client(t)
	ctx := context.Background()
	for _, boss := range []string{zoomtest.OwnerEmail, "u3@example.com"} {
		if _, err := c.User(boss).AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("u0@example.com")}); err != nil {
			t.Fatal(err)
		}
	}
	code, rep, _ := runDoctor(t, f, "-users", "3")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	type finding struct{ op, path, action string }
	var got []finding
	for _, d := range rep.Drifts {
		got = append(got, finding{string(d.Operation), d.Path, d.Action})
	}
	for _, k := range rep.Undeclared {
		got = append(got, finding{string(k.Operation), k.Path, "undeclared"})
	}
	want := []finding{
		{"user", "pmi", "coerced"},                                             // Get user: pmi a string
		{"user", "custom_attributes", "coerced"},                               // one object, not an array
		{"user", "status", "dropped"},                                          // status sent twice
		{"users", "users[1].pmi", "coerced"},                                   // list: pmi a string at odd positions
		{"users", "users[0].email", "dropped"},                                 // list: the first user's email twice
		{"users", "users[0].custom_attributes", "coerced"},                     // include_fields=custom_attributes: one object
		{"user", "wild_undocumented_field", "undeclared"},                      // Get user: a key the spec does not declare
		{"users", "users[0].wild_undocumented_field", "undeclared"},            // list: the same in every user
		{"userSettings", "in_meeting.wild_undocumented_setting", "undeclared"}, // settings: an undocumented key
		{"userSettings", "zoom_ai_companion", "undeclared"},                    // settings: an undocumented section
		{"userSettings", "schedule_meeting.host_video", "dropped"},             // host_video twice
		{"userSchedulers", "schedulers[1].pmi", "coerced"},                     // schedulers: pmi a string at odd positions
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("not found: %+v", w)
		}
	}
}

// TestDoctorCorpusScrubsPersonalData: the fake holds recognisable personal data; the
// files -corpus writes hold none of it (every byte of every file is searched for every
// seeded value), parse as JSON, and are named as test/testdata/corpus names its files.
func TestDoctorCorpusScrubsPersonalData(t *testing.T) {
	f := newDoctorFake(t)
	c := f.client(t)
	ctx := context.Background()
	email := "zebediah.quuxley@quuxcorp-private.example"
	created, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: email, Type: zoomusers.UserTypeLicensed, FirstName: zoomusers.Ptr("Zebediah"), LastName: zoomusers.Ptr("Quuxley")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.User(created.GetID()).Update(ctx, zoomusers.UserUpdate{
		JobTitle: zoomusers.Ptr("Chief Quuxologist"), Dept: zoomusers.Ptr("zebops"), Company: zoomusers.Ptr("Quuxcorp Holdings"),
		Location: zoomusers.Ptr("Vladivostok Annex"), PhoneNumbers: &[]zoomusers.PhoneNumber{{Code: zoomusers.Ptr("+1"), Country: zoomusers.Ptr("US"), Number: zoomusers.Ptr("80055501987")}}, PMI: zoomusers.Ptr(int64(8765432109)),
		VanityName: zoomusers.Ptr("zebediahroom"), CustomAttributes: &[]zoomusers.CustomAttribute{{Key: zoomusers.Ptr("cbf_badge"), Name: zoomusers.Ptr("Badge"), Value: zoomusers.Ptr("BADGE-424242")},
			{Key: zoomusers.Ptr("cbf_handle"), Name: zoomusers.Ptr("handle"), Value: zoomusers.Ptr("zeb_quux")}, {Key: zoomusers.Ptr("cbf_desk"), Name: zoomusers.Ptr("desk"), Value: zoomusers.Ptr("482913")}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	// Lower-case words and short digit strings too: they look like codes, and are not.
	seeded := []string{created.GetID(), email, "zebediah", "Zebediah", "Quuxley", "quuxcorp", "Quuxologist", "zebops", "Vladivostok", "zeb_quux", "482913", "cbf_handle",
		"80055501987", "8765432109", "zebediahroom", "BADGE-424242", "owner@example.com", "Olive", "u0@example.com", "User0"}
	var owner zoomusers.User
	if u, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); err == nil {
		owner = *u
		seeded = append(seeded, owner.GetID())
	}
	dir := t.TempDir()
	// Everyone's answers: the listing holds the owner, the seeded users and Zebediah.
	code, rep, errOut := runDoctor(t, f, "-users", "10", "-corpus", dir)
	if code != 0 {
		t.Fatalf("exit %d: %+v\n%s", code, rep.Failures, errOut)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) < 10 {
		t.Fatalf("%d files, %v", len(entries), err)
	}
	sawZebediah := false
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range seeded {
			if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(s))) {
				t.Errorf("%s holds the seeded value %q", e.Name(), s)
			}
		}
		if e.Name() == "NOTES.txt" {
			continue
		}
		parts := strings.Split(e.Name(), ".")
		if len(parts) < 3 || parts[0] != CorpusSource || !zoomusers.OperationID(parts[1]).Valid() || !json.Valid(b) {
			t.Errorf("%s: not a corpus file name, or not JSON", e.Name())
		}
		sawZebediah = sawZebediah || bytes.Contains(b, []byte(`"job_title"`))
	}
	if !sawZebediah {
		t.Error("no file holds a job_title: the seeded user was not read")
	}
	notes, _ := os.ReadFile(filepath.Join(dir, "NOTES.txt"))
	if !strings.Contains(string(notes), "account.user.json\tuser\tGET /users/{userId}") {
		t.Errorf("NOTES.txt:\n%s", notes)
	}
}

func TestDoctorUsage(t *testing.T) {
	f := newDoctorFake(t)
	for _, args := range [][]string{{"doctor", "-users", "0"}, {"doctor", "extra"}, {"doctor", "-nope"}} {
		if code, _, _ := cliEnv(t, f.env(), args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.methods) != 0 {
		t.Errorf("a usage error sent %v", f.methods)
	}
}

// TestDoctorSnapshotSeedsAFakeWithTheSameShapes: a capture the doctor wrote from the
// wild fake seeds, through zoomtest.WithSnapshot, a fake whose answers have the same
// shapes: the doctor reading it finds the same keys with the same JSON types, the same
// repeated keys, and so the same drift and undeclared keys. Lists whose contents are the
// fake's own state (assistants, schedulers, devices) are left out of the comparison.
func TestDoctorSnapshotSeedsAFakeWithTheSameShapes(t *testing.T) {
	wild := newDoctorFake(t, zoomtest.WithWildAnswers())
	first := t.TempDir()
	if code, rep, _ := runDoctor(t, wild, "-users", "3", "-corpus", first); code != 1 || len(rep.Drifts) == 0 {
		t.Fatalf("wild: exit %d, %d drifts", code, len(rep.Drifts))
	}
	snap := newDoctorFake(t, zoomtest.WithSnapshot(first), zoomtest.WithUsers(0))
	second := t.TempDir()
	code, rep, _ := runDoctor(t, snap, "-users", "4", "-corpus", second)
	if code != 1 {
		t.Errorf("snapshot fake: exit %d, want 1 (its drift is the capture's)", code)
	}
	if rep.UsersSampled != 4 {
		t.Errorf("snapshot fake listed %d users, want the owner and the 3 captured", rep.UsersSampled)
	}
	for _, op := range []string{"user", "users", "userSettings", "userPermission", "getUserPresenceStatus", "userSummary", "userToken"} {
		want, got := shapesOf(t, first, op), shapesOf(t, second, op)
		if len(want) == 0 {
			t.Errorf("%s: nothing captured", op)
		}
		for s := range want {
			if !got[s] {
				t.Errorf("%s: the snapshot fake's answers lack %s", op, s)
			}
		}
		for s := range got {
			if !want[s] {
				t.Errorf("%s: the snapshot fake's answers add %s", op, s)
			}
		}
	}
	if code, _, errOut := cliEnv(t, nil, "doctor", "-corpus", filepath.Join(first, "NOTES.txt", "x")); code != 2 {
		t.Errorf("-corpus on a file: exit %d: %s", code, errOut)
	}
}

// shapesOf lists the shapes of every captured answer of op in dir: each value's path
// (indices as []) with its JSON kind, and each key repeated within one object.
func shapesOf(t *testing.T, dir, op string) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, CorpusSource+"."+op+".*json"))
	out := map[string]bool{}
	for _, f := range files {
		if strings.Count(filepath.Base(f), ".") > 3 || strings.Split(filepath.Base(f), ".")[1] != op {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		walkShape(t, b, out)
	}
	return out
}

func walkShape(t *testing.T, b []byte, out map[string]bool) {
	t.Helper()
	var v jsonShape
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	v.collect("", out)
}

// jsonShape keeps an object's members in order, repeated ones included, which a map
// would lose.
type jsonShape struct {
	kind    byte
	members []struct {
		name  string
		value jsonShape
	}
	elems []jsonShape
}

func (s *jsonShape) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch b[0] {
	case '{':
		s.kind = '{'
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.Token()
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			var v jsonShape
			if err := v.UnmarshalJSON(raw); err != nil {
				return err
			}
			s.members = append(s.members, struct {
				name  string
				value jsonShape
			}{tok.(string), v})
		}
	case '[':
		s.kind = '['
		var raws []json.RawMessage
		if err := json.Unmarshal(b, &raws); err != nil {
			return err
		}
		for _, r := range raws {
			var v jsonShape
			if err := v.UnmarshalJSON(r); err != nil {
				return err
			}
			s.elems = append(s.elems, v)
		}
	case '"':
		s.kind = '"'
	case 't', 'f':
		s.kind = 'b'
	case 'n':
		s.kind = 'n'
	default:
		s.kind = '0'
	}
	return nil
}

func (s jsonShape) collect(path string, out map[string]bool) {
	out[path+" "+string(s.kind)] = true
	seen := map[string]bool{}
	for _, m := range s.members {
		p := strings.TrimPrefix(path+"."+m.name, ".")
		if seen[m.name] {
			out[p+" repeated"] = true
		}
		seen[m.name] = true
		m.value.collect(p, out)
	}
	for _, e := range s.elems {
		e.collect(path+"[]", out)
	}
}

// TestDoctorScrubbedReport: -json -scrub (and the summary, and any report beside
// -corpus, where -scrub is on by default) holds none of the account's personal values,
// though the same run without -scrub quotes them; the wild capture holds none either,
// and the findings stay (paths of declared fields, how many).
func TestDoctorScrubbedReport(t *testing.T) {
	f := newDoctorFake(t, zoomtest.WithWildAnswers(), zoomtest.WithUsers(3))
	c := f.client(t)
	var personal []string
	for u, err := range c.ListUsers(context.Background(), nil).All() {
		if err != nil {
			t.Fatal(err)
		}
		personal = append(personal, u.GetID(), u.GetEmail(), u.GetFirstName(), u.GetLastName())
	}
	personal = append(personal, "CC-", "example.com") // the wild custom attribute's value; every seeded email's domain
	leaks := func(what, out string) int {
		n := 0
		for _, p := range personal {
			if p != "" && strings.Contains(out, p) {
				t.Errorf("%s holds %q", what, p)
				n++
			}
		}
		return n
	}
	_, plain, _ := cliEnv(t, f.env(), "doctor", "-json", "-users", "3")
	leaked := 0
	for _, p := range personal {
		if p != "" && strings.Contains(plain, p) {
			leaked++
		}
	}
	if leaked == 0 {
		t.Fatal("the unscrubbed report quotes no personal value: the test proves nothing")
	}
	code, rep, _ := runDoctor(t, f, "-users", "3", "-scrub")
	out, _ := json.Marshal(rep)
	leaks("-json -scrub", string(out))
	if code != 1 || len(rep.Drifts) == 0 || len(rep.Undeclared) == 0 {
		t.Errorf("exit %d, %d drifts, %d undeclared: the findings are lost", code, len(rep.Drifts), len(rep.Undeclared))
	}
	if !slices.ContainsFunc(rep.Drifts, func(d doctorDrift) bool { return d.Operation == "user" && d.Path == "pmi" && d.Action == "coerced" }) {
		t.Errorf("the drift of a declared field lost its path: %+v", rep.Drifts)
	}
	dir := t.TempDir()
	_, summary, _ := cliEnv(t, f.env(), "doctor", "-users", "3", "-corpus", dir)
	leaks("the summary beside -corpus", summary)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		leaks(filepath.Base(name), string(b))
	}
}

// TestDoctorReportsRefusalsRatesAndEnums: scopes refused with Zoom's 4700 and 4711 are
// listed with the scopes the spec names and do not count as differences (they are about
// the app's grant, not the spec: exit 0 when nothing else differs); the rate-limit
// headers of an answer are listed; an enum value the spec does not list counts (exit 1).
func TestDoctorReportsRefusalsRatesAndEnums(t *testing.T) {
	f := newDoctorFake(t)
	for op, code := range map[zoomusers.OperationID]int{zoomusers.OpUserPermission: 4711, zoomusers.OpUserSchedulers: 4700} {
		if err := f.Inject(op, 1, zoomtest.Fault{Status: 400, Code: code, Message: "Invalid access token, does not contain scopes"}); err != nil {
			t.Fatal(err)
		}
	}
	code, rep, errOut := runDoctor(t, f, "-users", "1")
	if code != 0 || rep.Differences != 0 {
		t.Errorf("scope refusals alone: exit %d, %d differences, want 0: %s", code, rep.Differences, errOut)
	}
	got := map[zoomusers.OperationID]doctorRefusal{}
	for _, r := range rep.ScopeRefusals {
		got[r.Operation] = r
	}
	for op, want := range map[zoomusers.OperationID]int{zoomusers.OpUserPermission: 4711, zoomusers.OpUserSchedulers: 4700} {
		if r := got[op]; r.Code != want || len(r.Needs) == 0 || !slices.Equal(r.Needs, op.Scopes()) {
			t.Errorf("%s: refusal %+v, want code %d needing %q", op, r, want, op.Scopes())
		}
	}
	if len(got) != 2 {
		t.Errorf("scope refusals %+v, want 2", rep.ScopeRefusals)
	}
	if err := f.Inject(zoomusers.OpUserPermission, 1, zoomtest.Fault{Status: 400, Code: 4711}); err != nil {
		t.Fatal(err)
	}
	if code, summary, _ := cliEnv(t, f.env(), "doctor", "-users", "1"); code != 0 || !strings.Contains(summary, "Refused for missing scopes (not checked) (1):\n  userPermission  code 4711  needs one of: ") {
		t.Errorf("summary (exit %d):\n%s", code, summary)
	}

	// A daily cap's 429 carries the rate-limit headers; the call failed, which counts.
	if err := f.Inject(zoomusers.OpUserSummary, 1, zoomtest.Fault{DailyLimit: true}); err != nil {
		t.Fatal(err)
	}
	code, rep, _ = runDoctor(t, f, "-users", "1")
	if code != 1 || len(rep.RateLimits) != 1 || rep.RateLimits[0].Operation != zoomusers.OpUserSummary || rep.RateLimits[0].Type != "Daily-limit" || rep.RateLimits[0].Remaining != 0 {
		t.Errorf("exit %d, rate-limit headers %+v", code, rep.RateLimits)
	}

	// An enum value the spec does not list: Zoom answers a user of type 7.
	f.mu.Lock()
	f.rewrite = func(path string, body []byte) []byte {
		if strings.Count(path, "/") == 3 && strings.HasPrefix(path, "/v2/users/") && !strings.HasSuffix(path, "/summary") {
			return regexp.MustCompile(`"type":\s*[0-9]+`).ReplaceAll(body, []byte(`"type":7`))
		}
		return body
	}
	f.mu.Unlock()
	code, rep, _ = runDoctor(t, f, "-users", "1")
	if code != 1 || len(rep.OutsideEnum) != 1 || rep.OutsideEnum[0].Operation != zoomusers.OpUser || rep.OutsideEnum[0].Path != "type" || string(rep.OutsideEnum[0].Value) != "7" {
		t.Errorf("exit %d, enum values outside the spec %+v", code, rep.OutsideEnum)
	}
	// Scrubbed, the value stays: an enum's values are codes.
	if _, rep, _ = runDoctor(t, f, "-users", "1", "-scrub"); len(rep.OutsideEnum) != 1 || string(rep.OutsideEnum[0].Value) != "7" {
		t.Errorf("scrubbed: %+v", rep.OutsideEnum)
	}
}
