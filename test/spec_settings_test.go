package test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// TestAuthenticationOptionAloneIsAccepted sends, with option=meeting_authentication and
// option=recording_authentication, a body holding only authentication_option, as Zoom's
// specs allow, through the client and the fake's request validator, and reads the option
// back. The switches must keep their values.
func TestAuthenticationOptionAloneIsAccepted(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u := c.User(zoomtest.OwnerEmail)

	domains := gen.AuthenticationOptionUpdateTypeEnforceLoginWithDomains
	if err := u.UpdateMeetingAuthentication(ctx, zoomusers.MeetingAuthUpdate{AuthenticationOption: &gen.AuthenticationOptionUpdate{
		Name: zoomusers.Ptr("Example staff"), Type: &domains, Domains: zoomusers.Ptr("example.com")}}); err != nil {
		t.Fatalf("meeting authentication option alone: %v", err)
	}
	meeting, err := u.MeetingAuthentication(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if meeting.MeetingAuthentication {
		t.Error("sending an option alone switched meeting authentication on")
	}
	if meeting.AuthenticationOptions == nil || len(*meeting.AuthenticationOptions) != 1 {
		t.Fatalf("meeting authentication options = %v, want the one added", meeting.AuthenticationOptions)
	}
	got := (*meeting.AuthenticationOptions)[0]
	if got.Type == nil || *got.Type != gen.AuthenticationOptionTypeEnforceLoginWithDomains || got.Domains == nil || *got.Domains != "example.com" {
		t.Errorf("added option = %+v", got)
	}

	// A recording option alone has the same JSON; it validates as the meeting shape and the
	// option parameter routes it. internally exists for recordings only.
	internally := gen.AuthenticationOptionUpdateTypeInternally
	var body gen.UserSettingsUpdate
	if err := body.FromMeetingAuthenticationUpdate(gen.MeetingAuthenticationUpdate{AuthenticationOption: &gen.AuthenticationOptionUpdate{
		Name: zoomusers.Ptr("Account only"), Type: &internally}}); err != nil {
		t.Fatal(err)
	}
	token := fakeToken(t, srv)
	api, err := gen.NewClient(srv.BaseURL(), gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	option := gen.SettingsOptionRecordingAuthentication
	resp, err := api.UserSettingsUpdate(ctx, zoomtest.OwnerEmail, &gen.UserSettingsUpdateParams{Option: &option}, body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 {
		t.Fatalf("recording authentication option alone answered %d, want 204", resp.StatusCode)
	}
	recording, err := u.RecordingAuthentication(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if recording.AuthenticationOptions == nil || len(*recording.AuthenticationOptions) != 1 ||
		(*recording.AuthenticationOptions)[0].Type == nil || *(*recording.AuthenticationOptions)[0].Type != gen.AuthenticationOptionTypeInternally {
		t.Errorf("recording authentication options = %+v, want the internally option", recording.AuthenticationOptions)
	}
}

// fakeToken gets a Server-to-Server access token from the fake, for calls the client has
// no method for.
func fakeToken(t *testing.T, srv *zoomtest.Server) string {
	t.Helper()
	form := url.Values{"grant_type": {"account_credentials"}, "account_id": {zoomtest.AccountID}}
	req, err := http.NewRequest(http.MethodPost, srv.TokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(zoomtest.ClientID, zoomtest.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil || answer.AccessToken == "" {
		t.Fatalf("token from the fake: status %d, %v", resp.StatusCode, err)
	}
	return answer.AccessToken
}

// TestZoomExampleContradictions pins how the spec treats the two places where Zoom's own
// published examples contradict its schema (see the header of api/openapi.yaml).
func TestZoomExampleContradictions(t *testing.T) {
	doc := loadDoc(t, specPath)
	var tsp map[string]any
	// The tsp section of Get user settings' example answer.
	if err := json.Unmarshal([]byte(`{"call_out": true, "call_out_countries": ["USA"], "show_international_numbers_link": false}`), &tsp); err != nil {
		t.Fatal(err)
	}
	if err := doc.Components.Schemas["UserSettings"].Value.VisitJSON(map[string]any{"tsp": tsp}); err != nil {
		t.Errorf("call_out_countries as Zoom sends them (strings) must validate: %v", err)
	}

	// Get User's example sends custom_attributes as one object. The schema keeps the array
	// (generated types stay a plain list); clients read a lone object as a list of one.
	attribute := map[string]any{"key": "cbf_cywdkexrtqc73f97gd4w6g", "name": "A1", "value": "1"}
	user := doc.Components.Schemas["User"].Value
	if err := user.VisitJSON(map[string]any{"type": 1, "custom_attributes": attribute}); err == nil ||
		!strings.Contains(err.Error(), "custom_attributes") {
		t.Errorf("a lone custom_attributes object: got %v, want a validation error naming custom_attributes", err)
	}
	if err := user.VisitJSON(map[string]any{"type": 1, "custom_attributes": []any{attribute}}); err != nil {
		t.Errorf("custom_attributes as a list: %v", err)
	}
}

// TestSettingsModelsMatchZoomShapes: the read model of the full settings (UserSettings)
// holds exactly the settings of the answer in Zoom's spec, and the write model
// (UserSettingsChange) exactly those of its PATCH body, key by key, besides the keys
// Zoom's changelog added after that spec (usersChangelog). What only one of Zoom's shapes
// holds (whiteboard in the answer, in_meeting.auto_answer in the body, ...) is thus
// in only one model.
func TestSettingsModelsMatchZoomShapes(t *testing.T) {
	ours, zoom := loadDoc(t, specPath), loadDoc(t, factsPath)
	var later []string // settings paths added after Zoom's spec
	for _, c := range usersChangelog {
		if c.date >= "2025" && (c.schema == "UserSettings" || c.schema == "UserSettingsChange") {
			later = append(later, c.field)
		}
	}
	isLater := func(path string) bool {
		return slices.ContainsFunc(later, func(l string) bool { return path == l || strings.HasPrefix(path, l+".") })
	}
	op := zoom.Paths.Find("/users/{userId}/settings")
	zoomRead := op.Get.Responses.Status(200).Value.Content.Get("application/json").Schema.Value.OneOf[0].Value
	zoomWrite := op.Patch.RequestBody.Value.Content.Get("application/json").Schema.Value.OneOf[0].Value
	for _, c := range []struct {
		ours string
		zoom *openapi3.Schema
	}{{"UserSettings", zoomRead}, {"UserSettingsChange", zoomWrite}} {
		got, want := map[string]bool{}, map[string]bool{}
		settingsLeaves(ours.Components.Schemas[c.ours].Value, "", got)
		settingsLeaves(c.zoom, "", want)
		for _, path := range slices.Sorted(maps.Keys(want)) {
			if !got[path] {
				t.Errorf("%s lacks %s, which Zoom's shape holds", c.ours, path)
			}
		}
		for _, path := range slices.Sorted(maps.Keys(got)) {
			if !want[path] && !isLater(path) {
				t.Errorf("%s has %s, which Zoom's shape does not hold", c.ours, path)
			}
		}
		if len(want) < 200 {
			t.Errorf("Zoom's shape for %s has %d settings; the comparison read it wrong", c.ours, len(want))
		}
	}
}

// settingsLeaves adds the dotted paths of the settings under s to out: scalars, arrays
// and objects without declared properties. The parts of an allOf add to the same object.
func settingsLeaves(s *openapi3.Schema, path string, out map[string]bool) {
	for _, part := range s.AllOf {
		settingsLeaves(part.Value, path, out)
	}
	if len(s.Properties) == 0 {
		if len(s.AllOf) == 0 {
			out[path] = true
		}
		return
	}
	for name, p := range s.Properties {
		if path != "" {
			name = path + "." + name
		}
		settingsLeaves(p.Value, name, out)
	}
}
