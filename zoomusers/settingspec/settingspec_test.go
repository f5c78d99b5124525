package settingspec_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/settingspec"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func TestLookupRefusesUnknownKeysAndSuggests(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"schedule_meeting.no_such_key", `unknown setting "schedule_meeting.no_such_key"`},
		{"schedule_meeting.host_vidoe", "did you mean schedule_meeting.host_video"},
		{"bogus.host_video", `no section "bogus"`},
		{"schedule_meeting", "unknown setting"}, // a section is not a setting
	} {
		_, err := settingspec.Lookup(tc.path)
		var ue *settingspec.UnknownError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Lookup(%q) = %v, want an UnknownError containing %q", tc.path, err, tc.want)
		}
	}
	if f, err := settingspec.Lookup("schedule_meeting.host_video"); err != nil || f.Kind != settingspec.Bool || f.Option != "" {
		t.Errorf("host_video: %+v, %v", f, err)
	}
	if f, err := settingspec.Lookup("meeting_security.waiting_room"); err != nil || f.Option != "meeting_security" {
		t.Errorf("meeting_security.waiting_room: %+v, %v", f, err)
	}
}

func TestParseChecksTypesFromTheSpec(t *testing.T) {
	for _, tc := range []struct {
		path, text string
		want       any
		err        string
	}{
		{"schedule_meeting.host_video", "true", true, ""},
		{"schedule_meeting.host_video", "maybe", nil, "takes true or false, not \"maybe\""},
		{"in_meeting.who_can_share_screen", "all", "all", ""},
		{"in_meeting.who_can_share_screen", "everyone", nil, "takes one of host, all"},
		{"recording.auto_delete_cmr_days", "60", int64(60), ""},
		{"recording.auto_delete_cmr_days", "61", nil, "one of 30, 60, 90, 120"},
		{"feature.meeting_capacity", "1.5", nil, "takes an integer"},
		{"feature.meeting_capacity", "300", int64(300), ""},
		{"tsp.call_out_countries", "US, GB", []any{"US", "GB"}, ""},
		{"tsp.call_out_countries", `["US"]`, []any{"US"}, ""},
		{"feature.zoom_events_unlimited_capacities", "1,x", nil, "list (comma-separated or a JSON array) of integers"},
	} {
		f, err := settingspec.Lookup(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Parse(tc.text)
		if tc.err != "" {
			var ve *settingspec.ValueError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("%s=%s: %v, want a ValueError naming the key and %q", tc.path, tc.text, err, tc.err)
			}
			continue
		}
		if err != nil || !f.Equal(got, tc.want) {
			t.Errorf("%s=%s: %#v, %v; want %#v", tc.path, tc.text, got, err, tc.want)
		}
	}
}

func TestFieldsCoverTheSpec(t *testing.T) {
	fs := settingspec.Fields()
	if len(fs) < 200 {
		t.Fatalf("%d fields; the spec declares over 200 settable settings", len(fs))
	}
	sections := settingspec.Sections()
	for _, want := range []string{"email_notification", "feature", "in_meeting", "meeting_security", "profile", "recording", "schedule_meeting", "telephony", "tsp"} {
		found := false
		for _, s := range sections {
			found = found || s == want
		}
		if !found {
			t.Errorf("no section %s in %v", want, sections)
		}
	}
}

func TestApplyAndReadAgainstTheFake(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1))
	defer srv.Close()
	srv.SeedUsers("ada@example.com")
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u := c.User("ada@example.com")
	values := settingspec.Values{"schedule_meeting.host_video": true, "in_meeting.who_can_share_screen": "all", "meeting_security.waiting_room": false}
	if err := settingspec.Apply(ctx, u, values); err != nil {
		t.Fatal(err)
	}
	st, _ := srv.UserState("ada@example.com")
	for _, want := range []struct {
		path []string
		v    any
	}{{[]string{"schedule_meeting", "host_video"}, true}, {[]string{"in_meeting", "who_can_share_screen"}, "all"}, {[]string{"meeting_security", "meeting_security", "waiting_room"}, false}} {
		if got, ok := st.Setting(want.path...); !ok || got != want.v {
			t.Errorf("fake holds %v = %v (%v), want %v", want.path, got, ok, want.v)
		}
	}
	got, err := settingspec.Read(ctx, u, []string{"schedule_meeting.host_video", "in_meeting.who_can_share_screen", "meeting_security.waiting_room", "schedule_meeting.pmi_password"})
	if err != nil {
		t.Fatal(err)
	}
	for path, v := range values {
		f, _ := settingspec.Lookup(path)
		if !f.Equal(got[path], v) {
			t.Errorf("Read %s = %v, want %v", path, got[path], v)
		}
	}
	if _, ok := got["schedule_meeting.pmi_password"]; ok {
		t.Errorf("a setting Zoom did not answer reads as present: %v", got)
	}
	before := srv.Requests(zoomusers.OpUserSettingsUpdate)
	err = settingspec.Apply(ctx, u, settingspec.Values{"schedule_meeting.host_video": "yes"})
	var ve *settingspec.ValueError
	if !errors.As(err, &ve) || srv.Requests(zoomusers.OpUserSettingsUpdate) != before {
		t.Errorf("a wrong value: %v, %d requests; want a ValueError before any request", err, srv.Requests(zoomusers.OpUserSettingsUpdate)-before)
	}
}
