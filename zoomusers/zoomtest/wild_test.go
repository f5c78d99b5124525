package zoomtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// driftLog collects a client's drift reports.
type driftLog struct {
	mu     sync.Mutex
	drifts []zoomusers.Drift
}

func (l *driftLog) handle(_ context.Context, d zoomusers.Drift) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drifts = append(l.drifts, d)
}

// take returns the drifts so far as "operation action path" and forgets them.
func (l *driftLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, d := range l.drifts {
		out = append(out, fmt.Sprintf("%s %s %s", d.Operation, d.Action, d.Path))
	}
	l.drifts = nil
	return out
}

func wildPair(t *testing.T) (wild, tame *zoomusers.Client, log *driftLog, srv *zoomtest.Server) {
	t.Helper()
	srv = zoomtest.NewServer(zoomtest.WithUsers(5), zoomtest.WithWildAnswers(), zoomtest.WithoutRateLimits())
	t.Cleanup(srv.Close)
	plain := zoomtest.NewServer(zoomtest.WithUsers(5), zoomtest.WithoutRateLimits())
	t.Cleanup(plain.Close)
	log = &driftLog{}
	quiet := zoomusers.WithLogger(slog.New(slog.DiscardHandler))
	wild = newClient(t, srv, zoomusers.WithDriftHandler(log.handle), quiet)
	tameLog := &driftLog{}
	tame = newClient(t, plain, zoomusers.WithDriftHandler(tameLog.handle), quiet)
	t.Cleanup(func() {
		if d := tameLog.take(); len(d) > 0 {
			t.Errorf("the fake without WithWildAnswers drifted: %v", d)
		}
	})
	return wild, tame, log, srv
}

func TestWildAnswersListUsers(t *testing.T) {
	wild, tame, log, _ := wildPair(t)
	ctx := context.Background()
	list := func(c *zoomusers.Client) []zoomusers.User {
		var users []zoomusers.User
		for u, err := range c.ListUsers(ctx, &zoomusers.ListUsersParams{PageSize: 4}).All() {
			if err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		return users
	}
	got, want := list(wild), list(tame)
	if len(got) != 6 || len(got) != len(want) {
		t.Fatalf("%d users from the wild fake, %d from the plain one; want 6 each", len(got), len(want))
	}
	for i := range want {
		if *got[i].Email != *want[i].Email || *got[i].PMI != *want[i].PMI || *got[i].ID != *want[i].ID || got[i].Type != want[i].Type {
			t.Errorf("user %d: %s %d, want %s %d", i, *got[i].Email, *got[i].PMI, *want[i].Email, *want[i].PMI)
		}
	}
	// Two pages of 4 and 2: odd positions of each carry pmi as a string, the first user
	// of each repeats its email.
	wantDrifts := []string{
		"users coerced users[1].pmi", "users coerced users[3].pmi", "users dropped users[0].email",
		"users coerced users[1].pmi", "users dropped users[0].email",
	}
	if got := log.take(); !sameSet(got, wantDrifts) {
		t.Errorf("drifts = %q, want %q", got, wantDrifts)
	}

	// With include_fields=custom_attributes, each user's attributes come as one object.
	for u, err := range wild.ListUsers(ctx, &zoomusers.ListUsersParams{IncludeFields: "custom_attributes", PageSize: 2}).All() {
		if err != nil {
			t.Fatal(err)
		}
		attrs := *u.CustomAttributes
		if len(attrs) != 1 || *attrs[0].Key != "cbf_wild_cost_center" || *attrs[0].Value != "CC-"+*u.ID {
			t.Errorf("%s: custom attributes %+v", *u.Email, attrs)
		}
	}
	if got := log.take(); len(got) != 6+3+3 { // an attribute per user, pmi at odd positions, a repeated email per page
		t.Errorf("%d drifts with custom attributes: %q", len(got), got)
	}
}

func TestWildAnswersGetUserSettingsAndUploads(t *testing.T) {
	wild, tame, log, _ := wildPair(t)
	ctx := context.Background()

	got, err := wild.User(zoomtest.OwnerEmail).Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tame.User(zoomtest.OwnerEmail).Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.PMI != *want.PMI || *got.Email != *want.Email || *got.Status != *want.Status {
		t.Errorf("user = %d %s %s, want %d %s %s", *got.PMI, *got.Email, *got.Status, *want.PMI, *want.Email, *want.Status)
	}
	if attrs := *got.CustomAttributes; len(attrs) != 1 || *attrs[0].Name != "Cost center" || *attrs[0].Value != "CC-"+*want.ID {
		t.Errorf("custom attributes = %+v", attrs)
	}
	if d := log.take(); !slices.Equal(d, []string{"user coerced pmi", "user dropped status", "user coerced custom_attributes"}) {
		t.Errorf("get user drifts = %q", d)
	}

	gs, err := wild.User(zoomtest.OwnerEmail).Settings(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := tame.User(zoomtest.OwnerEmail).Settings(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *gs.ScheduleMeeting.HostVideo != *ws.ScheduleMeeting.HostVideo || *gs.InMeeting.Chat != *ws.InMeeting.Chat ||
		*gs.Feature.MeetingCapacity != *ws.Feature.MeetingCapacity || *gs.Profile.RecordingStorageLocation.Value != "US" {
		t.Errorf("settings differ from the plain fake's: %+v vs %+v", gs, ws)
	}
	if d := log.take(); !slices.Equal(d, []string{"userSettings dropped schedule_meeting.host_video"}) {
		t.Errorf("settings drifts = %q", d)
	}
	// A variant or a field selection is answered as the spec says.
	if _, err := wild.User(zoomtest.OwnerEmail).MeetingSecurity(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := wild.User(zoomtest.OwnerEmail).Settings(ctx, &zoomusers.SettingsParams{CustomQueryFields: "host_video"}); err != nil {
		t.Fatal(err)
	}
	if d := log.take(); len(d) != 0 {
		t.Errorf("variant drifts = %q", d)
	}

	jpeg := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte("x"), 1000)...)
	f, err := wild.User(zoomtest.OwnerEmail).UploadVirtualBackground(ctx, "office.jpg", bytes.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	if *f.Size != len(jpeg) {
		t.Errorf("size = %d, want %d", *f.Size, len(jpeg))
	}
	if d := log.take(); !slices.Equal(d, []string{"uploadVBuser coerced size"}) {
		t.Errorf("upload drifts = %q", d)
	}
}

// TestWildAnswersOnTheWire: the drift is in the bytes Zoom would send, not only in
// what one client makes of them.
func TestWildAnswersOnTheWire(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithWildAnswers(), zoomtest.WithoutRateLimits())
	defer srv.Close()
	body := rawGet(t, srv, "/users/"+zoomtest.OwnerEmail)
	var loose map[string]any
	if err := json.Unmarshal(body, &loose); err != nil {
		t.Fatalf("not JSON: %v: %s", err, body)
	}
	if _, ok := loose["pmi"].(string); !ok {
		t.Errorf("pmi = %#v, want a string", loose["pmi"])
	}
	if _, ok := loose["custom_attributes"].(map[string]any); !ok {
		t.Errorf("custom_attributes = %#v, want one object", loose["custom_attributes"])
	}
	if loose["wild_undocumented_field"] == nil {
		t.Errorf("no undocumented field in %s", body)
	}
	if n := bytes.Count(body, []byte(`"status":`)); n != 2 {
		t.Errorf(`"status" appears %d times in %s, want twice`, n, body)
	}
}

// TestWildAnswersKeepFaults: injected faults still apply under WithWildAnswers.
func TestWildAnswersKeepFaults(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithWildAnswers(), zoomtest.WithoutRateLimits())
	defer srv.Close()
	// Without keep-alives: net/http itself resends a GET whose reused connection closes.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries), zoomusers.WithLogger(slog.New(slog.DiscardHandler)), zoomusers.WithHTTPClient(fresh))
	ctx := context.Background()
	srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{EmptyBody: true})
	if _, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); !errors.Is(err, zoomusers.ErrEmptyResponse) {
		t.Errorf("an empty answer: %v, want ErrEmptyResponse", err)
	}
	srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Drop: true})
	var zerr *zoomusers.Error
	if _, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); err == nil || errors.Is(err, zoomusers.ErrEmptyResponse) || errors.As(err, &zerr) {
		t.Errorf("a dropped connection: %v, want a transport error", err)
	}
	srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Status: 503})
	if _, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); !errors.As(err, &zerr) || zerr.StatusCode != 503 {
		t.Errorf("a 503: %v", err)
	}
	if u, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); err != nil || *u.Email != zoomtest.OwnerEmail {
		t.Errorf("after the faults: %v, %v", u, err)
	}
}

func rawGet(t *testing.T, srv *zoomtest.Server, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.TokenURL()+"?grant_type=account_credentials&account_id="+zoomtest.AccountID, nil)
	req.SetBasicAuth(zoomtest.ClientID, zoomtest.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	req, _ = http.NewRequest(http.MethodGet, srv.BaseURL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %s %s", path, resp.Status, body)
	}
	return body
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestWildAnswersHoldUndeclaredKeys: every rewritten user, listing and settings answer
// carries a key the spec does not declare (what zoomusers.Undeclared and the doctor must
// find), not only keys the spec has since declared.
func TestWildAnswersHoldUndeclaredKeys(t *testing.T) {
	wild, _, log, _ := wildPair(t)
	ctx := context.Background()
	var resp zoomusers.Response
	check := func(what string, model any, want ...string) {
		t.Helper()
		keys, err := zoomusers.Undeclared(resp.Body, model)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, k := range keys {
			got = append(got, k.Path)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: undeclared %q, want %q", what, got, want)
		}
	}
	u, err := wild.User(zoomtest.OwnerEmail).Get(ctx, nil, zoomusers.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	check("get user", u, "wild_undocumented_field")
	for page, err := range wild.ListUsers(ctx, &zoomusers.ListUsersParams{PageSize: 2}, zoomusers.WithResponseInto(&resp)).Pages() {
		if err != nil {
			t.Fatal(err)
		}
		check("list users", page, "users[0].wild_undocumented_field", "users[1].wild_undocumented_field")
		break
	}
	s, err := wild.User(zoomtest.OwnerEmail).Settings(ctx, nil, zoomusers.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	check("settings", s, "in_meeting.wild_undocumented_setting", "zoom_ai_companion")
	log.take()
}
