package decoding

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zoomkit/go-zoomusers/gen"
)

// driftSummary is a drift without its free-text reason, for comparing.
type driftSummary struct {
	Path   string
	Action Action
	Value  string
	Want   string
}

func summarize(ds []Drift) []driftSummary {
	var out []driftSummary
	for _, d := range ds {
		want := "<nil>"
		if d.Want != nil {
			want = d.Want.String()
		}
		out = append(out, driftSummary{Path: d.Path, Action: d.Action, Value: string(d.Value), Want: want})
	}
	return out
}

func mustUnmarshal[T any](t *testing.T, body string) (*T, []Drift) {
	t.Helper()
	out := new(T)
	drifts, err := Unmarshal([]byte(body), out)
	if err != nil {
		t.Fatalf("Unmarshal(%s): %v", body, err)
	}
	return out, drifts
}

func TestUnmarshalRepairsUser(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		check  func(t *testing.T, u *gen.User)
		drifts []driftSummary
	}{
		{
			name: "pmi as a 10-digit number fits int64",
			body: `{"email":"a@example.com","type":1,"pmi":3542471135}`,
			check: func(t *testing.T, u *gen.User) {
				if *u.PMI != 3542471135 {
					t.Errorf("pmi = %d", *u.PMI)
				}
			},
		},
		{
			name: "pmi as a string is coerced",
			body: `{"email":"a@example.com","type":1,"pmi":"3542471135"}`,
			check: func(t *testing.T, u *gen.User) {
				if u.PMI == nil || *u.PMI != 3542471135 || *u.Email != "a@example.com" {
					t.Errorf("pmi = %v, email = %v", u.PMI, u.Email)
				}
			},
			drifts: []driftSummary{{"pmi", Coerced, `"3542471135"`, "int64"}},
		},
		{
			name: "a pmi string that is not a plain integer is dropped, the rest kept",
			body: `{"email":"a@example.com","type":2,"pmi":"0035424711","use_pmi":true}`,
			check: func(t *testing.T, u *gen.User) {
				if u.PMI != nil || !*u.UsePMI || u.Type != 2 {
					t.Errorf("pmi = %v, use_pmi = %v, type = %v", u.PMI, u.UsePMI, u.Type)
				}
			},
			drifts: []driftSummary{{"pmi", Dropped, `"0035424711"`, "int64"}},
		},
		{
			name: "integral numbers in another form are coerced, fractions dropped",
			body: `{"email":"a@example.com","type":2.0,"pmi":3.542471135e9,"zoom_one_type":1.5}`,
			check: func(t *testing.T, u *gen.User) {
				if u.Type != 2 || *u.PMI != 3542471135 || u.ZoomOneType != nil {
					t.Errorf("type = %v, pmi = %v, zoom_one_type = %v", u.Type, u.PMI, u.ZoomOneType)
				}
			},
			drifts: []driftSummary{
				{"type", Coerced, `2.0`, "gen.UserType"},
				{"pmi", Coerced, `3.542471135e9`, "int64"},
				{"zoom_one_type", Dropped, `1.5`, "int64"},
			},
		},
		{
			name: "custom_attributes as one object becomes a one-element array",
			body: `{"email":"a@example.com","type":1,"custom_attributes":{"key":"cbf_1","name":"A1","value":"1"}}`,
			check: func(t *testing.T, u *gen.User) {
				want := []gen.CustomAttribute{{Key: ptr("cbf_1"), Name: ptr("A1"), Value: ptr("1")}}
				if u.CustomAttributes == nil || !reflect.DeepEqual(*u.CustomAttributes, want) {
					t.Errorf("custom_attributes = %v", u.CustomAttributes)
				}
			},
			drifts: []driftSummary{{"custom_attributes", Coerced, `{"key":"cbf_1","name":"A1","value":"1"}`, "[]gen.CustomAttribute"}},
		},
		{
			name: "an object sharing no field with the element type is not wrapped",
			body: `{"email":"a@example.com","type":1,"custom_attributes":{"cbf_1":"A1"}}`,
			check: func(t *testing.T, u *gen.User) {
				if u.CustomAttributes != nil {
					t.Errorf("custom_attributes = %+v, want absent rather than one empty attribute", *u.CustomAttributes)
				}
			},
			drifts: []driftSummary{{"custom_attributes", Dropped, `{"cbf_1":"A1"}`, "[]gen.CustomAttribute"}},
		},
		{
			name: "numbers and booleans where strings are declared keep their text",
			body: `{"email":"a@example.com","type":1,"plan_united_type":16,"host_key":true,"custom_attributes":[{"key":"k","value":42}]}`,
			check: func(t *testing.T, u *gen.User) {
				if *u.PlanUnitedType != "16" || *u.HostKey != "true" || *(*u.CustomAttributes)[0].Value != "42" {
					t.Errorf("plan_united_type = %v, host_key = %v, attributes = %v", *u.PlanUnitedType, *u.HostKey, *u.CustomAttributes)
				}
			},
			drifts: []driftSummary{
				{"plan_united_type", Coerced, `16`, "string"},
				{"host_key", Coerced, `true`, "string"},
				{"custom_attributes[0].value", Coerced, `42`, "string"},
			},
		},
		{
			name: "a boolean sent as a number is dropped: absent, not false",
			body: `{"email":"a@example.com","type":1,"use_pmi":1}`,
			check: func(t *testing.T, u *gen.User) {
				if u.UsePMI != nil {
					t.Errorf("use_pmi = %v, want nil", *u.UsePMI)
				}
			},
			drifts: []driftSummary{{"use_pmi", Dropped, `1`, "bool"}},
		},
		{
			name: "a boolean sent as a string is coerced",
			body: `{"email":"a@example.com","type":1,"use_pmi":"false"}`,
			check: func(t *testing.T, u *gen.User) {
				if u.UsePMI == nil || *u.UsePMI {
					t.Errorf("use_pmi = %v, want false", u.UsePMI)
				}
			},
			drifts: []driftSummary{{"use_pmi", Coerced, `"false"`, "bool"}},
		},
		{
			name: "a time that is not RFC 3339 is dropped",
			body: `{"email":"a@example.com","type":1,"created_at":"string [date-time]","last_login_time":"2021-05-05T20:40:30Z"}`,
			check: func(t *testing.T, u *gen.User) {
				if u.CreatedAt != nil || !u.LastLoginTime.Equal(time.Date(2021, 5, 5, 20, 40, 30, 0, time.UTC)) {
					t.Errorf("created_at = %v, last_login_time = %v", u.CreatedAt, u.LastLoginTime)
				}
			},
			drifts: []driftSummary{{"created_at", Dropped, `"string [date-time]"`, "time.Time"}},
		},
		{
			name: "duplicate keys: the last value wins and the earlier is reported",
			body: `{"email":"old@example.com","type":1,"email":"new@example.com","undeclared_ids":["a"],"undeclared_ids":["b"]}`,
			check: func(t *testing.T, u *gen.User) {
				if *u.Email != "new@example.com" {
					t.Errorf("email = %v", *u.Email)
				}
			},
			// undeclared_ids is not in the model: its repetition changes nothing and is not drift.
			drifts: []driftSummary{{"email", Dropped, `"old@example.com"`, "string"}},
		},
		{
			name: "one-element array where a single value is declared",
			body: `{"email":["a@example.com"],"type":1,"dept":["a","b"]}`,
			check: func(t *testing.T, u *gen.User) {
				if *u.Email != "a@example.com" || u.Dept != nil {
					t.Errorf("email = %v, dept = %v", *u.Email, u.Dept)
				}
			},
			drifts: []driftSummary{
				{"email", Coerced, `["a@example.com"]`, "string"},
				{"dept", Dropped, `["a","b"]`, "string"},
			},
		},
		{
			name: "a scalar where a list of strings is declared",
			body: `{"email":"a@example.com","type":1,"group_ids":"g1","im_group_ids":{"x":1}}`,
			check: func(t *testing.T, u *gen.User) {
				if !reflect.DeepEqual(*u.GroupIDs, []string{"g1"}) || u.ImGroupIDs != nil {
					t.Errorf("group_ids = %v, im_group_ids = %v", u.GroupIDs, u.ImGroupIDs)
				}
			},
			drifts: []driftSummary{
				{"group_ids", Coerced, `"g1"`, "[]string"},
				{"im_group_ids", Dropped, `{"x":1}`, "[]string"},
			},
		},
		{
			name: "names that are not identifiers are quoted in paths",
			body: `{"email":"a@example.com","type":1,"custom_attributes":[{"key":"k"},{"key":{"a.b":1}}]}`,
			check: func(t *testing.T, u *gen.User) {
				attrs := *u.CustomAttributes
				if len(attrs) != 2 || *attrs[0].Key != "k" || attrs[1].Key != nil {
					t.Errorf("custom_attributes = %+v", attrs)
				}
			},
			drifts: []driftSummary{{"custom_attributes[1].key", Dropped, `{"a.b":1}`, "string"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, drifts := mustUnmarshal[gen.User](t, tt.body)
			tt.check(t, u)
			if diff := cmp.Diff(tt.drifts, summarize(drifts)); diff != "" {
				t.Errorf("drifts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnmarshalKeepsEveryOtherUserOfAPage(t *testing.T) {
	var users []string
	for i := range 300 {
		users = append(users, fmt.Sprintf(`{"id":"u%d","email":"u%d@example.com","type":1,"pmi":%d}`, i, i, 1000000000+i))
	}
	users[3] = `{"id":"u3","email":"u3@example.com","type":1,"pmi":"1000000003","custom_attributes":{"key":"k","name":"n","value":"v"}}`
	users[7] = `{"id":"u7","email":"u7@example.com","type":1,"pmi":"not a number","last_login_time":"yesterday"}`
	users[9] = `"u9@example.com"`
	body := `{"page_size":300,"next_page_token":"t","users":[` + strings.Join(users, ",") + `]}`
	page, drifts := mustUnmarshal[gen.UserList](t, body)
	got := *page.Users
	if len(got) != 299 {
		t.Fatalf("%d users arrived, want 299 (all but the one that is not an object)", len(got))
	}
	for _, u := range got {
		var i int
		fmt.Sscanf(*u.ID, "u%d", &i)
		if *u.Email != fmt.Sprintf("u%d@example.com", i) {
			t.Errorf("user %s has email %s", *u.ID, *u.Email)
		}
		switch i {
		case 7:
			if u.PMI != nil || u.LastLoginTime != nil {
				t.Errorf("u7: pmi %v, last_login_time %v; want both absent", u.PMI, u.LastLoginTime)
			}
		default:
			if *u.PMI != int64(1000000000+i) {
				t.Errorf("u%d: pmi %d", i, *u.PMI)
			}
		}
	}
	if (*got[3].CustomAttributes)[0].Value == nil || *(*got[3].CustomAttributes)[0].Value != "v" {
		t.Errorf("u3 custom attributes = %+v", *got[3].CustomAttributes)
	}
	want := []driftSummary{
		{"users[3].pmi", Coerced, `"1000000003"`, "int64"},
		{"users[3].custom_attributes", Coerced, `{"key":"k","name":"n","value":"v"}`, "[]gen.CustomAttribute"},
		{"users[7].pmi", Dropped, `"not a number"`, "int64"},
		{"users[7].last_login_time", Dropped, `"yesterday"`, "time.Time"},
		{"users[9]", Dropped, `"u9@example.com"`, "gen.User"},
	}
	if diff := cmp.Diff(want, summarize(drifts)); diff != "" {
		t.Errorf("drifts (-want +got):\n%s", diff)
	}
	if *page.NextPageToken != "t" || *page.PageSize != 300 {
		t.Errorf("page metadata lost: %v %v", page.NextPageToken, page.PageSize)
	}
}

func TestUnmarshalSettingsDropsOnlyWhatDoesNotFit(t *testing.T) {
	body := `{
		"tsp": {"call_out": true, "call_out_countries": ["USA"], "show_international_numbers_link": false},
		"feature": {"meeting_capacity": "100", "webinar": "yes", "large_meeting": false, "not_yet_documented": {"a": 1}},
		"schedule_meeting": {"host_video": true, "host_video": false},
		"telephony": {"third_party_audio": false, "telephony_regions": {"allowed_values": ["US"], "selection_values": ["US"]}}
	}`
	s, drifts := mustUnmarshal[gen.UserSettings](t, body)
	if s.TSP.CallOutCountries == nil || (*s.TSP.CallOutCountries)[0] != "USA" || !*s.TSP.CallOut || *s.TSP.ShowInternationalNumbersLink {
		t.Errorf("tsp = %+v", s.TSP)
	}
	if *s.Feature.MeetingCapacity != 100 || s.Feature.Webinar != nil || *s.Feature.LargeMeeting {
		t.Errorf("feature: meeting_capacity %v, webinar %v (want absent), large_meeting %v", s.Feature.MeetingCapacity, s.Feature.Webinar, s.Feature.LargeMeeting)
	}
	if *s.ScheduleMeeting.HostVideo {
		t.Error("schedule_meeting.host_video: the last of the duplicates (false) must win")
	}
	if *s.Telephony.TelephonyRegions.SelectionValues != "US" || (*s.Telephony.TelephonyRegions.AllowedValues)[0] != "US" {
		t.Errorf("telephony_regions = %+v", s.Telephony.TelephonyRegions)
	}
	want := []driftSummary{
		{"feature.meeting_capacity", Coerced, `"100"`, "int"},
		{"feature.webinar", Dropped, `"yes"`, "bool"},
		{"schedule_meeting.host_video", Dropped, `true`, "bool"},
		{"telephony.telephony_regions.selection_values", Coerced, `["US"]`, "string"},
	}
	if diff := cmp.Diff(want, summarize(drifts)); diff != "" {
		t.Errorf("drifts (-want +got):\n%s", diff)
	}

	// Some elements fit: the others are dropped one by one.
	s, drifts = mustUnmarshal[gen.UserSettings](t, `{"tsp":{"call_out_countries":["US",{"code":"CA"},"DE",["FR","IT"]]}}`)
	got := *s.TSP.CallOutCountries
	if len(got) != 2 || got[0] != "US" || got[1] != "DE" {
		t.Errorf("call_out_countries = %v", got)
	}
	want = []driftSummary{
		{"tsp.call_out_countries[1]", Dropped, `{"code":"CA"}`, "string"},
		{"tsp.call_out_countries[3]", Dropped, `["FR","IT"]`, "string"},
	}
	if diff := cmp.Diff(want, summarize(drifts)); diff != "" {
		t.Errorf("drifts (-want +got):\n%s", diff)
	}
}

// extrasType mimics what oapi-codegen writes for a schema with additionalProperties:
// its own UnmarshalJSON (encoding/json v1) fills named fields and a map of the rest.
type extrasType struct {
	Name                 *string        `json:"name,omitempty"`
	AdditionalProperties map[string]int `json:"-"`
}

func (e *extrasType) UnmarshalJSON(b []byte) error {
	var object map[string]json.RawMessage
	if err := json.Unmarshal(b, &object); err != nil {
		return err
	}
	if raw, ok := object["name"]; ok {
		if err := json.Unmarshal(raw, &e.Name); err != nil {
			return fmt.Errorf("reading 'name': %w", err)
		}
		delete(object, "name")
	}
	e.AdditionalProperties = map[string]int{}
	for k, raw := range object {
		var v int
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("reading '%s': %w", k, err)
		}
		e.AdditionalProperties[k] = v
	}
	return nil
}

type withCustom struct {
	Extras *extrasType               `json:"extras,omitempty"`
	Union  *gen.UserSettingsResult   `json:"union,omitempty"`
	Times  []time.Time               `json:"times,omitempty"`
	Raw    json.RawMessage           `json:"raw,omitempty"`
	Any    map[string]any            `json:"any,omitempty"`
	Nested map[string][]extrasType   `json:"nested,omitempty"`
	Flat   *struct{ A, B *int64 }    `json:"flat,omitempty"`
	Enums  *[]gen.UserSettingsResult `json:"enums,omitempty"`
}

func TestUnmarshalTypesWithTheirOwnJSONMethods(t *testing.T) {
	body := `{
		"extras": {"name": 7, "a": "1", "b": 2, "b": 3, "c": "x"},
		"union": {"host_video": true, "host_video": false},
		"times": ["2024-01-02T03:04:05Z", "soon"],
		"raw": {"k": [1, 2]},
		"any": {"k": 1, "k": 2},
		"nested": {"x": [{"name": "n", "v": 1}, 5]},
		"flat": {"A": "12", "B": 13}
	}`
	v, drifts := mustUnmarshal[withCustom](t, body)
	if *v.Extras.Name != "7" || !reflect.DeepEqual(v.Extras.AdditionalProperties, map[string]int{"a": 1, "b": 3}) {
		t.Errorf("extras = %v %v", *v.Extras.Name, v.Extras.AdditionalProperties)
	}
	settings, err := v.Union.AsUserSettings()
	if err != nil || settings.ScheduleMeeting != nil {
		t.Errorf("union: %v %v", settings, err)
	}
	if len(v.Times) != 1 || v.Times[0].Year() != 2024 {
		t.Errorf("times = %v", v.Times)
	}
	if string(v.Raw) != `{"k": [1, 2]}` || v.Any["k"] != 2.0 {
		t.Errorf("raw = %s, any = %v", v.Raw, v.Any)
	}
	if x := v.Nested["x"]; len(x) != 1 || *x[0].Name != "n" || x[0].AdditionalProperties["v"] != 1 {
		t.Errorf("nested = %+v", v.Nested)
	}
	if *v.Flat.A != 12 || *v.Flat.B != 13 {
		t.Errorf("flat = %v %v", *v.Flat.A, *v.Flat.B)
	}
	want := []driftSummary{
		{"extras.name", Coerced, `7`, "string"},
		{"extras.a", Coerced, `"1"`, "int"},
		{"extras.b", Dropped, `2`, "int"},
		{"extras.c", Dropped, `"x"`, "int"},
		{"union.host_video", Dropped, `true`, "<nil>"},
		{"times[1]", Dropped, `"soon"`, "time.Time"},
		{"any.k", Dropped, `1`, "interface {}"},
		{"nested.x[1]", Dropped, `5`, "decoding.extrasType"},
		{"flat.A", Coerced, `"12"`, "int64"},
	}
	if diff := cmp.Diff(want, summarize(drifts)); diff != "" {
		t.Errorf("drifts (-want +got):\n%s", diff)
	}
}

func TestUnmarshalRefusesWhatCannotStandForTheAnswer(t *testing.T) {
	for _, body := range []string{
		`<html>429 Too Many Requests</html>`,
		`{"email":"a@example.com",`,
		`{"email":"a@example.com"} trailing`,
		`[{"email":"a@example.com"},{"email":"b@example.com"}]`,
		`"a@example.com"`,
	} {
		var u gen.User
		if _, err := Unmarshal([]byte(body), &u); err == nil {
			t.Errorf("Unmarshal(%s) = nil error, want one", body)
		}
	}
	// A one-element array holding the object is the object.
	u, drifts := mustUnmarshal[gen.User](t, `[{"email":"a@example.com","type":1}]`)
	if *u.Email != "a@example.com" || len(drifts) != 1 || drifts[0].Action != Coerced || drifts[0].Path != "" {
		t.Errorf("user = %+v, drifts = %v", u, drifts)
	}
}

func ptr[T any](v T) *T { return &v }

// TestFreeFormValuesKeepEmptyObjectsAndArrays: a value the model takes as any JSON
// (general_setting, a settings object Zoom has published no keys for) keeps its empty
// objects and arrays when the repair pass rewrites it to drop a repeated key (issue 23:
// empty {} and [] could be dropped unnoticed).
func TestFreeFormValuesKeepEmptyObjectsAndArrays(t *testing.T) {
	body := `{"general_setting":{"a":1,"a":2,"empty":{},"none":[],"nested":[{},[],{"b":{}}]}}`
	s, drifts := mustUnmarshal[gen.UserSettings](t, body)
	if s.GeneralSetting == nil {
		t.Fatal("general_setting was dropped")
	}
	var got any
	if err := json.Unmarshal(*s.GeneralSetting, &got); err != nil {
		t.Fatalf("general_setting %s: %v", *s.GeneralSetting, err)
	}
	want := map[string]any{"a": 2.0, "empty": map[string]any{}, "none": []any{}, "nested": []any{map[string]any{}, []any{}, map[string]any{"b": map[string]any{}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("general_setting (-want +got):\n%s", diff)
	}
	wantDrifts := []driftSummary{{"general_setting.a", Dropped, "1", "<nil>"}}
	if diff := cmp.Diff(wantDrifts, summarize(drifts)); diff != "" {
		t.Errorf("drifts (-want +got):\n%s", diff)
	}
}
