package zoomtest_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func TestSettingsReadBackWhatWasWritten(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(2), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	u := c.User("u0@example.com")
	if err := u.UpdateSettings(ctx, zoomusers.SettingsChange{ScheduleMeeting: &zoomusers.UserSettingsScheduleMeetingChange{HostVideo: zoomusers.Ptr(true)}}); err != nil {
		t.Fatal(err)
	}
	if err := u.UpdateMeetingSecurity(ctx, zoomusers.MeetingSecuritySettings{MeetingSecurity: zoomusers.MeetingSecurity{WaitingRoom: zoomusers.Ptr(false)}}); err != nil {
		t.Fatal(err)
	}
	mine, err := u.Settings(ctx, nil)
	if err != nil || !*mine.ScheduleMeeting.HostVideo {
		t.Errorf("settings after a write: %+v, %v", mine.ScheduleMeeting, err)
	}
	sec, err := u.MeetingSecurity(ctx)
	if err != nil || *sec.MeetingSecurity.WaitingRoom {
		t.Errorf("meeting security after a write: %+v, %v", sec, err)
	}
	other, err := c.User("u1@example.com").Settings(ctx, nil)
	if err != nil || *other.ScheduleMeeting.HostVideo {
		t.Errorf("another user's settings: %+v, %v", other.ScheduleMeeting, err)
	}
}

// The full settings hold the sections, not the variants that option selects; and
// custom_query_fields keeps only the named settings.
func TestSettingsShapes(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	keys := func(query string) []string {
		a := call(t, srv, "GET", "/users/u0@example.com/settings"+query, "", nil)
		var m map[string]map[string]any
		decodeJSON(t, a.body, &m)
		var out []string
		for section, fields := range m {
			for field := range fields {
				out = append(out, section+"."+field)
			}
		}
		slices.Sort(out)
		return out
	}
	full := keys("")
	for _, k := range full {
		for _, variant := range []string{"meeting_authentication.", "recording_authentication.", "meeting_security."} {
			if len(k) > len(variant) && k[:len(variant)] == variant {
				t.Errorf("the full settings hold the variant setting %s", k)
			}
		}
	}
	if !slices.Contains(full, "in_meeting.chat") || !slices.Contains(full, "schedule_meeting.host_video") {
		t.Errorf("full settings: %v", full)
	}
	if got := keys("?custom_query_fields=host_video,chat"); !slices.Equal(got, []string{"in_meeting.chat", "schedule_meeting.host_video"}) {
		t.Errorf("custom_query_fields=host_video,chat: %v", got)
	}
	if got := keys("?option=meeting_security"); !slices.Equal(got, []string{"meeting_security.embed_password_in_join_link", "meeting_security.encryption_type", "meeting_security.waiting_room"}) {
		t.Errorf("option=meeting_security: %v", got)
	}
}

// TestUnknownSettingsKeyIgnored: Zoom answers 204 to a settings key it does not know and
// changes nothing (ZOOM_FACTS.md "Zoom keeps moving"); only the read-back tells.
func TestUnknownSettingsKeyIgnored(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	raw := []byte(`{"schedule_meeting": {"host_video": true, "host_vidoe": true}, "no_such_section": {"x": 1}, "meeting_security": {"waiting_room": false}}`)
	a := call(t, srv, http.MethodPatch, "/users/u0@example.com/settings", "application/json", raw)
	if a.status != http.StatusNoContent {
		t.Fatalf("PATCH with unknown keys: %d %s, want 204", a.status, a.body)
	}
	st, _ := srv.UserState("u0@example.com")
	if v, _ := st.Setting("schedule_meeting", "host_video"); v != true {
		t.Errorf("the known key was not applied: host_video %v", v)
	}
	for _, path := range [][]string{{"schedule_meeting", "host_vidoe"}, {"no_such_section"}} {
		if v, ok := st.Setting(path...); ok {
			t.Errorf("unknown key %v was applied: %v", path, v)
		}
	}
	if v, _ := st.Setting("meeting_security", "meeting_security", "waiting_room"); v != true {
		t.Errorf("meeting_security without option changed the variant: waiting_room %v", v)
	}
}

// The fake applies a change in the write model: sections that differ from the read
// model's (feature, in_meeting, telephony) read back changed; the keys Zoom takes and
// never answers are held and, as Zoom does, not answered.
func TestSettingsWriteModelChange(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	u := c.User("u0@example.com")
	err := u.UpdateSettings(ctx, zoomusers.SettingsChange{
		Feature: &zoomusers.UserSettingsFeatureChange{MeetingCapacity: zoomusers.Ptr(300)},
		InMeeting: &zoomusers.UserSettingsInMeetingChange{
			LanguageInterpretation: &zoomusers.LanguageInterpretationChange{Enable: zoomusers.Ptr(true)},
			AutoAnswer:             zoomusers.Ptr(true),
		},
		Telephony:       &zoomusers.UserSettingsTelephonyChange{TelephonyRegions: &zoomusers.TelephonyRegionsChange{SelectionValues: zoomusers.Ptr("US")}},
		EnforceFipsMode: zoomusers.Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := u.Settings(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.GetFeature().GetMeetingCapacity() != 300 || !s.GetInMeeting().GetLanguageInterpretation().GetEnable() ||
		s.GetTelephony().GetTelephonyRegions().GetSelectionValues() != "US" {
		t.Errorf("settings after the change: feature %+v, in_meeting.language_interpretation %+v, telephony %+v", s.Feature, s.GetInMeeting().LanguageInterpretation, s.Telephony)
	}
	if !s.GetInMeeting().GetChat() {
		t.Error("in_meeting.chat, not in the change, was changed")
	}
	st, _ := srv.UserState("u0@example.com")
	if v, ok := st.Setting("in_meeting", "auto_answer"); !ok || v != true {
		t.Errorf("the fake holds in_meeting.auto_answer = %v (%v), want true", v, ok)
	}
	a := call(t, srv, "GET", "/users/u0@example.com/settings", "", nil)
	var raw map[string]map[string]any
	decodeJSON(t, a.body, &raw)
	if _, ok := raw["in_meeting"]["auto_answer"]; ok {
		t.Error("the answer shows in_meeting.auto_answer, which Zoom never answers")
	}
	if _, ok := raw["enforce_fips_mode"]; ok {
		t.Error("the answer shows enforce_fips_mode, which Zoom never answers")
	}
}
