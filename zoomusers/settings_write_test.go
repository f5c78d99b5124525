package zoomusers

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// jsonKeys returns the JSON names of a struct type's fields.
func jsonKeys(t reflect.Type) map[string]reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out[name] = t.Field(i).Type
	}
	return out
}

// UpdateSettings takes the write model: it has no field for what Zoom only answers, so a
// read answer (UserSettings) cannot be passed back, and it has the keys Zoom takes but
// never answers, which the read model lacks (Zoom's 2025 spec and ZOOM_FACTS.md "Zoom
// keeps moving", 2026-11-19).
func TestUpdateSettingsTakesTheWriteModel(t *testing.T) {
	method, ok := reflect.TypeFor[*UserHandle]().MethodByName("UpdateSettings")
	if !ok || method.Type.In(2) != reflect.TypeFor[SettingsChange]() {
		t.Fatalf("UpdateSettings takes %v, want SettingsChange", method.Type.In(2))
	}
	write, read := jsonKeys(reflect.TypeFor[SettingsChange]()), jsonKeys(reflect.TypeFor[UserSettings]())
	for _, key := range []string{"toll_call", "whiteboard", "general_setting", "sensitive_label", "ai_model_type"} {
		if _, ok := write[key]; ok {
			t.Errorf("SettingsChange has %s, which Zoom only answers", key)
		}
		if _, ok := read[key]; !ok {
			t.Errorf("UserSettings lacks %s, which Zoom answers", key)
		}
	}
	// Both since Zoom's PATCH took them (developers.zoom.us/changelog/users/november-17-2025).
	for _, key := range []string{"audio_conferencing", "global_dial_in_countries"} {
		if _, ok := write[key]; !ok {
			t.Errorf("SettingsChange lacks %s, which Zoom takes", key)
		}
		if _, ok := read[key]; !ok {
			t.Errorf("UserSettings lacks %s, which Zoom answers", key)
		}
	}
	for _, key := range []string{"enforce_fips_mode", "support_participants_receive_summary"} {
		if _, ok := write[key]; !ok {
			t.Errorf("SettingsChange lacks %s, which Zoom takes", key)
		}
		if _, ok := read[key]; ok {
			t.Errorf("UserSettings has %s, which Zoom never answers", key)
		}
	}
	inWrite, inRead := jsonKeys(write["in_meeting"]), jsonKeys(read["in_meeting"])
	if _, ok := inWrite["auto_answer"]; !ok {
		t.Error("SettingsChange.InMeeting lacks auto_answer")
	}
	if _, ok := inRead["auto_answer"]; ok {
		t.Error("UserSettings.InMeeting has auto_answer, which Zoom never answers")
	}
	for _, key := range []string{"ai_companion_questions", "meeting_summary_with_ai_companion", "transfer_meetings_between_devices", "unchecked_data_center_regions"} {
		if _, ok := inWrite[key]; ok {
			t.Errorf("SettingsChange.InMeeting has %s, which Zoom only answers", key)
		}
	}
	if _, ok := jsonKeys(write["feature"])["cn_meeting"]; ok {
		t.Error("SettingsChange.Feature has cn_meeting, which Zoom only answers")
	}
}

// UpdateSettings sends what the caller set, write-only keys included, and nothing else.
func TestUpdateSettingsSendsOnlyWhatWasSet(t *testing.T) {
	var got []byte
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
	})
	err := f.client().User("ada@example.com").UpdateSettings(context.Background(), SettingsChange{
		EnforceFipsMode: Ptr(true),
		InMeeting:       &UserSettingsInMeetingChange{AutoAnswer: Ptr(false)},
		Telephony:       &UserSettingsTelephonyChange{TelephonyRegions: &TelephonyRegionsChange{SelectionValues: Ptr("US")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(got, &body); err != nil {
		t.Fatalf("body %s: %v", got, err)
	}
	want := map[string]any{
		"enforce_fips_mode": true,
		"in_meeting":        map[string]any{"auto_answer": false},
		"telephony":         map[string]any{"telephony_regions": map[string]any{"selection_values": "US"}},
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("PATCH body %s, want %v", got, want)
	}
}
