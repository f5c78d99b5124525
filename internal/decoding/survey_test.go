package decoding

import (
	"reflect"
	"slices"
	"testing"

	"github.com/zoomkit/go-zoomusers/gen"
)

// TestInspect: declared fields present are listed by declared path, enum values the
// spec does not list are found, and a declared field is among Declared; Enums lists
// the enum paths and nothing else.
func TestInspect(t *testing.T) {
	body := []byte(`{"id":"x","type":7,"pmi":"3000000001","custom_attributes":{"key":"k","extra":1},"status":"active"}`)
	model := reflect.TypeFor[*gen.User]()
	s, err := Inspect(body, model)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"custom_attributes", "custom_attributes[].key", "id", "pmi", "status", "type"}; !slices.Equal(s.Seen, want) {
		t.Errorf("seen = %q, want %q", s.Seen, want)
	}
	if len(s.OutsideEnum) != 1 || s.OutsideEnum[0].Path != "type" || string(s.OutsideEnum[0].Value) != "7" {
		t.Errorf("outside enum = %s, want type 7", s.OutsideEnum)
	}
	// One object where an array is declared is walked as its element (drift).
	if len(s.Undeclared) != 1 || s.Undeclared[0].Path != "custom_attributes.extra" {
		t.Errorf("undeclared = %s", s.Undeclared)
	}
	declared := Declared(model)
	for _, p := range append(s.Seen, "custom_attributes[].value", "license_info_list[].license_option") {
		if !slices.Contains(declared, p) {
			t.Errorf("Declared lacks %s", p)
		}
	}
	enums := Enums(model)
	for _, p := range []string{"type", "status", "login_types"} {
		if !slices.Contains(enums, p) {
			t.Errorf("Enums lacks %s: %q", p, enums)
		}
	}
	for _, p := range []string{"id", "email", "pmi", "custom_attributes[].value", "first_name"} {
		if slices.Contains(enums, p) {
			t.Errorf("Enums holds %s, which is no enum", p)
		}
	}
	if Parent("users[].custom_attributes[].key") != "users[].custom_attributes" || Parent("id") != "" {
		t.Error("Parent")
	}
	if _, err := Inspect([]byte(`{"id":`), model); err == nil {
		t.Error("a body that is not JSON: no error")
	}
}
