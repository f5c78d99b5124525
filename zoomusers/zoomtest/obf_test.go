package zoomtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// TestOnBehalfToken is the whole OBF flow: a user authorizes the app (user-level OAuth
// against the fake's token endpoint), then the app gets an OBF token for a meeting; and
// the refusals: no meeting ID, another user, a Server-to-Server token.
func TestOnBehalfToken(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(2), zoomtest.WithoutRateLimits())
	defer srv.Close()
	ctx := context.Background()
	user := userClient(t, srv, "u0@example.com")
	id := func(email string) string {
		st, _ := srv.UserState(email)
		return st.Profile.GetID()
	}

	tok, err := user.Me().OnBehalfToken(ctx, "81234567890")
	if want := "onbehalf-" + id("u0@example.com") + "-81234567890"; err != nil || tok != want {
		t.Errorf("OnBehalfToken = %q, %v; want %q", tok, err, want)
	}
	code := func(err error) int {
		var zerr *zoomusers.Error
		if errors.As(err, &zerr) {
			return zerr.Code
		}
		return -1
	}
	if _, err := user.Me().OnBehalfToken(ctx, ""); !errors.Is(err, zoomusers.ErrInvalidUserID) {
		t.Errorf("empty meeting ID: %v, want a refusal before any request", err)
	}
	typ := zoomusers.TokenTypeOnBehalf
	if _, err := user.User("me").Token(ctx, &zoomusers.TokenParams{Type: typ}); code(err) != 300 {
		t.Errorf("OBF without meeting_id: %v, want code 300", err)
	}
	if _, err := user.User("u1@example.com").Token(ctx, &zoomusers.TokenParams{Type: typ}); code(err) != 200 {
		t.Errorf("OBF for another user: %v, want code 200", err)
	}
	admin := newClient(t, srv) // Server-to-Server
	if _, err := admin.Me().OnBehalfToken(ctx, "81234567890"); code(err) != 4711 {
		t.Errorf("OBF under a Server-to-Server token: %v, want code 4711", err)
	}
	// The other types stay open to Server-to-Server tokens; ttl with them is ignored.
	if tok, err := admin.User("u1@example.com").Token(ctx, &zoomusers.TokenParams{Type: zoomusers.TokenTypeToken, TTL: 60}); err != nil || tok != "token-"+id("u1@example.com") {
		t.Errorf("SDK token with ttl: %q, %v", tok, err)
	}
}
