package test

import (
	"context"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// TestCreateThenConfigure is the most common provisioning flow, create a user then
// configure them, as a program written against the fake meets it (issue 21). A user
// created with autoCreate is active and takes every change. A user created with create is
// pending until they accept Zoom's invitation: Zoom answers success to their changes and
// makes none of them (ZOOM_FACTS.md, "Behaviour seen in the field"), so every call here
// succeeds and only the read-back tells; once they accept, the same changes apply.
func TestCreateThenConfigure(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	configure := func(email string) (applied bool) {
		t.Helper()
		u := c.User(email)
		if err := u.Update(ctx, zoomusers.UserUpdate{Dept: zoomusers.Ptr("Finance"), JobTitle: zoomusers.Ptr("Analyst")}, nil); err != nil {
			t.Fatalf("update %s: %v", email, err)
		}
		if err := u.UpdateSettings(ctx, zoomusers.SettingsChange{
			ScheduleMeeting: &zoomusers.UserSettingsScheduleMeetingChange{HostVideo: zoomusers.Ptr(true)},
		}); err != nil {
			t.Fatalf("settings of %s: %v", email, err)
		}
		outcomes, err := u.PatchSettings(ctx, "", map[string]any{"in_meeting.chat": false})
		if err != nil || len(outcomes) != 1 {
			t.Fatalf("settings read-back of %s: %v, %v", email, outcomes, err)
		}
		got, err := u.Get(ctx, nil)
		if err != nil {
			t.Fatalf("get %s: %v", email, err)
		}
		s, err := u.Settings(ctx, nil)
		if err != nil {
			t.Fatalf("settings of %s: %v", email, err)
		}
		profile := got.GetDept() == "Finance" && got.GetJobTitle() == "Analyst"
		settings := s.GetScheduleMeeting().GetHostVideo() && outcomes[0].Applied
		if profile != settings {
			t.Errorf("%s: profile applied %v but settings applied %v", email, profile, settings)
		}
		return profile && settings
	}

	for _, create := range []struct {
		email  string
		action zoomusers.CreateUserAction
		status zoomusers.UserStatus
	}{
		{"active.hire@example.com", zoomusers.CreateUserActionAutoCreate, zoomusers.UserStatusActive},
		{"invited.hire@example.com", zoomusers.CreateUserActionCreate, zoomusers.UserStatusPending},
	} {
		if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: create.action,
			UserInfo: zoomusers.NewUser{Email: create.email, Type: zoomusers.UserTypeBasic}}); err != nil {
			t.Fatalf("create %s: %v", create.email, err)
		}
		u, err := c.User(create.email).Get(ctx, nil)
		if err != nil || u.GetStatus() != create.status {
			t.Fatalf("%s after %s: %v, %v; want %s", create.email, create.action, u.GetStatus(), err, create.status)
		}
	}
	if !configure("active.hire@example.com") {
		t.Error("the active user's changes were not applied")
	}
	if configure("invited.hire@example.com") {
		t.Error("the pending user's changes were applied; Zoom takes them without making them")
	}
	if err := srv.AcceptInvitation("invited.hire@example.com"); err != nil {
		t.Fatal(err)
	}
	if !configure("invited.hire@example.com") {
		t.Error("after the invitation was accepted the changes were not applied")
	}
}
