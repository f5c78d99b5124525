package zoomusers

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

func TestUserIDsArePathEscaped(t *testing.T) {
	var gotPath, gotRaw string
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotRaw = r.URL.Path, r.URL.EscapedPath()
		okUser(w, r)
	})
	c := f.client()
	tests := map[string]string{
		"a+b@example.com": "/v2/users/a+b@example.com",
		"me":              "/v2/users/me",
		"a/b":             "/v2/users/a/b",
		"x y%z?#":         "/v2/users/x y%z?#",
	}
	for id, want := range tests {
		if _, err := c.User(id).Get(context.Background(), nil); err != nil {
			t.Fatalf("%q: %v", id, err)
		}
		if gotPath != want {
			t.Errorf("User(%q) reached %q (raw %q), want %q", id, gotPath, gotRaw, want)
		}
		if id == "a/b" && gotRaw != "/v2/users/a%2Fb" {
			t.Errorf("a slash in an ID must stay inside the segment: raw path %q", gotRaw)
		}
	}
	if _, err := c.Me().Get(context.Background(), nil); err != nil || gotPath != "/v2/users/me" {
		t.Errorf("Me() reached %q: %v", gotPath, err)
	}
}

func TestInvalidIDsFailBeforeAnyRequest(t *testing.T) {
	f := newFakeZoom(t, okUser)
	c := f.client()
	ctx := context.Background()
	for _, id := range []string{"", ".", "..", "a\nb", "tab\there", "nul\x00", "bad\xffutf8"} {
		if _, err := c.User(id).Get(ctx, nil); !errors.Is(err, ErrInvalidUserID) {
			t.Errorf("User(%q).Get: err = %v, want ErrInvalidUserID", id, err)
		}
		if err := c.User(id).Delete(ctx, nil); !errors.Is(err, ErrInvalidUserID) {
			t.Errorf("User(%q).Delete: err = %v, want ErrInvalidUserID", id, err)
		}
		if err := c.User("u1").DeleteAssistant(ctx, id); !errors.Is(err, ErrInvalidUserID) {
			t.Errorf("DeleteAssistant(%q): err = %v, want ErrInvalidUserID", id, err)
		}
		if err := c.User("u1").SwitchAccount(ctx, id, "to"); !errors.Is(err, ErrInvalidUserID) {
			t.Errorf("SwitchAccount(%q): err = %v, want ErrInvalidUserID", id, err)
		}
	}
	if n := f.apiRequests.Load() + f.tokenRequests.Load(); n != 0 {
		t.Errorf("%d requests were sent for invalid IDs", n)
	}
}
