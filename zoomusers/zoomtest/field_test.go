package zoomtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Field behaviour from ZOOM_FACTS.md "Behaviour seen in the field", injected and met by
// the client over HTTP.

func TestAddAssistantsFieldFaults(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(4), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	u := c.User("u0@example.com") // licensed, as is u3
	add := zoomusers.Assistant{Email: zoomusers.Ptr("u3@example.com")}

	if err := srv.Inject(zoomusers.OpUserAssistantCreate, 1, zoomtest.Fault{Status: 400, Code: -1, Message: "Duplicate key null"}); err != nil {
		t.Fatal(err)
	}
	var zerr *zoomusers.Error
	if _, err := u.AddAssistants(ctx, add); !errors.As(err, &zerr) || zerr.Code != -1 || zerr.Message != "Duplicate key null" {
		t.Errorf("code -1: %v", err)
	}

	if err := srv.Inject(zoomusers.OpUserAssistantCreate, 1, zoomtest.Fault{NoEffect: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := u.AddAssistants(ctx, add); err != nil {
		t.Fatalf("success without effect: %v", err)
	}
	if list, err := u.Assistants(ctx); err != nil || len(list) != 0 {
		t.Errorf("read back after a success without effect: %v, %v; want none", list, err)
	}
	if err := srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{NoEffect: true}); err == nil {
		t.Error("NoEffect was taken for an operation no report names")
	}
}

func TestErrorMessageBody(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	if err := srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Status: 404, Code: 1001, Message: "User does not exist: x.", ErrorMessage: true}); err != nil {
		t.Fatal(err)
	}
	_, err := c.User("u0@example.com").Get(context.Background(), nil)
	var zerr *zoomusers.Error
	if !errors.As(err, &zerr) || zerr.Code != 1001 || zerr.Message != "User does not exist: x." || !errors.Is(err, zoomusers.ErrNotFound) {
		t.Errorf("error_message body: %v", err)
	}
	if !errors.As(err, &zerr) || !strings.Contains(string(zerr.Body), `"error_message"`) {
		t.Errorf("the fault did not send error_message: %s", zerr.Body)
	}
}

func TestRepeatedUserAcrossPages(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(9), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	if err := srv.InjectEvery(zoomusers.OpUsers, 1, zoomtest.Fault{RepeatUser: true}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	repeated := 0
	for page, err := range c.ListUsers(context.Background(), &zoomusers.ListUsersParams{PageSize: 4}).Pages() {
		if err != nil {
			t.Fatal(err)
		}
		repeated += page.Repeated
		for _, u := range page.Users {
			seen[u.GetID()]++
		}
	}
	if len(seen) != 10 || repeated != 2 {
		t.Errorf("%d distinct users, %d repeats reported; want 10 and 2 (pages of 4 over 10 users)", len(seen), repeated)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("user %s yielded %d times", id, n)
		}
	}
}

func TestBitmaskBeyondFloat64(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(2), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	for _, v := range []int64{1<<59 + 1, math.MaxInt64} {
		if err := srv.SetZoomOneType("u1@example.com", v); err != nil {
			t.Fatal(err)
		}
		u, err := c.User("u1@example.com").Get(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := int64(u.GetZoomOneType()); got != v {
			t.Errorf("zoom_one_type %d arrived as %d", v, got)
		}
	}
}

// TestBitmasksSurviveWrites: bitmasks reach 2^59 (ZOOM_FACTS.md "Zoom keeps moving") and
// must not pass through a float64 anywhere in the fake: not when a PATCH of another field
// rewrites the profile, not in a PATCH's license_info_list, not in a settings change, not
// in the user.updated event.
func TestBitmasksSurviveWrites(t *testing.T) {
	in := newInbox(t)
	srv := zoomtest.NewServer(zoomtest.WithUsers(2), zoomtest.WithoutRateLimits(), zoomtest.WithWebhook(in.url, hookSecret))
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	u := c.User("u1@example.com")
	get := func() *zoomusers.User {
		t.Helper()
		got, err := u.Get(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, v := range []int64{1<<59 + 1, math.MaxInt64} {
		if err := srv.SetZoomOneType("u1@example.com", v); err != nil {
			t.Fatal(err)
		}
		if err := u.Update(ctx, zoomusers.UserUpdate{Dept: zoomusers.Ptr(fmt.Sprintf("Dept %d", v))}, nil); err != nil {
			t.Fatal(err)
		}
		if got := get().GetZoomOneType(); got != v {
			t.Errorf("zoom_one_type %d read back as %d after a PATCH of dept", v, got)
		}
	}

	const option = 1<<59 + 1
	licenses := []zoomusers.LicenseInfo{{LicenseType: zoomusers.Ptr("MEETING"), LicenseOption: zoomusers.Ptr(int64(option)), SubscriptionID: zoomusers.Ptr("sub-1")}}
	if err := u.Update(ctx, zoomusers.UserUpdate{LicenseInfoList: &licenses}, nil); err != nil {
		t.Fatal(err)
	}
	if got := get().LicenseInfoList; got == nil || len(*got) != 1 || (*got)[0].GetLicenseOption() != option {
		t.Errorf("license_info_list read back as %+v, want license_option %d", got, int64(option))
	}
	if err := u.Update(ctx, zoomusers.UserUpdate{ZoomOneType: zoomusers.Ptr(int64(option + 2))}, nil); err != nil {
		t.Fatal(err)
	}

	var change zoomusers.SettingsChange
	if err := json.Unmarshal([]byte(fmt.Sprintf(`{"feature":{"meeting_capacity":%d}}`, option)), &change); err != nil {
		t.Fatal(err)
	}
	if err := u.UpdateSettings(ctx, change); err != nil {
		t.Fatal(err)
	}
	s, err := u.Settings(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Feature == nil || s.Feature.MeetingCapacity == nil || *s.Feature.MeetingCapacity != option {
		t.Errorf("feature.meeting_capacity %d read back as %v", int64(option), s.Feature)
	}

	// The events carry the values as they were set, digit for digit.
	flush(t, srv)
	id := *get().ID
	want := map[string]string{
		"license_info_list": fmt.Sprintf(`[{"license_option":%d,"license_type":"MEETING","subscription_id":"sub-1"}]`, int64(option)),
		"zoom_one_type":     fmt.Sprint(int64(option + 2)),
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, e := range in.events {
		d, ok := e.Data.(*webhook.UserUpdated)
		if !ok || e.UserID() != id {
			continue
		}
		for k, raw := range d.User.Fields {
			if w, ok := want[k]; ok {
				if compact(t, raw) != w {
					t.Errorf("user.updated %s = %s, want %s", k, raw, w)
				}
				delete(want, k)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("no user.updated carried %v", want)
	}
}

// compact is raw without insignificant spaces.
func compact(t *testing.T, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
