package test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

var (
	pngFile  = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 4000)...)
	jpegFile = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{7}, 3000)...)
	mp4File  = append([]byte("\x00\x00\x00\x18ftypmp42"), bytes.Repeat([]byte{9}, 5000)...)
)

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestEveryOperationEndToEnd drives all 35 operations through zoomusers against the
// spec-validating fake.
func TestEveryOperationEndToEnd(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(10), zoomtest.WithPlan(zoomusers.PlanBusiness))
	defer srv.Close()
	c, err := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithPacing(zoomusers.PlanBusiness, 1))...)
	if err != nil {
		t.Fatal(err)
	}
	everyOperation(t, srv, c)
}

// everyOperation runs the 35 operations through c against srv, a fake seeded with 10
// users, and checks the effect of each in the fake's state (srv.UserState, srv.Deletion):
// what the client sent must have arrived, not only an answer.
func everyOperation(t *testing.T, srv *zoomtest.Server, c *zoomusers.Client) {
	ctx := context.Background()
	must := func(op string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
	}
	state := func(idOrEmail string) zoomtest.UserState {
		t.Helper()
		st, ok := srv.UserState(idOrEmail)
		if !ok {
			t.Fatalf("the fake has no user %s", idOrEmail)
		}
		return st
	}
	owner := state(zoomtest.OwnerEmail)

	// users: every user once, over pages of 4.
	var listed []string
	for u, err := range c.ListUsers(ctx, &zoomusers.ListUsersParams{PageSize: 4}).All() {
		must("users", err)
		listed = append(listed, *u.Email)
	}
	want := []string{zoomtest.OwnerEmail, "u0@example.com", "u1@example.com", "u2@example.com", "u3@example.com",
		"u4@example.com", "u5@example.com", "u6@example.com", "u7@example.com", "u8@example.com", "u9@example.com"}
	if !slices.Equal(listed, want) || srv.Requests(zoomusers.OpUsers) != 3 {
		t.Errorf("users: listed %v in %d pages", listed, srv.Requests(zoomusers.OpUsers))
	}

	// userCreate: the profile sent is the profile stored, created the way asked.
	created, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "sam+ops@example.com", Type: zoomusers.UserTypeLicensed, FirstName: zoomusers.Ptr("Sam"),
			LastName: zoomusers.Ptr("Ops"), DisplayName: zoomusers.Ptr("Sam O."), Password: zoomusers.Ptr("Start-Here-19")}})
	must("userCreate", err)
	sam := state("sam+ops@example.com")
	if *created.ID != *sam.Profile.ID || *sam.Profile.FirstName != "Sam" || *sam.Profile.LastName != "Ops" || *sam.Profile.DisplayName != "Sam O." ||
		sam.Profile.Type != zoomusers.UserTypeLicensed || *sam.Profile.Status != zoomusers.UserStatusActive ||
		sam.CreateAction != "autoCreate" || sam.Password != "Start-Here-19" || sam.PasswordChanges != 0 {
		t.Errorf("userCreate stored %+v", sam)
	}
	id := *created.ID

	// userEmail: taken and free addresses.
	taken, err := c.EmailExists(ctx, "sam+ops@example.com")
	must("userEmail", err)
	free, err := c.EmailExists(ctx, "nobody@example.com")
	must("userEmail", err)
	if !taken || free {
		t.Errorf("userEmail: created address taken %v, unknown address taken %v", taken, free)
	}

	// bulkUpdateFeature: the feature and value sent reach the users named, and only them.
	res, err := c.BulkUpdateFeature(ctx, zoomusers.BulkFeatureUpdate{FeatureType: "user_type", FeatureValue: "2",
		Users: []zoomusers.UserRef{{Email: zoomusers.Ptr("u1@example.com")}, {Email: zoomusers.Ptr("ghost@example.com")}}})
	must("bulkUpdateFeature", err)
	if len(*res.SuccessUserIDs) != 1 || (*res.SuccessUserIDs)[0] != *state("u1@example.com").Profile.ID || len(*res.FailDetails) != 1 ||
		state("u1@example.com").Profile.Type != zoomusers.UserTypeLicensed || state("u2@example.com").Profile.Type != zoomusers.UserTypeBasic {
		t.Errorf("bulkUpdateFeature = %+v", res)
	}
	_, err = c.BulkUpdateFeature(ctx, zoomusers.BulkFeatureUpdate{FeatureType: "webinar", FeatureValue: "64",
		Users: []zoomusers.UserRef{{ID: owner.Profile.ID}, {Email: zoomusers.Ptr("u4@example.com")}}})
	must("bulkUpdateFeature webinar", err)
	if state(zoomtest.OwnerEmail).Features["webinar"] != "64" || state("u4@example.com").Features["webinar"] != "64" || state("u5@example.com").Features["webinar"] != "" {
		t.Error("bulkUpdateFeature webinar=64 did not reach exactly the owner and u4")
	}

	// userZak: the ZAK of "me", the owner for a Server-to-Server token.
	zak, err := c.Me().ZAK(ctx)
	must("userZak", err)
	if zak != "zak-"+*owner.Profile.ID {
		t.Errorf("userZak = %q, want the owner's", zak)
	}

	// userSummary: the fake's counts.
	sum, err := c.Summary(ctx)
	must("userSummary", err)
	if *sum.TotalUsersCount != srv.UserCount() || *sum.LicensedUsersCount != 7 || *sum.BasicUsersCount != 5 {
		t.Errorf("userSummary = total %d licensed %d basic %d, want %d 7 5", *sum.TotalUsersCount, *sum.LicensedUsersCount, *sum.BasicUsersCount, srv.UserCount())
	}

	// user: the profile the fake holds.
	u := c.User("sam+ops@example.com")
	got, err := u.Get(ctx, nil)
	must("user", err)
	if *got.ID != id || *got.Email != "sam+ops@example.com" || *got.DisplayName != "Sam O." || got.HostKey != nil {
		t.Errorf("user = %+v", got)
	}

	// userUpdate: every field sent is stored, including those Zoom does not return.
	must("userUpdate", u.Update(ctx, zoomusers.UserUpdate{VanityName: zoomusers.Ptr("sam.ops"), JobTitle: zoomusers.Ptr("Ops"), Dept: zoomusers.Ptr("Platform"),
		Timezone: zoomusers.Ptr("Europe/Berlin"), PMI: zoomusers.Ptr(int64(9876543210)), UsePMI: zoomusers.Ptr(true), HostKey: zoomusers.Ptr("246810"),
		Manager: zoomusers.Ptr(zoomtest.OwnerEmail), AboutMe: zoomusers.Ptr("Keeps things running."),
		CustomAttributes: &[]gen.CustomAttribute{{Key: zoomusers.Ptr("cbf_1"), Name: zoomusers.Ptr("Team"), Value: zoomusers.Ptr("SRE")}}}, nil))
	sam = state("sam+ops@example.com")
	p := sam.Profile
	if *p.JobTitle != "Ops" || *p.Dept != "Platform" || *p.Timezone != "Europe/Berlin" || *p.PMI != 9876543210 || !*p.UsePMI ||
		*p.HostKey != "246810" || *p.Manager != zoomtest.OwnerEmail || *p.VanityURL != "https://zoom.us/my/sam.ops" ||
		sam.ProfileExtras["about_me"] != "Keeps things running." || len(*p.CustomAttributes) != 1 || *(*p.CustomAttributes)[0].Value != "SRE" ||
		*p.FirstName != "Sam" {
		t.Errorf("userUpdate stored %+v, extras %v", p, sam.ProfileExtras)
	}

	// userVanityName: the name just set is taken.
	if taken, err := c.VanityNameExists(ctx, "sam.ops"); err != nil || !taken {
		t.Errorf("userVanityName(sam.ops): %v, %v", taken, err)
	}
	if taken, err := c.VanityNameExists(ctx, "nobody.here"); err != nil || taken {
		t.Errorf("userVanityName(nobody.here): %v, %v", taken, err)
	}

	// Assistants and schedulers: both ends of each privilege change.
	assistantsOf := func(email string) []string {
		var out []string
		for _, a := range state(email).Assistants {
			out = append(out, *a.Email)
		}
		return out
	}
	schedulersOf := func(email string) []string {
		var out []string
		for _, s := range state(email).Schedulers {
			out = append(out, *s.Email)
		}
		return out
	}
	added, err := u.AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("u0@example.com")}, zoomusers.Assistant{ID: state("u3@example.com").Profile.ID})
	must("userAssistantCreate", err)
	if *added.IDs != *state("u0@example.com").Profile.ID+","+*state("u3@example.com").Profile.ID ||
		!slices.Equal(assistantsOf("sam+ops@example.com"), []string{"u0@example.com", "u3@example.com"}) ||
		!slices.Equal(schedulersOf("u0@example.com"), []string{"sam+ops@example.com"}) {
		t.Errorf("userAssistantCreate: added %s, assistants %v", *added.IDs, assistantsOf("sam+ops@example.com"))
	}
	assistants, err := u.Assistants(ctx)
	must("userAssistants", err)
	if len(assistants) != 2 || *assistants[0].Email != "u0@example.com" || *assistants[1].ID != *state("u3@example.com").Profile.ID {
		t.Errorf("userAssistants = %+v", assistants)
	}
	schedulers, err := c.User("u0@example.com").Schedulers(ctx)
	must("userSchedulers", err)
	if len(schedulers) != 1 || *schedulers[0].ID != id || *schedulers[0].PMI != 9876543210 {
		t.Errorf("userSchedulers of an assistant = %+v", schedulers)
	}
	must("userAssistantDelete", u.DeleteAssistant(ctx, "u0@example.com"))
	if !slices.Equal(assistantsOf("sam+ops@example.com"), []string{"u3@example.com"}) || len(schedulersOf("u0@example.com")) != 0 {
		t.Errorf("userAssistantDelete left %v", assistantsOf("sam+ops@example.com"))
	}
	must("userSchedulerDelete", c.User("u3@example.com").DeleteScheduler(ctx, "sam+ops@example.com"))
	if len(assistantsOf("sam+ops@example.com")) != 0 || len(schedulersOf("u3@example.com")) != 0 {
		t.Errorf("userSchedulerDelete left %v", assistantsOf("sam+ops@example.com"))
	}
	_, err = u.AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("u6@example.com")})
	must("userAssistantCreate again", err)
	_, err = c.User(zoomtest.OwnerEmail).AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("u6@example.com")})
	must("userAssistantCreate for the owner", err)
	must("userSchedulersDelete", c.User("u6@example.com").DeleteSchedulers(ctx))
	if len(schedulersOf("u6@example.com")) != 0 || len(assistantsOf("sam+ops@example.com")) != 0 || len(assistantsOf(zoomtest.OwnerEmail)) != 0 {
		t.Errorf("userSchedulersDelete left schedulers %v", schedulersOf("u6@example.com"))
	}
	_, err = u.AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("u6@example.com")}, zoomusers.Assistant{Email: zoomusers.Ptr("u9@example.com")})
	must("userAssistantCreate third", err)
	_, err = c.User(zoomtest.OwnerEmail).AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("u9@example.com")})
	must("userAssistantCreate for the owner again", err)
	must("userAssistantsDelete", u.DeleteAssistants(ctx))
	if len(assistantsOf("sam+ops@example.com")) != 0 || !slices.Equal(schedulersOf("u9@example.com"), []string{zoomtest.OwnerEmail}) {
		t.Errorf("userAssistantsDelete: assistants %v, u9 schedules for %v", assistantsOf("sam+ops@example.com"), schedulersOf("u9@example.com"))
	}

	// Collaboration devices and meeting templates: the fake's one device and template.
	devices, err := u.CollaborationDevices(ctx)
	must("listCollaborationDevices", err)
	if len(devices) != 1 || *devices[0].ID != "device-"+id {
		t.Fatalf("listCollaborationDevices = %+v", devices)
	}
	device, err := u.CollaborationDevice(ctx, *devices[0].ID)
	must("getCollaborationDevice", err)
	if *device.ID != *devices[0].ID || *device.RoomUserID != "room-"+id {
		t.Errorf("getCollaborationDevice = %+v", device)
	}
	tmpl, err := u.MeetingTemplate(ctx, "template-"+id)
	must("getUserMeetingTemplates", err)
	if *tmpl.ID != "template-"+id || tmpl.Settings == nil {
		t.Errorf("getUserMeetingTemplates = %+v", tmpl)
	}

	// userPassword: the password sent is the one stored.
	must("userPassword", u.SetPassword(ctx, "Sunny-Day-2026"))
	if sam := state(id); sam.Password != "Sunny-Day-2026" || sam.PasswordChanges != 1 {
		t.Errorf("userPassword stored %q after %d changes", sam.Password, sam.PasswordChanges)
	}

	// userPermission: a member's and the owner's.
	perms, err := u.Permissions(ctx)
	must("userPermission", err)
	ownerPerms, err := c.User(zoomtest.OwnerEmail).Permissions(ctx)
	must("userPermission owner", err)
	if !slices.Contains(perms, "Meeting:Read") || slices.Contains(perms, "User:Edit") || !slices.Contains(ownerPerms, "User:Edit") {
		t.Errorf("userPermission: member %v, owner %v", perms, ownerPerms)
	}

	// userPicture and userPictureDelete: the bytes sent are the bytes stored.
	must("userPicture", u.UploadPicture(ctx, "sam.png", bytes.NewReader(pngFile)))
	sam = state(id)
	if pic := sam.Picture; pic == nil || pic.Name != "sam.png" || pic.ContentType != "image/png" || pic.Size != int64(len(pngFile)) || pic.SHA256 != sha(pngFile) || sam.Profile.PicURL == nil {
		t.Errorf("userPicture stored %+v", sam.Picture)
	}
	must("userPictureDelete", u.DeletePicture(ctx))
	if sam := state(id); sam.Picture != nil || sam.Profile.PicURL != nil {
		t.Errorf("userPictureDelete left %+v", sam.Picture)
	}

	// updatePresenceStatus and getUserPresenceStatus.
	must("updatePresenceStatus", u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Do_Not_Disturb", Duration: zoomusers.Ptr(30)}))
	if sam := state(id); sam.Presence != "Do_Not_Disturb" || sam.PresenceDuration != 30 || sam.PresenceChangedAt.IsZero() {
		t.Errorf("updatePresenceStatus stored %q for %d minutes", sam.Presence, sam.PresenceDuration)
	}
	presence, err := u.PresenceStatus(ctx)
	must("getUserPresenceStatus", err)
	if presence.Status != "Do_Not_Disturb" {
		t.Errorf("getUserPresenceStatus = %s", presence.Status)
	}
	if err := u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Available"}); !errors.Is(err, zoomusers.ErrRateLimited) {
		t.Errorf("a second presence change within a minute: %v, want a 429", err)
	}

	// userSettings and userSettingsUpdate: what is read is what the fake holds, and each
	// variant's change lands in that variant.
	settings, err := u.Settings(ctx, nil)
	must("userSettings", err)
	if v, _ := state(id).Setting("in_meeting", "who_can_share_screen"); settings.InMeeting == nil || v != "host" || string(*settings.InMeeting.WhoCanShareScreen) != v {
		t.Errorf("userSettings in_meeting = %+v, fake holds %v", settings.InMeeting, v)
	}
	must("userSettingsUpdate", u.UpdateSettings(ctx, zoomusers.SettingsChange{ScheduleMeeting: &zoomusers.UserSettingsScheduleMeetingChange{HostVideo: zoomusers.Ptr(true)},
		Recording: &zoomusers.UserSettingsRecording{AutoRecording: zoomusers.Ptr(gen.AutoRecordingCloud)}}))
	if v, _ := state(id).Setting("schedule_meeting", "host_video"); v != true {
		t.Errorf("userSettingsUpdate host_video = %v", v)
	}
	if v, _ := state(id).Setting("recording", "auto_recording"); v != "cloud" {
		t.Errorf("userSettingsUpdate auto_recording = %v", v)
	}
	if v, _ := state(id).Setting("schedule_meeting", "audio_type"); v != "both" {
		t.Errorf("userSettingsUpdate changed an unsent setting: audio_type = %v", v)
	}
	must("userSettingsUpdate meeting_security", u.UpdateMeetingSecurity(ctx, zoomusers.MeetingSecuritySettings{MeetingSecurity: zoomusers.MeetingSecurity{WaitingRoom: zoomusers.Ptr(false)}}))
	if v, _ := state(id).Setting("meeting_security", "meeting_security", "waiting_room"); v != false {
		t.Errorf("meeting_security waiting_room = %v", v)
	}
	if v, _ := state(id).Setting("meeting_security", "meeting_security", "embed_password_in_join_link"); v != true {
		t.Errorf("meeting_security update changed an unsent setting: %v", v)
	}
	sec, err := u.MeetingSecurity(ctx)
	must("userSettings meeting_security", err)
	if *sec.MeetingSecurity.WaitingRoom {
		t.Error("meeting_security reads waiting_room true")
	}
	if s, _ := u.Settings(ctx, &zoomusers.SettingsParams{CustomQueryFields: "host_video"}); s == nil || s.ScheduleMeeting == nil || !*s.ScheduleMeeting.HostVideo || s.InMeeting != nil {
		t.Errorf("custom_query_fields answer = %+v", s)
	}
	if v, _ := state("u0@example.com").Setting("schedule_meeting", "host_video"); v != false {
		t.Errorf("another user's settings changed: host_video = %v", v)
	}

	// uploadVBuser and delUserVB: files arrive whole; one call deletes several by ID.
	var vbs []string
	for _, f := range []struct {
		name string
		data []byte
	}{{"office.png", pngFile}, {"beach.jpg", jpegFile}, {"loop.mp4", mp4File}} {
		vb, err := u.UploadVirtualBackground(ctx, f.name, bytes.NewReader(f.data))
		must("uploadVBuser", err)
		vbs = append(vbs, *vb.ID)
	}
	got3 := state(id).VirtualBackgrounds
	if len(got3) != 3 || got3[0].ID != vbs[0] || got3[0].Name != "office.png" || got3[1].SHA256 != sha(jpegFile) || got3[2].Type != "video" || got3[2].Size != int64(len(mp4File)) {
		t.Errorf("uploadVBuser stored %+v", got3)
	}
	must("delUserVB", u.DeleteVirtualBackgrounds(ctx, vbs[0], vbs[2]))
	if left := state(id).VirtualBackgrounds; len(left) != 1 || left[0].ID != vbs[1] {
		t.Errorf("delUserVB of two files left %+v", left)
	}

	// userToken: the type and ttl asked for.
	token, err := u.Token(ctx, &zoomusers.TokenParams{Type: zoomusers.TokenTypeZAK, TTL: 3600})
	must("userToken", err)
	if token != "zak-"+id+"-3600s" {
		t.Errorf("userToken(zak, 3600) = %q", token)
	}
	if token, err := u.Token(ctx, nil); err != nil || token != "token-"+id {
		t.Errorf("userToken() = %q, %v", token, err)
	}

	// userSSOTokenDelete.
	must("userSSOTokenDelete", u.RevokeSSOToken(ctx))
	if n := state(id).SSOTokenRevocations; n != 1 {
		t.Errorf("userSSOTokenDelete recorded %d revocations", n)
	}

	// userStatus: deactivation, and back.
	must("userStatus", u.SetStatus(ctx, zoomusers.UserStatusActionDeactivate))
	if s := *state(id).Profile.Status; s != zoomusers.UserStatusInactive {
		t.Errorf("userStatus deactivate left %s", s)
	}
	must("userStatus activate", u.SetStatus(ctx, zoomusers.UserStatusActionActivate))
	if s := *state(id).Profile.Status; s != zoomusers.UserStatusActive {
		t.Errorf("userStatus activate left %s", s)
	}

	// userEmailUpdate: the new address finds the user, the old one does not.
	must("userEmailUpdate", u.UpdateEmail(ctx, "sam.renamed@example.com"))
	renamed := state("sam.renamed@example.com")
	if *renamed.Profile.ID != id || len(renamed.EmailChanges) != 1 || renamed.EmailChanges[0].From != "sam+ops@example.com" {
		t.Errorf("userEmailUpdate stored %+v", renamed.EmailChanges)
	}
	if _, ok := srv.UserState("sam+ops@example.com"); ok {
		t.Error("userEmailUpdate: the old address still finds the user")
	}

	// switchUserAccount: from the account named to the account sent.
	must("switchUserAccount", c.User("sam.renamed@example.com").SwitchAccount(ctx, zoomtest.AccountID, "other-account"))
	if moved := state(id); moved.AccountID != "other-account" || len(moved.AccountMoves) != 1 ||
		moved.AccountMoves[0] != (zoomtest.AccountMove{From: zoomtest.AccountID, To: "other-account", At: moved.AccountMoves[0].At}) {
		t.Errorf("switchUserAccount stored %q, %+v", moved.AccountID, moved.AccountMoves)
	}

	// userDelete: how, and to whom the assets went.
	must("userDelete", c.User("sam.renamed@example.com").Delete(ctx, &zoomusers.DeleteUserParams{Action: zoomusers.DeleteActionDelete,
		TransferEmail: zoomtest.OwnerEmail, TransferMeeting: true, TransferRecording: true}))
	d, ok := srv.Deletion(id)
	if !ok || d.Email != "sam.renamed@example.com" || d.Action != "delete" || d.TransferEmail != zoomtest.OwnerEmail || !slices.Equal(d.Transferred, []string{"meeting", "recording"}) {
		t.Errorf("userDelete recorded %+v", d)
	}
	if _, err := c.User("sam.renamed@example.com").Get(ctx, nil); !errors.Is(err, zoomusers.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	must("userDelete default", c.User("u2@example.com").Delete(ctx, nil))
	if d, _ := srv.Deletion("u2@example.com"); d.Action != "disassociate" || d.TransferEmail != "" || d.Transferred != nil {
		t.Errorf("userDelete without options recorded %+v", d)
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
