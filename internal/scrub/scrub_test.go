package scrub

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
)

var userModel = reflect.TypeFor[*gen.User]()

// TestScrubKeepsShapeNotData: personal values are gone, whatever their key and however
// code-like they look (lower-case handles, short digit strings, numbers under any key,
// floats, custom attribute names, a person's name as a key); their fakes keep length,
// character classes and JSON type; the spec's enum values, flags, the listing's counters
// and repeated keys stay; one value gets one fake.
func TestScrubKeepsShapeNotData(t *testing.T) {
	in := []byte(`{"id":"KDcuGIm1QgePTO8WbOqwIQ","email":"jill.chill@acme.io","first_name":"Jill","pmi":3542471135,
"type":2,"status":"active","verified":1,"login_types":[101],"phone_number":"+1 800 555 0199","custom_attributes":[{"key":"cbf_x","name":"Badge","value":"B-77"}],
"pmi":"3542471135","host_video":true,"users":[{"id":"KDcuGIm1QgePTO8WbOqwIQ"}],"note":"Hello Jill",
"handle":"carol_smith","room":"dave","employee":4155550100,"phone":1.4155550100e10,"dept":"ops",
"managers":{"Jane Doe":{"since":"2019"}},"created_at":"2019-03-07T10:11:12Z","page_size":30,"total_records":2}`)
	s := New()
	out, err := s.JSON(in, userModel)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"KDcuGIm1QgePTO8WbOqwIQ", "jill", "Jill", "3542471135", "555 0199", "B-77", "Badge", "acme", "Hello",
		"carol_smith", "dave", "4155550100", "4155550100e10", "\"ops\"", "Jane Doe", "2019", "cbf_x"} {
		if bytes.Contains(out, []byte(secret)) {
			t.Errorf("%q survived:\n%s", secret, out)
		}
	}
	for _, kept := range []string{`"type": 2`, `"status": "active"`, `"host_video": true`, `"login_types": [`, `101`, `"page_size": 30`, `"total_records": 2`,
		`"handle":`, `"room":`, `"managers":`, `"custom_attributes":`} {
		if !bytes.Contains(out, []byte(kept)) {
			t.Errorf("%s lost:\n%s", kept, out)
		}
	}
	if n := bytes.Count(out, []byte(`"pmi"`)); n != 2 {
		t.Errorf("repeated key: %d pmi keys, want 2", n)
	}
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	email := v["email"].(string)
	if len(email) != len("jill.chill@acme.io") || strings.Index(email, "@") != 10 {
		t.Errorf("email fake %q lost its shape", email)
	}
	if id, inner := v["id"], v["users"].([]any)[0].(map[string]any)["id"]; id != inner {
		t.Errorf("one ID, two fakes: %v %v", id, inner)
	}
	if pmi, ok := v["pmi"].(string); !ok || len(pmi) != 10 || pmi[0] == '0' {
		t.Errorf("pmi string %v: want a string of 10 digits", v["pmi"])
	}
	if h, ok := v["handle"].(string); !ok || len(h) != len("carol_smith") || h[5] != '_' {
		t.Errorf("handle fake %v lost its shape", v["handle"])
	}
	if n, ok := v["employee"].(json.Number); !ok || len(n) != 10 || strings.ContainsAny(string(n), ".e") {
		t.Errorf("employee %v: want an integer of 10 digits", v["employee"])
	}
	if n, ok := v["phone"].(json.Number); !ok || len(n) != len("1.4155550100e10") || !strings.HasSuffix(string(n), "e10") || n[1] != '.' {
		t.Errorf("phone %v: want a float of the same form", v["phone"])
	}
	if ts, err := time.Parse(time.RFC3339, v["created_at"].(string)); err != nil || ts.Year() == 2019 {
		t.Errorf("created_at %v: want another valid timestamp (%v)", v["created_at"], err)
	}
	if _, err := s.JSON([]byte(`{"a":`), userModel); err == nil {
		t.Error("invalid JSON accepted")
	}
}

// TestScrubCustomAttributesAsAMap: Zoom's drift sends custom attributes as one object;
// sent as a map of the account's own attribute names, both the names and the values
// are replaced, while Zoom's own keys elsewhere keep their names.
func TestScrubCustomAttributesAsAMap(t *testing.T) {
	s := New()
	out, err := s.JSON([]byte(`{"custom_attributes":{"employee":"jsmith","badge":"482913","Jane Doe":"x"},"zoom_new_section":{"enable_it":"room42"}}`), userModel)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"employee", "jsmith", "badge", "482913", "Jane Doe", "room42"} {
		if bytes.Contains(out, []byte(secret)) {
			t.Errorf("%q survived:\n%s", secret, out)
		}
	}
	for _, kept := range []string{`"zoom_new_section"`, `"enable_it"`} {
		if !bytes.Contains(out, []byte(kept)) {
			t.Errorf("%s lost:\n%s", kept, out)
		}
	}
}

// TestScrubValueAndPath: a value and a path quoted by the doctor's report are scrubbed
// as they are in the answer they came from, with the same fakes.
func TestScrubValueAndPath(t *testing.T) {
	s := New()
	body, err := s.JSON([]byte(`{"email":"owner@example.com","custom_attributes":[{"value":"CC-fakeUser000001"}]}`), userModel)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Value([]byte(`"owner@example.com"`), userModel, "email")
	if err != nil || bytes.Contains(v, []byte("owner")) || !bytes.Contains(body, v) {
		t.Errorf("email value %s (%v) is not the answer's fake:\n%s", v, err, body)
	}
	v, err = s.Value([]byte(`{"key":"k","value":"CC-fakeUser000001"}`), userModel, "custom_attributes[2]")
	if err != nil || bytes.Contains(v, []byte("fakeUser")) || !bytes.Contains(v, []byte(`"key":`)) {
		t.Errorf("custom attribute %s (%v)", v, err)
	}
	v, err = s.Value([]byte(`"active"`), userModel, "status")
	if err != nil || string(v) != `"active"` {
		t.Errorf("an enum value: %s (%v)", v, err)
	}
	for path, want := range map[string]string{"users[1].pmi": "users[1].pmi", "in_meeting.new_key": "in_meeting.new_key"} {
		if got := s.Path(userModel, path); got != want {
			t.Errorf("Path(%s) = %s", path, got)
		}
	}
	for _, path := range []string{`custom_attributes.employee`, `managers["Jane Doe"].since`} {
		got := s.Path(userModel, path)
		if strings.Contains(got, "employee") || strings.Contains(got, "Jane Doe") || len(got) != len(path) {
			t.Errorf("Path(%s) = %s", path, got)
		}
	}
}
