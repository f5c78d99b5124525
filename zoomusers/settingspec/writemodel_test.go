package settingspec_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/settingspec"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// readOnlyPaths are settings Zoom answers and its PATCH does not take (Zoom's 2025 spec:
// in the GET answer, not in the PATCH body; ZOOM_FACTS.md "Zoom keeps moving" and the
// Users changelog for the later ones), whole sections among them.
var readOnlyPaths = []string{
	"toll_call",
	"personal_audio_conference",
	"whiteboard",
	"whiteboard.in_meeting_advanced_whiteboard",
	"feature.cn_meeting",
	"in_meeting.ai_companion_questions.enable",
	"in_meeting.language_interpretation.languages",
	"schedule_meeting.continuous_meeting_chat.enable",
	"telephony.telephony_regions.allowed_values",
	"general_setting",
	"general_setting.any_key_under_it",
	"webinar_summary_with_ai_companion",
}

// A read-only setting is refused by name, as read only rather than unknown, by Lookup,
// Check and CheckWith (even with AllowUnknown, which sends keys newer than the spec), and
// Apply refuses it before any request.
func TestReadOnlySettingsAreRefused(t *testing.T) {
	for _, path := range readOnlyPaths {
		_, err := settingspec.Lookup(path)
		var ro *settingspec.ReadOnlyError
		if !errors.As(err, &ro) || ro.Path != path || !strings.Contains(err.Error(), "read only") {
			t.Errorf("Lookup(%q) = %v, want a ReadOnlyError naming it", path, err)
		}
		if _, err := settingspec.CheckWith(map[string]any{path: true}, settingspec.Options{AllowUnknown: true}); !errors.As(err, &ro) {
			t.Errorf("CheckWith(%q, AllowUnknown) = %v, want a ReadOnlyError", path, err)
		}
	}
	// Sections that mix settable and read-only settings, and keys no shape has, are not read only.
	for _, path := range []string{"in_meeting", "feature", "in_meeting.no_such_key", "whiteboardx"} {
		var ro *settingspec.ReadOnlyError
		if _, err := settingspec.Lookup(path); errors.As(err, &ro) {
			t.Errorf("Lookup(%q) = %v, want no ReadOnlyError", path, err)
		}
	}

	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	err = settingspec.Apply(context.Background(), c.User("u0@example.com"), settingspec.Values{
		"schedule_meeting.host_video": true, "whiteboard.in_meeting_advanced_whiteboard": true})
	var ro *settingspec.ReadOnlyError
	if !errors.As(err, &ro) || srv.Requests(zoomusers.OpUserSettingsUpdate) != 0 {
		t.Errorf("Apply with a read-only key: %v after %d requests, want a ReadOnlyError before any", err, srv.Requests(zoomusers.OpUserSettingsUpdate))
	}
}

// recorder keeps the bodies of the settings PATCH requests a client sends.
type recorder struct {
	mu     sync.Mutex
	bodies []map[string]any
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPatch && strings.HasSuffix(req.URL.Path, "/settings") {
		raw, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.bodies = append(r.bodies, body)
		r.mu.Unlock()
		req.Body = io.NopCloser(strings.NewReader(string(raw)))
	}
	return http.DefaultTransport.RoundTrip(req)
}

// A write-only setting (Zoom takes it, never answers it) is settable, marked WriteOnly,
// and sent in the PATCH body; the fake holds it and, as Zoom, does not answer it.
func TestWriteOnlySettingsAreSent(t *testing.T) {
	for _, path := range []string{"enforce_fips_mode", "support_participants_receive_summary", "in_meeting.auto_answer"} {
		f, err := settingspec.Lookup(path)
		if err != nil || !f.WriteOnly || f.Kind != settingspec.Bool {
			t.Errorf("Lookup(%q) = %+v, %v; want a settable, write-only boolean", path, f, err)
		}
	}
	if f, _ := settingspec.Lookup("schedule_meeting.host_video"); f.WriteOnly {
		t.Error("host_video is marked write only; Zoom answers it")
	}

	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	rec := &recorder{}
	c, err := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithHTTPClient(&http.Client{Transport: rec}))...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u := c.User("u0@example.com")
	if err := settingspec.Apply(ctx, u, settingspec.Values{"enforce_fips_mode": true, "in_meeting.auto_answer": true}); err != nil {
		t.Fatal(err)
	}
	if len(rec.bodies) != 1 {
		t.Fatalf("%d settings PATCH requests, want 1", len(rec.bodies))
	}
	in, _ := rec.bodies[0]["in_meeting"].(map[string]any)
	if rec.bodies[0]["enforce_fips_mode"] != true || in["auto_answer"] != true {
		t.Errorf("PATCH body %v, want enforce_fips_mode and in_meeting.auto_answer true", rec.bodies[0])
	}
	st, _ := srv.UserState("u0@example.com")
	if v, ok := st.Setting("enforce_fips_mode"); !ok || v != true {
		t.Errorf("the fake holds enforce_fips_mode = %v (%v), want true", v, ok)
	}
	got, err := settingspec.Read(ctx, u, []string{"in_meeting.auto_answer", "enforce_fips_mode"})
	if err != nil || len(got) != 0 {
		t.Errorf("write-only settings read back as %v, %v; Zoom does not answer them", got, err)
	}
}

// The settable settings of the full settings are the fields of the write model the
// client sends (zoomusers.SettingsChange), and the read model's answered-only fields are
// not among them.
func TestSettableSettingsAreTheWriteModel(t *testing.T) {
	write := reflect.TypeFor[zoomusers.SettingsChange]()
	for _, f := range settingspec.Fields() {
		if f.Option != "" {
			continue
		}
		if !hasJSONPath(write, f.Path) {
			t.Errorf("%s is settable but SettingsChange has no such field", f.Path)
		}
	}
	for _, path := range readOnlyPaths {
		if hasJSONPath(write, path) {
			t.Errorf("SettingsChange has %s, which Zoom only answers", path)
		}
	}
}

// hasJSONPath reports whether the struct type t has the dotted JSON path.
func hasJSONPath(t reflect.Type, path string) bool {
	for _, key := range strings.Split(path, ".") {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		found := false
		for i := range t.NumField() {
			if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name == key {
				t, found = t.Field(i).Type, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Settings Zoom's changelog added without a type (global_dial_in_countries,
// developers.zoom.us/changelog/users/november-17-2025) take any JSON value, and text that
// is not JSON as a string; the audio_conferencing section, which PATCH takes since that
// page, is settable with its declared types.
func TestUntypedAndNewlyWritableSettings(t *testing.T) {
	f, err := settingspec.Lookup("global_dial_in_countries")
	if err != nil || f.Kind != settingspec.Any {
		t.Fatalf("Lookup(global_dial_in_countries) = %+v, %v; want Kind Any", f, err)
	}
	for text, want := range map[string]any{
		`["US","FR"]`: []any{"US", "FR"},
		`{"a":1}`:     map[string]any{"a": float64(1)},
		`true`:        true,
		`US`:          "US",
	} {
		got, err := f.Parse(text)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%q) = %#v, %v; want %#v", text, got, err, want)
		}
	}
	if got, err := f.Check([]string{"US"}); err != nil || !reflect.DeepEqual(got, []any{"US"}) {
		t.Errorf("Check([]string{US}) = %#v, %v; want it as JSON decodes it", got, err)
	}
	if _, err := f.Check(func() {}); err == nil {
		t.Error("Check(a func): no error, want a ValueError (not JSON)")
	}
	if !f.Equal([]any{"US"}, []string{"US"}) {
		t.Error("an answered list and the same list given in Go are not Equal")
	}

	f, err = settingspec.Lookup("audio_conferencing.toll_free_and_fee_based_toll_call.enable")
	if err != nil || f.Kind != settingspec.Bool {
		t.Errorf("Lookup(audio_conferencing...enable) = %+v, %v; want a settable boolean", f, err)
	}
}
