package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
)

const spec = `{"openapi":"3.0.0","paths":{
  "/users/{userId}":{"get":{"operationId":"user","summary":"Get a user",
    "responses":{"200":{"content":{"application/json":{"schema":{"allOf":[
      {"type":"object","properties":{"id":{"type":"string","example":"u1"}}},
      {"type":"object","properties":{"pmi":{"type":"integer","format":"int64","example":3542471135},
        "custom_attributes":{"type":"array","items":{"type":"object","properties":{"key":{"type":"string","example":"k"}}}},
        "undocumented":{"type":"string"}}}]}}}}}}},
  "/users/{userId}/settings":{"get":{"operationId":"userSettings","summary":"Get user settings",
    "responses":{"200":{"content":{"application/json":{"schema":{"oneOf":[
      {"type":"object","properties":{"feature":{"type":"object","properties":{"meeting_capacity":{"type":"integer","example":100}}}}},
      {"type":"object","properties":{"meeting_security":{"type":"object","properties":{"waiting_room":{"type":"boolean","example":true}}}}}]}}}},
      "404":{"content":{"application/json":{"schema":{"type":"object","properties":{"code":{"type":"integer","example":1001}}}}}}}}}}}`

const page = `Get User
Scopes: user:read
Example Output
{"email": "a@example.com", "pmi": 1}
Some code: try { call(); } and a request body:
{"action": "create"}
GET
/users/{userId}/settings
200 - response
{
  "feature": {"meeting_capacity": 100}
}
userSettings($user_id): Model
... you will get a response similar to the following:<br> { "schedule_meeting": { "host_video": false } } <br>
`

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExtract(t *testing.T) {
	seeds, ref := t.TempDir(), t.TempDir()
	write(t, seeds, "007_abc.txt", page)
	write(t, ref, "zoom-api-2031-users.json", spec)
	files, err := Extract(seeds, ref)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var names []string
	for _, f := range files {
		got[f.Name] = string(f.Body)
		names = append(names, f.Name)
	}
	want := []string{
		"seed-007.user.json",           // named by the page title
		"seed-007.userSettings.2.json", // by the SDK heading, after the first by method and path
		"seed-007.userSettings.json",
		"zoom2031.user.json",
		"zoom2031.userSettings.2.json", // the second variant of the oneOf
		"zoom2031.userSettings.json",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("files = %v, want %v", names, want)
	}
	if got["seed-007.user.json"] != "{\"email\": \"a@example.com\", \"pmi\": 1}\n" {
		t.Errorf("the body is not copied as it stands: %q", got["seed-007.user.json"])
	}
	if !strings.Contains(got["seed-007.userSettings.2.json"], `"host_video": false`) {
		t.Errorf("inline example = %q", got["seed-007.userSettings.2.json"])
	}
	for name, body := range got {
		if strings.Contains(body, `"action"`) {
			t.Errorf("%s holds the request body, which no response lead-in introduces", name)
		}
	}
	// Property examples assembled, allOf merged, undocumented-example properties left
	// out, numbers kept exact, error answers skipped.
	want2025 := "{\n  \"custom_attributes\": [\n    {\n      \"key\": \"k\"\n    }\n  ],\n  \"id\": \"u1\",\n  \"pmi\": 3542471135\n}\n"
	if got["zoom2031.user.json"] != want2025 {
		t.Errorf("assembled example = %q, want %q", got["zoom2031.user.json"], want2025)
	}
	if !strings.Contains(got["zoom2031.userSettings.2.json"], `"waiting_room": true`) {
		t.Errorf("second variant = %q", got["zoom2031.userSettings.2.json"])
	}

	// Write replaces extracted files and keeps hand-written ones.
	out := t.TempDir()
	write(t, out, "drift.user.case.json", "{}")
	write(t, out, "seed-999.user.json", "{}")
	if err := Write(out, files); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(out)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if !slices.Contains(left, "drift.user.case.json") || slices.Contains(left, "seed-999.user.json") || len(left) != len(files)+1 {
		t.Errorf("after Write: %v", left)
	}
}

func TestIntact(t *testing.T) {
	pmi := int64(3542471135)
	email := "a@example.com"
	yes := true
	body := []byte(`{"email":"a@example.com","pmi":"3542471135","use_pmi":true,"extra":1,"custom_attributes":[{"key":"k"},"x"]}`)
	full := &gen.User{Email: &email, PMI: &pmi, UsePMI: &yes, CustomAttributes: &[]gen.CustomAttribute{{Key: zoomusers.Ptr("k")}}}
	drifts := []zoomusers.Drift{
		{Path: "pmi", Action: zoomusers.DriftCoerced},
		{Path: "custom_attributes[1]", Action: zoomusers.DriftDropped},
	}
	if p := Intact(body, "", full, drifts); len(p) != 0 {
		t.Errorf("a faithful decoding has problems: %v", p)
	}
	tests := []struct {
		name   string
		user   gen.User
		drifts []zoomusers.Drift
		want   string
	}{
		{"a value lost without a drift", gen.User{Email: &email, PMI: &pmi, CustomAttributes: full.CustomAttributes}, drifts, "use_pmi: true arrived"},
		{"a value changed", gen.User{Email: zoomusers.Ptr("b@example.com"), PMI: &pmi, UsePMI: &yes, CustomAttributes: full.CustomAttributes}, drifts, `email: "a@example.com" read as "b@example.com"`},
		{"a coercion not reported", *full, drifts[1:], `pmi: "3542471135" read as 3542471135`},
		{"a dropped value that reads as false", *full, append(slices.Clone(drifts), zoomusers.Drift{Path: "use_pmi", Action: zoomusers.DriftDropped}), "use_pmi: reported dropped, yet reads as true"},
		{"an element lost without a drift", *full, drifts[:1], `custom_attributes[1]: "x" missing from the array`},
	}
	for _, tt := range tests {
		p := Intact(body, "", &tt.user, tt.drifts)
		if !slices.ContainsFunc(p, func(s string) bool { return strings.HasPrefix(s, tt.want) }) {
			t.Errorf("%s: problems %q, want one starting %q", tt.name, p, tt.want)
		}
	}
	// A listing's users, compared where they sit.
	list := []byte(`{"users":[{"email":"a@example.com"}],"page_size":30}`)
	if p := Intact(list, "users", []gen.User{{Email: &email}}, nil); len(p) != 0 {
		t.Errorf("users: %v", p)
	}
	if p := Intact(list, "users", []gen.User{}, nil); len(p) == 0 {
		t.Error("a lost user went unnoticed")
	}
}
