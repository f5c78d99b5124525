package test

import (
	"context"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

const (
	specPath  = "../api/openapi.yaml"
	factsPath = "testdata/zoom-users-facts.json"
)

func loadDoc(t *testing.T, path string) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.FromSlash(path))
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return doc
}

// operations returns the document's operations keyed by operationId.
func operations(doc *openapi3.T) map[string]specOp {
	ops := map[string]specOp{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[op.OperationID] = specOp{method: method, path: path, item: item, op: op}
		}
	}
	return ops
}

type specOp struct {
	method, path string
	item         *openapi3.PathItem
	op           *openapi3.Operation
}

// params merges path-level and operation-level parameters, the operation's winning.
func (o specOp) params() map[string]*openapi3.Parameter {
	out := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{o.item.Parameters, o.op.Parameters} {
		for _, ref := range list {
			p := ref.Value
			out[p.In+" "+p.Name] = p
		}
	}
	return out
}

func (o specOp) successCodes() []string {
	var codes []string
	for code := range o.op.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	return codes
}

func schemaType(s *openapi3.SchemaRef) string {
	if s == nil || s.Value == nil || s.Value.Type == nil {
		return ""
	}
	return strings.Join(s.Value.Type.Slice(), ",")
}

// wantOperations is the list of the 35 Users operations, by Zoom's operationIds.
var wantOperations = []string{
	"users", "userCreate", "userEmail", "bulkUpdateFeature", "userZak", "userSummary",
	"userVanityName", "user", "userDelete", "userUpdate", "userAssistants", "userAssistantCreate",
	"userAssistantsDelete", "userAssistantDelete", "listCollaborationDevices",
	"getCollaborationDevice", "userEmailUpdate", "getUserMeetingTemplates", "userPassword",
	"userPermission", "userPicture", "userPictureDelete", "getUserPresenceStatus",
	"updatePresenceStatus", "userSchedulers", "userSchedulersDelete", "userSchedulerDelete",
	"userSettings", "userSettingsUpdate", "uploadVBuser", "delUserVB", "userStatus", "userToken",
	"userSSOTokenDelete", "switchUserAccount",
}

// wantLabels is the rate-limit label of each operation as ZOOM_FACTS.md lists them; the
// spec's x-rate-limit-label must agree.
var wantLabels = map[string]string{
	"userCreate": "Light", "userEmail": "Light", "userZak": "Light", "userVanityName": "Light",
	"user": "Light", "userDelete": "Light", "userUpdate": "Light", "userAssistantsDelete": "Light",
	"userAssistantDelete": "Light", "userEmailUpdate": "Light", "userPermission": "Light",
	"userSchedulersDelete": "Light", "userSchedulerDelete": "Light", "delUserVB": "Light",
	"userStatus": "Light", "userToken": "Light", "userSSOTokenDelete": "Light",
	"switchUserAccount": "Light",
	"users":             "Medium", "bulkUpdateFeature": "Medium", "userSummary": "Medium",
	"userAssistants": "Medium", "userAssistantCreate": "Medium",
	"listCollaborationDevices": "Medium", "getCollaborationDevice": "Medium",
	"getUserMeetingTemplates": "Medium", "userPassword": "Medium", "userPicture": "Medium",
	"userPictureDelete": "Medium", "getUserPresenceStatus": "Medium",
	"updatePresenceStatus": "Medium", "userSchedulers": "Medium", "userSettings": "Medium",
	"userSettingsUpdate": "Medium", "uploadVBuser": "Medium",
}

func TestSpecIsValidOpenAPI(t *testing.T) {
	doc := loadDoc(t, specPath)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("api/openapi.yaml is not valid OpenAPI: %v", err)
	}
	if len(doc.Servers) == 0 || doc.Servers[0].URL != "https://api.zoom.us/v2" {
		t.Errorf("first server must be https://api.zoom.us/v2, got %v", doc.Servers)
	}
}

func TestSpecHasEveryOperation(t *testing.T) {
	ops := operations(loadDoc(t, specPath))
	var got []string
	for id := range ops {
		got = append(got, id)
	}
	want := slices.Clone(wantOperations)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("operationIds differ\n got: %v\nwant: %v", got, want)
	}
	if len(wantLabels) != len(wantOperations) {
		t.Fatalf("wantLabels covers %d operations, want %d", len(wantLabels), len(wantOperations))
	}
}

func TestSpecOperationsAreComplete(t *testing.T) {
	doc := loadDoc(t, specPath)
	errSchema := doc.Components.Schemas["Error"]
	if errSchema == nil {
		t.Fatal("components.schemas.Error is missing")
	}
	for id, o := range operations(doc) {
		t.Run(id, func(t *testing.T) {
			op := o.op
			if !slices.Equal(op.Tags, []string{"Users"}) {
				t.Errorf("tags = %v, want [Users]", op.Tags)
			}
			if op.Summary == "" || op.Description == "" {
				t.Error("summary and description are both required")
			}
			label, _ := op.Extensions["x-rate-limit-label"].(string)
			if label != wantLabels[id] {
				t.Errorf("x-rate-limit-label = %q, want %q", label, wantLabels[id])
			}
			checkSecurity(t, op)
			checkErrorResponses(t, o, errSchema.Value)
			if len(o.successCodes()) == 0 {
				t.Error("no 2xx response")
			}
			for _, p := range o.params() {
				if p.Schema == nil || schemaType(p.Schema) == "" {
					t.Errorf("parameter %s has no typed schema", p.Name)
				}
				if p.Name == "userId" && schemaType(p.Schema) != "string" {
					t.Errorf("userId must be a plain string, is %s", schemaType(p.Schema))
				}
			}
			checkNamedSchemas(t, op)
		})
	}
}

func checkSecurity(t *testing.T, op *openapi3.Operation) {
	t.Helper()
	if op.Security == nil {
		t.Error("no operation-level security")
		return
	}
	schemes := map[string][]string{}
	for _, req := range *op.Security {
		for name, scopes := range req {
			schemes[name] = scopes
		}
	}
	for _, name := range []string{"OAuth", "ServerToServerOAuth"} {
		if len(schemes[name]) == 0 {
			t.Errorf("security %s names no scopes", name)
		}
	}
	if _, ok := schemes["BearerAuth"]; !ok {
		t.Error("security lacks BearerAuth")
	}
	if !slices.Equal(schemes["OAuth"], schemes["ServerToServerOAuth"]) {
		t.Error("OAuth and ServerToServerOAuth scopes differ")
	}
}

func checkErrorResponses(t *testing.T, o specOp, errSchema *openapi3.Schema) {
	t.Helper()
	want := []string{"default", "401", "429"}
	if o.params()["path userId"] != nil || o.path == "/users/me/zak" {
		want = append(want, "404")
	}
	for _, code := range want {
		resp := o.op.Responses.Value(code)
		if resp == nil {
			t.Errorf("no %s response", code)
			continue
		}
		mt := resp.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil || mt.Schema.Value != errSchema {
			t.Errorf("%s response does not carry the Error schema", code)
		}
	}
}

// checkNamedSchemas insists that request and success bodies are named components, so
// that generated type names are stable.
func checkNamedSchemas(t *testing.T, op *openapi3.Operation) {
	t.Helper()
	if op.RequestBody != nil {
		for ct, mt := range op.RequestBody.Value.Content {
			if mt.Schema.Ref == "" {
				t.Errorf("request body %s is an inline schema", ct)
			}
		}
	}
	for code, resp := range op.Responses.Map() {
		if !strings.HasPrefix(code, "2") {
			continue
		}
		for ct, mt := range resp.Value.Content {
			if mt.Schema == nil || mt.Schema.Ref == "" {
				t.Errorf("%s response %s is an inline schema", code, ct)
			}
		}
	}
}

func TestSpecCorrectsUpstreamDefects(t *testing.T) {
	doc := loadDoc(t, specPath)
	ops := operations(doc)
	if got := ops["userStatus"].successCodes(); !slices.Equal(got, []string{"200", "204"}) {
		t.Errorf("userStatus success codes = %v, want [200 204]", got)
	}
	if got := ops["userSettingsUpdate"].successCodes(); !slices.Equal(got, []string{"204"}) {
		t.Errorf("userSettingsUpdate success codes = %v, want [204]", got)
	}
	if ops["userZak"].op.Responses.Value("404") == nil || ops["userZak"].op.Responses.Value("400") != nil {
		t.Error("userZak must declare its missing-user answer as 404, not 400")
	}
	for schema, field := range map[string]string{"PictureUpload": "pic_file", "VirtualBackgroundUpload": "file"} {
		p := doc.Components.Schemas[schema].Value.Properties[field]
		if p == nil || p.Value.Format != "binary" {
			t.Errorf("%s.%s must be format binary", schema, field)
		}
	}
	if got := schemaType(ops["users"].params()["query page_number"].Schema); got != "integer" {
		t.Errorf("page_number query type = %s, want integer", got)
	}
	for _, schema := range []string{"User", "UserUpdate", "Scheduler"} {
		pmi := doc.Components.Schemas[schema].Value.Properties["pmi"].Value
		if schemaType(doc.Components.Schemas[schema].Value.Properties["pmi"]) != "integer" || pmi.Format != "int64" || pmi.MaxLength != nil {
			t.Errorf("%s.pmi must be an int64 integer without maxLength", schema)
		}
	}
	presence := doc.Components.Schemas["PresenceStatusUpdate"].Value.Properties["status"].Value
	if !slices.Contains(presence.Enum, any("Do_Not_Disturb")) || slices.Contains(presence.Enum, any("Do_No_Disturb")) {
		t.Errorf("presence status enum must say Do_Not_Disturb: %v", presence.Enum)
	}
	for name, want := range map[string]int{"UserSettingsResult": 5, "UserSettingsUpdate": 4} {
		s := doc.Components.Schemas[name].Value
		if len(s.OneOf) != want {
			t.Errorf("%s has %d oneOf variants, want %d", name, len(s.OneOf), want)
		}
		for _, v := range s.OneOf {
			if v.Ref == "" {
				t.Errorf("%s has an unnamed variant", name)
			}
		}
	}
	picture := ops["userPicture"].op.Responses.Value("201").Value.Content.Get("application/json")
	if picture == nil || picture.Schema.Ref != "#/components/schemas/PictureUploaded" {
		t.Error("userPicture's 201 must carry Zoom's JSON object, PictureUploaded")
	}
}

// TestSettingsVariantsAreExclusive proves that each settings body matches exactly the one
// oneOf variant its option names, as a validating server needs, and that bodies mixing
// variants match none.
func TestSettingsVariantsAreExclusive(t *testing.T) {
	doc := loadDoc(t, specPath)
	option := map[string]any{"action": "update", "id": "x", "type": "enforce_login_with_domains", "domains": "example.com"}
	updates := []struct {
		name string
		body map[string]any
		want string // the variant, or "" for none
	}{
		{"full", map[string]any{"schedule_meeting": map[string]any{"host_video": true}}, "UserSettingsChange"},
		{"empty", map[string]any{}, "UserSettingsChange"},
		{"meeting switch and option", map[string]any{"meeting_authentication": true, "authentication_option": option}, "MeetingAuthenticationUpdate"},
		{"meeting switch only", map[string]any{"meeting_authentication": false}, "MeetingAuthenticationUpdate"},
		{"authentication option only", map[string]any{"authentication_option": option}, "MeetingAuthenticationUpdate"},
		{"recording switch only", map[string]any{"recording_authentication": false}, "RecordingAuthenticationUpdate"},
		{"recording switch and internally", map[string]any{"recording_authentication": true,
			"authentication_option": map[string]any{"action": "show", "id": "r", "type": "internally"}}, "RecordingAuthenticationUpdate"},
		{"security", map[string]any{"meeting_security": map[string]any{"waiting_room": true}}, "MeetingSecuritySettings"},
		{"option beside full settings", map[string]any{"authentication_option": option, "schedule_meeting": map[string]any{}}, ""},
		{"option of an unknown type", map[string]any{"authentication_option": map[string]any{"type": "anyone"}}, ""},
	}
	for _, c := range updates {
		checkVariant(t, doc, "UserSettingsUpdate", c.name, c.body, c.want)
	}
	answers := []struct {
		name string
		body map[string]any
		want string
	}{
		{"full", map[string]any{"feature": map[string]any{"meeting_capacity": 300}}, "UserSettings"},
		{"both authentications", map[string]any{"authentication_options": map[string]any{
			"meeting_authentication":   map[string]any{"meeting_authentication": true, "authentication_options": []any{}},
			"recording_authentication": map[string]any{"recording_authentication": false, "authentication_options": []any{map[string]any{"type": "internally"}}},
		}}, "AuthenticationSettings"},
		{"meeting authentication", map[string]any{"meeting_authentication": true, "authentication_options": []any{}}, "MeetingAuthenticationSettings"},
		{"recording authentication", map[string]any{"recording_authentication": true, "authentication_options": []any{}}, "RecordingAuthenticationSettings"},
		{"security", map[string]any{"meeting_security": map[string]any{"auto_security": true}}, "MeetingSecuritySettings"},
	}
	for _, c := range answers {
		checkVariant(t, doc, "UserSettingsResult", c.name, c.body, c.want)
	}
}

// checkVariant asserts that body matches exactly the variant want of the oneOf schema
// union (none when want is empty), and that the union accepts it just then.
func checkVariant(t *testing.T, doc *openapi3.T, union, name string, body map[string]any, want string) {
	t.Helper()
	s := doc.Components.Schemas[union].Value
	var matched []string
	for _, v := range s.OneOf {
		if v.Value.VisitJSON(body) == nil {
			matched = append(matched, strings.TrimPrefix(v.Ref, "#/components/schemas/"))
		}
	}
	var wantMatched []string
	if want != "" {
		wantMatched = []string{want}
	}
	if !slices.Equal(matched, wantMatched) {
		t.Errorf("%s %s body matches %v, want %v", union, name, matched, wantMatched)
	}
	if err := s.VisitJSON(body); (err == nil) != (want != "") {
		t.Errorf("%s %s body: union validation error %v, want valid=%v", union, name, err, want != "")
	}
}

// TestSpecConformsToZoomSpec checks the reference itself and that every operation of
// Zoom's current spec is here under its operationId, method and path. Every other
// difference is listed, with its reason, in info.x-differences (specdiff_test.go).
func TestSpecConformsToZoomSpec(t *testing.T) {
	ours := operations(loadDoc(t, specPath))
	theirs := operations(loadDoc(t, factsPath))
	if len(theirs) != 34 {
		t.Fatalf("facts copy has %d operations, want 34", len(theirs))
	}
	if _, ok := theirs["switchUserAccount"]; ok {
		t.Error("Zoom's current spec has switchUserAccount after all; drop it from the restored list")
	}
	for id, z := range theirs {
		o, ok := ours[id]
		if !ok {
			t.Errorf("%s: missing", id)
			continue
		}
		if o.method != z.method || o.path != z.path {
			t.Errorf("%s: %s %s, Zoom has %s %s", id, o.method, o.path, z.method, z.path)
		}
	}
}
