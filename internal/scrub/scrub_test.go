package scrub

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestScrubKeepsShapeNotData: personal values are gone, their fakes keep length and
// character classes, codes and flags stay, repeated keys stay, and one value gets one fake.
func TestScrubKeepsShapeNotData(t *testing.T) {
	in := []byte(`{"id":"KDcuGIm1QgePTO8WbOqwIQ","email":"jill.chill@acme.io","first_name":"Jill","pmi":3542471135,
"type":2,"status":"active","verified":1,"phone_number":"+1 800 555 0199","custom_attributes":[{"key":"cbf_x","name":"Badge","value":"B-77"}],
"audio_type":"third_party","pmi":"3542471135","host_video":true,"users":[{"id":"KDcuGIm1QgePTO8WbOqwIQ"}],"note":"Hello Jill"}`)
	s := New()
	out, err := s.JSON(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"KDcuGIm1QgePTO8WbOqwIQ", "jill", "Jill", "3542471135", "555 0199", "B-77", "Badge", "acme", "Hello"} {
		if bytes.Contains(out, []byte(secret)) {
			t.Errorf("%q survived:\n%s", secret, out)
		}
	}
	for _, kept := range []string{`"type": 2`, `"status": "active"`, `"audio_type": "third_party"`, `"host_video": true`, `"verified": 1`} {
		if !bytes.Contains(out, []byte(kept)) {
			t.Errorf("%s lost:\n%s", kept, out)
		}
	}
	if n := bytes.Count(out, []byte(`"pmi"`)); n != 2 {
		t.Errorf("repeated key: %d pmi keys, want 2", n)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	email := v["email"].(string)
	if len(email) != len("jill.chill@acme.io") || !strings.Contains(email, "@") || strings.Index(email, "@") != 10 {
		t.Errorf("email fake %q lost its shape", email)
	}
	if id, inner := v["id"], v["users"].([]any)[0].(map[string]any)["id"]; id != inner {
		t.Errorf("one ID, two fakes: %v %v", id, inner)
	}
	if pmi, ok := v["pmi"].(string); !ok || len(pmi) != 10 || pmi[0] == '0' {
		t.Errorf("pmi string %v: want a string of 10 digits", v["pmi"])
	}
	if _, err := s.JSON([]byte(`{"a":`)); err == nil {
		t.Error("invalid JSON accepted")
	}
}
