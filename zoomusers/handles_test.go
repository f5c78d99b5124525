package zoomusers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// These tests run the handles against zoomtest, the fake Zoom, and read its state back.

func fakeClient(t *testing.T, srv *zoomtest.Server, opts ...zoomusers.Option) *zoomusers.Client {
	t.Helper()
	c, err := zoomusers.New(append(srv.ClientOptions(), opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every read hands Zoom's failure back rather than an empty value.
func TestReadsReturnZoomsFailure(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := fakeClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	u := c.User("u0@example.com")
	ctx := context.Background()
	for op, read := range map[zoomusers.OperationID]func() error{
		zoomusers.OpUserEmail:                func() error { _, err := c.EmailExists(ctx, "u0@example.com"); return err },
		zoomusers.OpUserVanityName:           func() error { _, err := c.VanityNameExists(ctx, "room"); return err },
		zoomusers.OpUserPermission:           func() error { _, err := u.Permissions(ctx); return err },
		zoomusers.OpUserAssistants:           func() error { _, err := u.Assistants(ctx); return err },
		zoomusers.OpUserSchedulers:           func() error { _, err := u.Schedulers(ctx); return err },
		zoomusers.OpListCollaborationDevices: func() error { _, err := u.CollaborationDevices(ctx); return err },
		zoomusers.OpUserToken:                func() error { _, err := u.Token(ctx, nil); return err },
		zoomusers.OpUserZak:                  func() error { _, err := c.Me().ZAK(ctx); return err },
	} {
		if err := read(); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if err := srv.Inject(op, 1, zoomtest.Fault{Status: 500}); err != nil {
			t.Fatal(err)
		}
		var zerr *zoomusers.Error
		if err := read(); !errors.As(err, &zerr) || zerr.StatusCode != 500 {
			t.Errorf("%s after a 500: %v, want the error", op, err)
		}
	}
}

func TestExistenceChecks(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	if err := c.User("u0@example.com").Update(ctx, zoomusers.UserUpdate{VanityName: zoomusers.Ptr("u0.room")}, nil); err != nil {
		t.Fatal(err)
	}
	for email, want := range map[string]bool{"u0@example.com": true, "U0@Example.com": true, "nobody@example.com": false} {
		if got, err := c.EmailExists(ctx, email); err != nil || got != want {
			t.Errorf("EmailExists(%s) = %v, %v; want %v", email, got, err, want)
		}
	}
	for name, want := range map[string]bool{"u0.room": true, "other.room": false} {
		if got, err := c.VanityNameExists(ctx, name); err != nil || got != want {
			t.Errorf("VanityNameExists(%s) = %v, %v; want %v", name, got, err, want)
		}
	}
}

func TestSettingsCustomQueryFields(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	u := fakeClient(t, srv).User("u0@example.com")
	ctx := context.Background()
	all, err := u.Settings(ctx, &zoomusers.SettingsParams{})
	if err != nil || all.ScheduleMeeting == nil || all.InMeeting == nil || all.Recording == nil {
		t.Errorf("settings without custom_query_fields: %+v, %v", all, err)
	}
	some, err := u.Settings(ctx, &zoomusers.SettingsParams{CustomQueryFields: "host_video,auto_recording"})
	if err != nil || some.ScheduleMeeting == nil || some.ScheduleMeeting.HostVideo == nil || some.Recording == nil || some.InMeeting != nil || some.ScheduleMeeting.AudioType != nil {
		t.Errorf("settings with custom_query_fields: %+v, %v", some, err)
	}
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

var png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{3}, 6000)...)

// An upload sends the reader's bytes from where it stands, and the fake receives exactly
// those; a seekable reader's length is known, and a file of exactly the limit passes.
func TestUploadsArriveWhole(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	u := fakeClient(t, srv).User("u0@example.com")
	ctx := context.Background()

	prefixed := append([]byte("skip me: not part of the file"), png...)
	r := bytes.NewReader(prefixed)
	r.Seek(int64(len(prefixed)-len(png)), io.SeekStart)
	if err := u.UploadPicture(ctx, "me.png", r); err != nil {
		t.Fatal(err)
	}
	if st, _ := srv.UserState("u0@example.com"); st.Picture == nil || st.Picture.Size != int64(len(png)) || st.Picture.SHA256 != sha(png) {
		t.Errorf("picture from a reader part-way in: %+v", st.Picture)
	}

	exact := append(bytes.Clone(png[:16]), make([]byte, 2<<20-16)...) // 2 MB, Zoom's limit
	if err := u.UploadPicture(ctx, "big.png", bytes.NewReader(exact)); err != nil {
		t.Fatalf("a picture of exactly 2 MB: %v", err)
	}
	if st, _ := srv.UserState("u0@example.com"); st.Picture.Size != 2<<20 || st.Picture.SHA256 != sha(exact) {
		t.Errorf("2 MB picture kept as %+v", st.Picture)
	}
	if err := u.UploadPicture(ctx, "big.png", bytes.NewReader(append(exact, 0))); !errors.Is(err, zoomusers.ErrFileTooLarge) {
		t.Errorf("a picture one byte over 2 MB: %v", err)
	}
}

// A per-second 429 is retried when the body can be sent again (a seekable file), and
// given back when it cannot (a stream already consumed).
func TestUploadRetriesOnlyWhatCanBeResent(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	u := fakeClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.DefaultRetryPolicy{BaseDelay: time.Millisecond})).User("u0@example.com")
	ctx := context.Background()

	if err := srv.Inject(zoomusers.OpUserPicture, 1, zoomtest.Fault{Status: 429}); err != nil {
		t.Fatal(err)
	}
	stream := io.MultiReader(bytes.NewReader(png)) // not an io.Seeker
	if err := u.UploadPicture(ctx, "me.png", stream); !errors.Is(err, zoomusers.ErrRateLimited) || srv.Requests(zoomusers.OpUserPicture) != 0 {
		t.Errorf("a streamed upload after a 429: %v, %d applied; want the 429 back", err, srv.Requests(zoomusers.OpUserPicture))
	}
	if err := srv.Inject(zoomusers.OpUserPicture, 1, zoomtest.Fault{Status: 429}); err != nil {
		t.Fatal(err)
	}
	if err := u.UploadPicture(ctx, "me.png", bytes.NewReader(png)); err != nil {
		t.Errorf("a seekable upload after a 429: %v", err)
	}
	if st, _ := srv.UserState("u0@example.com"); st.Picture == nil || st.Picture.SHA256 != sha(png) {
		t.Errorf("the retried upload arrived as %+v", st.Picture)
	}
}

func TestExpiredPageTokenNamesThePage(t *testing.T) {
	now := time.Now()
	srv := zoomtest.NewServer(zoomtest.WithUsers(9), zoomtest.WithClock(func() time.Time { return now }), zoomtest.WithTokenLifetime(24*time.Hour), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := fakeClient(t, srv)
	pages := 0
	var err error
	for _, err = range c.ListUsers(context.Background(), &zoomusers.ListUsersParams{PageSize: 3}).Pages() {
		if err != nil {
			break
		}
		pages++
		if pages == 2 {
			now = now.Add(16 * time.Minute)
		}
	}
	if pages != 2 || !errors.Is(err, zoomusers.ErrPageTokenExpired) || !strings.Contains(err.Error(), "page 3") {
		t.Errorf("after %d pages: %v, want the token for page 3 expired", pages, err)
	}
}

// A user OAuth token handed to WithUserOAuth is used while it has more than a minute
// left; otherwise it is refreshed first.
func TestUserOAuthUsesTheInitialTokenWhileFresh(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	srv.SeedUsers("jill@example.com")
	cfg := &oauth2.Config{ClientID: zoomtest.ClientID, ClientSecret: zoomtest.ClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}}
	for left, refreshes := range map[time.Duration]int64{2 * time.Hour: 0, 30 * time.Second: 1} {
		tok, err := cfg.Exchange(context.Background(), srv.AuthorizeUser("jill@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		tok.Expiry = time.Now().Add(left)
		var tokenRequests atomic.Int64
		hc := &http.Client{Transport: countTokenRequests{srv.TokenURL(), &tokenRequests}}
		c := fakeClient(t, srv, zoomusers.WithHTTPClient(hc), zoomusers.WithUserOAuth(cfg, tok, func(context.Context, *oauth2.Token) error { return nil }))
		if me, err := c.Me().Get(context.Background(), nil); err != nil || *me.Email != "jill@example.com" {
			t.Fatalf("me: %+v, %v", me, err)
		}
		if n := tokenRequests.Load(); n != refreshes {
			t.Errorf("an initial token with %v left: %d token requests, want %d", left, n, refreshes)
		}
	}
}

type countTokenRequests struct {
	tokenURL string
	n        *atomic.Int64
}

func (c countTokenRequests) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.String() == c.tokenURL {
		c.n.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}
