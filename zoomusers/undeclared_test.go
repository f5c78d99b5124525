package zoomusers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// TestUndeclaredThroughTheClient: keys newer than the spec, top-level, nested and in
// the users of a page, reach the caller through WithResponseInto and Undeclared, with
// their values as sent; declared keys are not among them.
func TestUndeclaredThroughTheClient(t *testing.T) {
	f := newFakeZoom(t, nil)
	f.api = f.authenticated(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v2/users/u1":
			fmt.Fprint(w, `{"id":"u1","type":2,"email":"a@example.com","division_codes":["d-7"],
				"custom_attributes":[{"key":"k","name":"n","value":"v","visibility":"admins"}],"type_v2":{"a":1}}`)
		case "/v2/users":
			fmt.Fprint(w, `{"page_size":2,"users":[{"id":"a","type":1},{"id":"b","type":1,"newer":12345678901234567}],"region_hint":"eu"}`)
		}
	})
	c := f.client()
	ctx := context.Background()
	var resp Response
	u, err := c.User("u1").Get(ctx, nil, WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Undeclared(resp.Body, u)
	if err != nil {
		t.Fatal(err)
	}
	want := []UndeclaredKey{
		{"division_codes", json.RawMessage(`["d-7"]`)},
		{"custom_attributes[0].visibility", json.RawMessage(`"admins"`)},
		{"type_v2", json.RawMessage(`{"a":1}`)},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("user: got %s\nwant %s", got, want)
	}
	for page, err := range c.ListUsers(ctx, nil, WithResponseInto(&resp)).Pages() {
		if err != nil {
			t.Fatal(err)
		}
		got, err := Undeclared(resp.Body, page)
		if err != nil {
			t.Fatal(err)
		}
		want := []UndeclaredKey{{"users[1].newer", json.RawMessage(`12345678901234567`)}, {"region_hint", json.RawMessage(`"eu"`)}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("page: got %s\nwant %s", got, want)
		}
		break
	}
	if _, err := Undeclared([]byte(`{"id":`), u); err == nil {
		t.Error("a body that is not JSON: no error")
	}
	if _, err := Undeclared(resp.Body, *u); err == nil {
		t.Error("a model that is not a pointer: no error")
	}
}

// TestSurveyAnswer: declared fields present are listed by declared path, enum values the
// spec does not list are found, and a declared field is among DeclaredFields.
func TestSurveyAnswer(t *testing.T) {
	body := []byte(`{"id":"x","type":7,"pmi":"3000000001","custom_attributes":{"key":"k","extra":1},"status":"active"}`)
	var u User
	s, err := SurveyAnswer(body, &u)
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
	declared := DeclaredFields(&u)
	for _, p := range append(s.Seen, "custom_attributes[].value", "license_info_list[].license_option") {
		if !slices.Contains(declared, p) {
			t.Errorf("DeclaredFields lacks %s", p)
		}
	}
	if DeclaredParent("users[].custom_attributes[].key") != "users[].custom_attributes" || DeclaredParent("id") != "" {
		t.Error("DeclaredParent")
	}
}

// TestTokenInfo: the region and the granted scopes come from the token answer.
func TestTokenInfo(t *testing.T) {
	f := newFakeZoom(t, nil)
	f.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"t","token_type":"bearer","expires_in":3600,"scope":"user:read:admin user:read:list_users:admin","api_url":"https://eu01api-www4local.zoom.us"}`)
	}
	info, err := f.client().TokenInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.APIURL != "https://eu01api-www4local.zoom.us" || !slices.Equal(info.Scopes, []string{"user:read:admin", "user:read:list_users:admin"}) || info.Expiry.IsZero() {
		t.Errorf("%+v", info)
	}
}
