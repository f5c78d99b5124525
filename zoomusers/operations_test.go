package zoomusers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestEveryOperation calls each of the 35 methods once and checks that the request
// matches the spec's method and path for the operation the method says it calls.
func TestEveryOperation(t *testing.T) {
	var mu sync.Mutex
	type seen struct{ method, path, query string }
	var got []seen
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.Method, strings.TrimPrefix(r.URL.EscapedPath(), "/v2"), r.URL.RawQuery})
		mu.Unlock()
		switch {
		case r.Method == http.MethodGet:
			writeJSON(w, 200, map[string]any{"token": "t", "existed": true, "existed_email": true, "permissions": []string{"User:Read"}, "status": "Available", "type": 1})
		case r.Method == http.MethodPost:
			io.Copy(io.Discard, r.Body)
			writeJSON(w, 201, map[string]any{"id": "new"})
		default:
			w.WriteHeader(204)
		}
	})
	// Every call must also end exactly once for the hooks, whatever path its answer takes.
	var hooked hookLog
	c := f.client(WithHooks(hooked.hooks()))
	ctx := context.Background()
	u := c.User("jill@example.com")
	png := append(bytes.Clone(pngHeader), 1, 2, 3)
	calls := []struct {
		op   OperationID
		call func() error
	}{
		{"users", func() error {
			for _, err := range c.ListUsers(ctx, nil).Pages() {
				return err
			}
			return nil
		}},
		{"userCreate", func() error {
			_, err := c.CreateUser(ctx, CreateUserRequest{Action: CreateUserActionCreate, UserInfo: NewUser{Email: "n@example.com", Type: UserTypeBasic}})
			return err
		}},
		{"userEmail", func() error { _, err := c.EmailExists(ctx, "n@example.com"); return err }},
		{"bulkUpdateFeature", func() error {
			_, err := c.BulkUpdateFeature(ctx, BulkFeatureUpdate{FeatureType: "user_type", FeatureValue: "2", Users: []UserRef{{Email: Ptr("a@example.com")}}})
			return err
		}},
		{"userZak", func() error { _, err := c.Me().ZAK(ctx); return err }},
		{"userSummary", func() error { _, err := c.Summary(ctx); return err }},
		{"userVanityName", func() error { _, err := c.VanityNameExists(ctx, "jill"); return err }},
		{"user", func() error { _, err := u.Get(ctx, nil); return err }},
		{"userDelete", func() error { return u.Delete(ctx, nil) }},
		{"userUpdate", func() error { return u.Update(ctx, UserUpdate{FirstName: Ptr("Jill")}, nil) }},
		{"userAssistants", func() error { _, err := u.Assistants(ctx); return err }},
		{"userAssistantCreate", func() error { _, err := u.AddAssistants(ctx, Assistant{Email: Ptr("a@example.com")}); return err }},
		{"userAssistantsDelete", func() error { return u.DeleteAssistants(ctx) }},
		{"userAssistantDelete", func() error { return u.DeleteAssistant(ctx, "a1") }},
		{"listCollaborationDevices", func() error { _, err := u.CollaborationDevices(ctx); return err }},
		{"getCollaborationDevice", func() error { _, err := u.CollaborationDevice(ctx, "d1"); return err }},
		{"userEmailUpdate", func() error { return u.UpdateEmail(ctx, "new@example.com") }},
		{"getUserMeetingTemplates", func() error { _, err := u.MeetingTemplate(ctx, "t1"); return err }},
		{"userPassword", func() error { return u.SetPassword(ctx, "Secr3tPassw0rd") }},
		{"userPermission", func() error { _, err := u.Permissions(ctx); return err }},
		{"userPicture", func() error { return u.UploadPicture(ctx, "me.png", bytes.NewReader(png)) }},
		{"userPictureDelete", func() error { return u.DeletePicture(ctx) }},
		{"getUserPresenceStatus", func() error { _, err := u.PresenceStatus(ctx); return err }},
		{"updatePresenceStatus", func() error {
			return u.SetPresenceStatus(ctx, PresenceStatusUpdate{Status: "Do_Not_Disturb", Duration: Ptr(30)})
		}},
		{"userSchedulers", func() error { _, err := u.Schedulers(ctx); return err }},
		{"userSchedulersDelete", func() error { return u.DeleteSchedulers(ctx) }},
		{"userSchedulerDelete", func() error { return u.DeleteScheduler(ctx, "s1") }},
		{"userSettings", func() error { _, err := u.Settings(ctx, nil); return err }},
		{"userSettingsUpdate", func() error { return u.UpdateSettings(ctx, SettingsChange{}) }},
		{"uploadVBuser", func() error { _, err := u.UploadVirtualBackground(ctx, "bg.png", bytes.NewReader(png)); return err }},
		{"delUserVB", func() error { return u.DeleteVirtualBackgrounds(ctx, "f1", "f2") }},
		{"userStatus", func() error { return u.SetStatus(ctx, UserStatusActionDeactivate) }},
		{"userToken", func() error { _, err := u.Token(ctx, nil); return err }},
		{"userSSOTokenDelete", func() error { return u.RevokeSSOToken(ctx) }},
		{"switchUserAccount", func() error { return u.SwitchAccount(ctx, "from-acct", "to-acct") }},
	}
	if len(calls) != len(operations) || len(operations) != 35 {
		t.Fatalf("%d calls for %d operations, want 35", len(calls), len(operations))
	}
	for i, tc := range calls {
		hooked.mu.Lock()
		hooked.calls = nil
		hooked.mu.Unlock()
		if err := tc.call(); err != nil {
			t.Errorf("%s: %v", tc.op, err)
			continue
		}
		if len(hooked.calls) != 1 || hooked.calls[0].Operation != tc.op || hooked.calls[0].Err != nil {
			t.Errorf("%s ended %d calls for the hooks: %+v", tc.op, len(hooked.calls), hooked.calls)
		}
		op, ok := operations[tc.op]
		if !ok {
			t.Errorf("%s is not an operation of the spec", tc.op)
			continue
		}
		mu.Lock()
		last := got[len(got)-1]
		mu.Unlock()
		if len(got) != i+1 {
			t.Fatalf("%s sent %d requests", tc.op, len(got)-i)
		}
		pattern := "^" + regexp.MustCompile(`\\\{[A-Za-z]+\\\}`).ReplaceAllString(regexp.QuoteMeta(op.Path), `[^/]+`) + "$"
		if last.method != op.Method || !regexp.MustCompile(pattern).MatchString(last.path) {
			t.Errorf("%s sent %s %s, spec says %s %s", tc.op, last.method, last.path, op.Method, op.Path)
		}
	}
}

func TestSettingsVariantsSendTheirOption(t *testing.T) {
	var gotOption string
	var gotBody map[string]any
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		gotOption = r.URL.Query().Get("option")
		gotBody = nil
		if r.Method == http.MethodPatch {
			json.NewDecoder(r.Body).Decode(&gotBody)
			w.WriteHeader(204)
			return
		}
		switch gotOption {
		case "meeting_authentication":
			writeJSON(w, 200, map[string]any{"meeting_authentication": true, "authentication_options": []any{map[string]any{"id": "o1", "type": "enforce_login"}}})
		case "recording_authentication":
			writeJSON(w, 200, map[string]any{"recording_authentication": false})
		case "meeting_security":
			writeJSON(w, 200, map[string]any{"meeting_security": map[string]any{"waiting_room": true}})
		default:
			writeJSON(w, 200, map[string]any{"schedule_meeting": map[string]any{"host_video": true}})
		}
	})
	u := f.client().User("u1")
	ctx := context.Background()

	full, err := u.Settings(ctx, &SettingsParams{CustomQueryFields: "host_video"})
	if err != nil || gotOption != "" || full.ScheduleMeeting == nil || !*full.ScheduleMeeting.HostVideo {
		t.Errorf("Settings: %+v, option %q, %v", full, gotOption, err)
	}
	if full.InMeeting != nil {
		t.Error("an absent section must stay nil, not read as false")
	}
	ma, err := u.MeetingAuthentication(ctx)
	if err != nil || gotOption != "meeting_authentication" || !ma.MeetingAuthentication || len(*ma.AuthenticationOptions) != 1 {
		t.Errorf("MeetingAuthentication: %+v, option %q, %v", ma, gotOption, err)
	}
	ra, err := u.RecordingAuthentication(ctx)
	if err != nil || gotOption != "recording_authentication" || ra.RecordingAuthentication {
		t.Errorf("RecordingAuthentication: %+v, option %q, %v", ra, gotOption, err)
	}
	ms, err := u.MeetingSecurity(ctx)
	if err != nil || gotOption != "meeting_security" || !*ms.MeetingSecurity.WaitingRoom {
		t.Errorf("MeetingSecurity: %+v, option %q, %v", ms, gotOption, err)
	}

	updates := []struct {
		option, key string
		call        func() error
	}{
		{"", "schedule_meeting", func() error {
			return u.UpdateSettings(ctx, SettingsChange{ScheduleMeeting: &UserSettingsScheduleMeetingChange{HostVideo: Ptr(false)}})
		}},
		{"meeting_authentication", "meeting_authentication", func() error {
			return u.UpdateMeetingAuthentication(ctx, MeetingAuthUpdate{MeetingAuthentication: Ptr(true)})
		}},
		{"recording_authentication", "recording_authentication", func() error {
			return u.UpdateRecordingAuthentication(ctx, RecordingAuthUpdate{RecordingAuthentication: Ptr(true)})
		}},
		{"meeting_security", "meeting_security", func() error {
			return u.UpdateMeetingSecurity(ctx, MeetingSecuritySettings{MeetingSecurity: MeetingSecurity{WaitingRoom: Ptr(true)}})
		}},
	}
	for _, up := range updates {
		if err := up.call(); err != nil {
			t.Fatalf("update %q: %v", up.option, err)
		}
		if gotOption != up.option || gotBody[up.key] == nil || len(gotBody) != 1 {
			t.Errorf("update %q sent option %q body %v", up.option, gotOption, gotBody)
		}
	}
}

func TestLoggerAndUserAgent(t *testing.T) {
	var ua string
	f := newFakeZoom(t, failThen(1, status(503), func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		okUser(w, r)
	}))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := f.client(WithLogger(logger), WithUserAgent("provisioner/2.1"))
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if ua != "provisioner/2.1 go-zoomusers/"+Version {
		t.Errorf("User-Agent = %q", ua)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("logged %d lines, want one per attempt:\n%s", len(lines), logs.String())
	}
	var first, second map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first["status"] != 503.0 || second["status"] != 200.0 || first["attempt"] != 1.0 || second["attempt"] != 2.0 ||
		second["method"] != "GET" || second["path"] != "/v2/users/u1" || second["tracking_id"] != "trk-2" ||
		second["operation"] != "user" || second["duration"] == nil || second["level"] != "DEBUG" {
		t.Errorf("log lines lack fields:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "tok-1") || strings.Contains(logs.String(), testSecret) || strings.Contains(logs.String(), "Bearer") {
		t.Errorf("a credential was logged:\n%s", logs.String())
	}
}

// TestOperationTableMatchesSpec proves that the generated operation table (and so the
// pacing labels) agrees with api/openapi.yaml for all 35 operations.
func TestOperationTableMatchesSpec(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			n++
			got, ok := operations[OperationID(op.OperationID)]
			for _, s := range (*op.Security)[0]["ServerToServerOAuth"] {
				if !slices.Contains(got.Scopes, s) {
					t.Errorf("operations[%q].Scopes = %q lacks %s", op.OperationID, got.Scopes, s)
				}
			}
			got.Scopes = nil
			want := operation{ID: OperationID(op.OperationID), Method: method, Path: path, Label: RateLimitLabel(op.Extensions["x-rate-limit-label"].(string))}
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("operations[%q] = %+v, spec says %+v", op.OperationID, got, want)
			}
		}
	}
	if n != 35 || len(operations) != 35 {
		t.Errorf("spec has %d operations, table %d; want 35", n, len(operations))
	}
}

// The pacer lets a burst's requests go no faster than the plan's limit. The times are taken
// as each request is let go, not as it arrives: on a loaded machine the way from client to
// server adds delays of its own, which the 3% spread (BenchmarkPacedThroughput) absorbs in
// practice but no test can bound.
func TestPacingKeepsABurstUnderThePlanLimit(t *testing.T) {
	var mu sync.Mutex
	var stamps []time.Time
	f := newFakeZoom(t, okUser)
	// Free plan, Light label: 4 requests a second for the whole account.
	local := NewLocalLimiter()
	c := f.client(WithPacing(PlanFree, 1), WithLimiter(limiterFunc(func(ctx context.Context, key string, every time.Duration) error {
		err := local.Wait(ctx, key, every)
		mu.Lock()
		stamps = append(stamps, time.Now())
		mu.Unlock()
		return err
	})))
	var wg sync.WaitGroup
	for range 9 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	for i := range stamps {
		inWindow := 0
		for _, s := range stamps[i:] {
			if s.Sub(stamps[i]) < time.Second {
				inWindow++
			}
		}
		if inWindow > 4 {
			t.Fatalf("%d requests within one second of request %d; the Free Light limit is 4", inWindow, i)
		}
	}
}

// limiterFunc is a Limiter from a function.
type limiterFunc func(ctx context.Context, key string, every time.Duration) error

func (f limiterFunc) Wait(ctx context.Context, key string, every time.Duration) error {
	return f(ctx, key, every)
}

func TestPlanRateLimits(t *testing.T) {
	tests := []struct {
		plan  Plan
		label RateLimitLabel
		per   float64 // requests per second
	}{
		{PlanFree, LabelLight, 4}, {PlanPro, LabelLight, 30}, {PlanBusiness, LabelLight, 80},
		{PlanFree, LabelMedium, 2}, {PlanPro, LabelMedium, 20}, {PlanBusiness, LabelMedium, 60},
		{PlanFree, LabelHeavy, 1}, {PlanPro, LabelHeavy, 10}, {PlanBusiness, LabelHeavy, 40},
		{PlanFree, LabelResourceIntensive, 10.0 / 60}, {PlanBusiness, LabelResourceIntensive, 20.0 / 60},
	}
	for _, tt := range tests {
		if got := float64(tt.plan.RateLimit(tt.label)); got != tt.per {
			t.Errorf("%v %s = %v/s, want %v/s", tt.plan, tt.label, got, tt.per)
		}
	}
}
