package test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func ptr[T any](v T) *T { return &v }

var pngFile = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 4000)...)

// TestEveryOperationEndToEnd drives all 35 operations through zoomusers against the
// spec-validating fake, each with a check that the fake's state changed as Zoom's would.
func TestEveryOperationEndToEnd(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(10), zoomtest.WithPlan(zoomusers.PlanBusiness))
	defer srv.Close()
	c, err := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithPacing(zoomusers.PlanBusiness, 1))...)
	if err != nil {
		t.Fatal(err)
	}
	everyOperation(t, c)
}

// everyOperation runs the 35 operations against a fake seeded with 10 users.
func everyOperation(t *testing.T, c *zoomusers.Client) {
	ctx := context.Background()
	must := func(op string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
	}

	// Account-wide operations.
	n := 0
	for _, err := range c.ListUsers(ctx, &zoomusers.ListUsersParams{PageSize: 4}).All() {
		must("users", err)
		n++
	}
	if n != 11 {
		t.Errorf("users listed %d, want 11", n)
	}
	created, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.ActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "sam+ops@example.com", Type: zoomusers.UserTypeLicensed, FirstName: ptr("Sam")}})
	must("userCreate", err)
	taken, err := c.EmailExists(ctx, "sam+ops@example.com")
	must("userEmail", err)
	if !taken {
		t.Error("userEmail: a created address is not taken")
	}
	res, err := c.BulkUpdateFeature(ctx, zoomusers.BulkFeatureUpdate{FeatureType: "user_type", FeatureValue: "2",
		Users: []zoomusers.UserRef{{Email: ptr("u1@example.com")}, {Email: ptr("ghost@example.com")}}})
	must("bulkUpdateFeature", err)
	if len(*res.SuccessUserIds) != 1 || len(*res.FailDetails) != 1 {
		t.Errorf("bulkUpdateFeature = %+v", res)
	}
	_, err = c.Me().ZAK(ctx)
	must("userZak", err)
	sum, err := c.Summary(ctx)
	must("userSummary", err)
	if *sum.TotalUsersCount != 12 {
		t.Errorf("userSummary total = %d, want 12", *sum.TotalUsersCount)
	}

	// One user's operations.
	u := c.User("sam+ops@example.com")
	got, err := u.Get(ctx, nil)
	must("user", err)
	if *got.Id != *created.Id {
		t.Errorf("user id %s, created %s", *got.Id, *created.Id)
	}
	must("userUpdate", u.Update(ctx, zoomusers.UserUpdate{VanityName: ptr("sam.ops"), JobTitle: ptr("Ops")}, nil))
	if taken, err := c.VanityNameExists(ctx, "sam.ops"); err != nil || !taken {
		t.Errorf("userVanityName: %v, %v", taken, err)
	}
	_, err = u.AddAssistants(ctx, zoomusers.Assistant{Email: ptr("u0@example.com")}, zoomusers.Assistant{Email: ptr("u1@example.com")})
	must("userAssistantCreate", err)
	assistants, err := u.Assistants(ctx)
	must("userAssistants", err)
	if len(assistants) != 2 {
		t.Errorf("userAssistants = %d, want 2", len(assistants))
	}
	schedulers, err := c.User("u0@example.com").Schedulers(ctx)
	must("userSchedulers", err)
	if len(schedulers) != 1 || *schedulers[0].Email != "sam+ops@example.com" {
		t.Errorf("userSchedulers of an assistant = %+v", schedulers)
	}
	must("userAssistantDelete", u.DeleteAssistant(ctx, "u0@example.com"))
	must("userSchedulerDelete", c.User("u1@example.com").DeleteScheduler(ctx, "sam+ops@example.com"))
	if a, _ := u.Assistants(ctx); len(a) != 0 {
		t.Errorf("assistants after removals = %d, want 0", len(a))
	}
	_, err = u.AddAssistants(ctx, zoomusers.Assistant{Email: ptr("u3@example.com")})
	must("userAssistantCreate again", err)
	must("userSchedulersDelete", c.User("u3@example.com").DeleteSchedulers(ctx))
	_, err = u.AddAssistants(ctx, zoomusers.Assistant{Email: ptr("u3@example.com")})
	must("userAssistantCreate third", err)
	must("userAssistantsDelete", u.DeleteAssistants(ctx))

	devices, err := u.CollaborationDevices(ctx)
	must("listCollaborationDevices", err)
	_, err = u.CollaborationDevice(ctx, *devices[0].Id)
	must("getCollaborationDevice", err)
	tmpl, err := u.MeetingTemplate(ctx, "template-"+*created.Id)
	must("getUserMeetingTemplates", err)
	if tmpl.Settings == nil {
		t.Error("getUserMeetingTemplates: no settings")
	}
	must("userPassword", u.SetPassword(ctx, "Sunny-Day-2026"))
	perms, err := u.Permissions(ctx)
	must("userPermission", err)
	if len(perms) == 0 {
		t.Error("userPermission: none")
	}
	must("userPicture", u.UploadPicture(ctx, "sam.png", bytes.NewReader(pngFile)))
	if got, _ := u.Get(ctx, nil); got.PicUrl == nil {
		t.Error("userPicture: no pic_url afterwards")
	}
	must("userPictureDelete", u.DeletePicture(ctx))
	must("updatePresenceStatus", u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Do_Not_Disturb", Duration: ptr(30)}))
	presence, err := u.PresenceStatus(ctx)
	must("getUserPresenceStatus", err)
	if presence.Status != "Do_Not_Disturb" {
		t.Errorf("presence = %s", presence.Status)
	}
	if err := u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Available"}); !errors.Is(err, zoomusers.ErrRateLimited) {
		t.Errorf("a second presence change within a minute: %v, want a 429", err)
	}

	settings, err := u.Settings(ctx, nil)
	must("userSettings", err)
	if settings.InMeeting == nil {
		t.Error("userSettings: no in_meeting section")
	}
	must("userSettingsUpdate", u.UpdateSettings(ctx, zoomusers.UserSettings{ScheduleMeeting: &zoomusers.UserSettingsScheduleMeeting{HostVideo: ptr(true)}}))
	must("userSettingsUpdate meeting_security", u.UpdateMeetingSecurity(ctx, zoomusers.MeetingSecuritySettings{MeetingSecurity: zoomusers.MeetingSecurity{WaitingRoom: ptr(false)}}))
	sec, err := u.MeetingSecurity(ctx)
	must("userSettings meeting_security", err)
	if *sec.MeetingSecurity.WaitingRoom {
		t.Error("meeting_security waiting_room did not change")
	}
	if s, _ := u.Settings(ctx, &zoomusers.SettingsParams{CustomQueryFields: "host_video"}); s == nil || s.ScheduleMeeting == nil || !*s.ScheduleMeeting.HostVideo || s.InMeeting != nil {
		t.Errorf("custom_query_fields answer = %+v", s)
	}

	vb, err := u.UploadVirtualBackground(ctx, "office.png", bytes.NewReader(pngFile))
	must("uploadVBuser", err)
	must("delUserVB", u.DeleteVirtualBackgrounds(ctx, *vb.Id))
	must("userStatus", u.SetStatus(ctx, zoomusers.StatusDeactivate))
	zak, err := u.Token(ctx, &zoomusers.TokenParams{Type: ptr(zoomusers.TokenTypeZak)})
	must("userToken", err)
	if zak == "" {
		t.Error("userToken: empty ZAK")
	}
	must("userSSOTokenDelete", u.RevokeSSOToken(ctx))
	must("userEmailUpdate", u.UpdateEmail(ctx, "sam.renamed@example.com"))
	must("switchUserAccount", c.User("sam.renamed@example.com").SwitchAccount(ctx, zoomtest.AccountID, "other-account"))
	must("userDelete", c.User("sam.renamed@example.com").Delete(ctx, nil))
	if _, err := c.User("sam.renamed@example.com").Get(ctx, nil); !errors.Is(err, zoomusers.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}

func TestManyCallersShareOneTokenRequest(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	var tokenRequests int
	var mu sync.Mutex
	c, err := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithHTTPClient(countingClient(srv.TokenURL(), &mu, &tokenRequests)))...)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.User(zoomtest.OwnerEmail).Get(context.Background(), nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if tokenRequests != 1 {
		t.Errorf("100 concurrent callers made %d token requests, want 1", tokenRequests)
	}
}

func TestListingTenThousandUsers(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(10_500), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c, _ := zoomusers.New(srv.ClientOptions()...)
	seen := map[string]bool{}
	for u, err := range c.ListUsers(context.Background(), &zoomusers.ListUsersParams{PageSize: 2000}).All() {
		if err != nil {
			t.Fatal(err)
		}
		if seen[*u.Email] {
			t.Fatalf("%s listed twice", *u.Email)
		}
		seen[*u.Email] = true
	}
	if len(seen) != 10_501 || srv.Requests(zoomusers.OpUsers) != 6 {
		t.Errorf("listed %d users in %d pages, want 10501 in 6", len(seen), srv.Requests(zoomusers.OpUsers))
	}
}
