package zoomusers

import (
	"context"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
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

// TestDoctorHelpersAreNotPublic: the answer survey serves only `zoomusers doctor`
// (internal/decoding); the library's public API hands out Undeclared and no more of it.
func TestDoctorHelpersAreNotPublic(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for name := range f.Scope.Objects {
			declared[name] = true
		}
	}
	if !declared["Undeclared"] || !declared["UndeclaredKey"] {
		t.Error("Undeclared is no longer public")
	}
	for _, name := range []string{"SurveyAnswer", "AnswerSurvey", "DeclaredFields", "DeclaredParent"} {
		if declared[name] {
			t.Errorf("zoomusers.%s is public; it belongs to the doctor (internal/decoding)", name)
		}
	}
}
