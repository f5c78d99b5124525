package zoomtest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Each test here sends what Zoom refuses and checks the fake refuses it the same way:
// status, Zoom's code, message or field list, and that nothing changed.

func TestBadFieldsGetZoomsValidationAnswer(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(2), zoomtest.WithoutRateLimits())
	defer srv.Close()

	a := callJSON(t, srv, "POST", "/users", map[string]any{"action": "custCreate", "user_info": map[string]any{}})
	a.want(t, "create without email and type", 400, 300)
	if got := a.fields(); a.zoom.Message != "Validation Failed." || !slices.Equal(sorted(got), []string{"user_info.email: Missing field.", "user_info.type: Missing field."}) {
		t.Errorf("create without email and type: %q %v", a.zoom.Message, got)
	}
	a = callJSON(t, srv, "POST", "/users", map[string]any{"action": "custCreate", "user_info": map[string]any{"email": "new@example.com", "type": 1}})
	var created struct{ ID string }
	decodeJSON(t, a.body, &created)
	if a.status != 201 || created.ID == "" || a.header.Get("Content-Location") != "/v2/users/"+created.ID {
		t.Errorf("create: %d %s, Content-Location %q", a.status, a.body, a.header.Get("Content-Location"))
	}
	a = call(t, srv, "POST", "/users", "", []byte(`{"action": "custCreate", "user_info": {`))
	a.want(t, "a body that is not JSON", 400, 300)
	if a.zoom.Message != "Request Body should be a valid JSON object." {
		t.Errorf("a body that is not JSON: %q", a.zoom.Message)
	}
	a = callJSON(t, srv, "PATCH", "/users/u0@example.com", map[string]any{"manager": "not-an-email", "first_name": strings.Repeat("x", 65)})
	if got := sorted(a.fields()); !slices.Equal(got, []string{"first_name: Invalid field.", "manager: Invalid field."}) {
		t.Errorf("two bad fields: %d %v", a.status, got)
	}
	a = call(t, srv, "GET", "/users/email?email=not-an-email", "", nil)
	if a.status != 400 || !slices.Equal(a.fields(), []string{"email: Invalid field."}) {
		t.Errorf("email check of a non-address: %d %v", a.status, a.fields())
	}
	if st, _ := srv.UserState("u0@example.com"); *st.Profile.FirstName != "User0" {
		t.Errorf("a refused update changed the profile: %q", *st.Profile.FirstName)
	}
}

func TestEmailAddressesAreCheckedAsZoomChecksThem(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	for _, email := range []string{"not-an-email", "a@b", "@example.com", "a@.example.com", "a@example.", "Ada <ada@example.com>", "ada@example.com ", "a b@example.com"} {
		_, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCustCreate, UserInfo: zoomusers.NewUser{Email: email, Type: zoomusers.UserTypeBasic}})
		var zerr *zoomusers.Error
		if !errors.As(err, &zerr) || zerr.Code != 300 || !slices.Equal(zerr.FieldErrors, []zoomusers.FieldError{{Field: "user_info.email", Message: "Invalid field."}}) {
			t.Errorf("create %q: %v, want Validation Failed on user_info.email", email, err)
		}
		if _, ok := srv.UserState(email); ok {
			t.Errorf("%q was created", email)
		}
	}
	for i, email := range []string{"a+b@example.com", "first.last@sub.example.co.uk", "O'Neil@example.com"} {
		if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCustCreate, UserInfo: zoomusers.NewUser{Email: email, Type: zoomusers.UserTypeBasic}}); err != nil {
			t.Errorf("create %q: %v", email, err)
		}
		if err := c.User(email).UpdateEmail(ctx, fmt.Sprintf("renamed%d@example.com", i)); err != nil {
			t.Errorf("rename %q: %v", email, err)
		}
	}
	err := c.User(zoomtest.OwnerEmail).UpdateEmail(ctx, "owner@nowhere")
	var zerr *zoomusers.Error
	if !errors.As(err, &zerr) || !slices.Equal(zerr.FieldErrors, []zoomusers.FieldError{{Field: "email", Message: "Invalid field."}}) {
		t.Errorf("email change to a non-address: %v", err)
	}
}

func TestTimeZonesMustBeIANA(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	u := newClient(t, srv).User("u0@example.com")
	ctx := context.Background()
	for _, tz := range []string{"Mars/Olympus", "Local", "", "PST8PDT/../UTC", "europe/paris"} {
		err := u.Update(ctx, zoomusers.UserUpdate{Timezone: zoomusers.Ptr(tz)}, nil)
		var zerr *zoomusers.Error
		if !errors.As(err, &zerr) || !slices.Equal(zerr.FieldErrors, []zoomusers.FieldError{{Field: "timezone", Message: "Invalid field."}}) {
			t.Errorf("time zone %q: %v, want Validation Failed on timezone", tz, err)
		}
	}
	for _, tz := range []string{"Europe/Paris", "Asia/Kolkata", "UTC", "America/Argentina/Buenos_Aires"} {
		if err := u.Update(ctx, zoomusers.UserUpdate{Timezone: zoomusers.Ptr(tz)}, nil); err != nil {
			t.Errorf("time zone %q: %v", tz, err)
		}
		if st, _ := srv.UserState("u0@example.com"); *st.Profile.Timezone != tz {
			t.Errorf("time zone %q stored as %q", tz, *st.Profile.Timezone)
		}
	}
}

func TestStatusTransitions(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	status := func(email string) zoomusers.UserStatus {
		st, _ := srv.UserState(email)
		return *st.Profile.Status
	}
	code := func(err error) int {
		var zerr *zoomusers.Error
		if errors.As(err, &zerr) && zerr.StatusCode == 400 {
			return zerr.Code
		}
		return -1
	}

	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate, UserInfo: zoomusers.NewUser{Email: "invited@example.com", Type: zoomusers.UserTypeLicensed}}); err != nil {
		t.Fatal(err)
	}
	// A pending user with a live invitation: Zoom answers success and changes nothing.
	invited := c.User("invited@example.com")
	for _, action := range []zoomusers.UserStatusAction{zoomusers.UserStatusActionActivate, zoomusers.UserStatusActionDeactivate, zoomusers.UserStatusActionClockIn} {
		if err := invited.SetStatus(ctx, action); err != nil {
			t.Errorf("%s a pending user: %v, want success", action, err)
		}
	}
	if st, _ := srv.UserState("invited@example.com"); status("invited@example.com") != zoomusers.UserStatusPending || st.ClockedIn {
		t.Errorf("a status change of a pending user was applied: %s, clocked in %v", status("invited@example.com"), st.ClockedIn)
	}
	owner := c.User(zoomtest.OwnerEmail)
	if got := code(owner.SetStatus(ctx, zoomusers.UserStatusActionDeactivate)); got != 200 {
		t.Errorf("deactivate the owner: code %d, want 200", got)
	}

	u := c.User("u0@example.com")
	steps := []struct {
		action zoomusers.UserStatusAction
		code   int // 0: accepted
		status zoomusers.UserStatus
		in     bool
	}{
		{zoomusers.UserStatusActionActivate, 0, zoomusers.UserStatusActive, false}, // no documented refusal
		{zoomusers.UserStatusActionClockIn, 0, zoomusers.UserStatusActive, true},
		{zoomusers.UserStatusActionDeactivate, 0, zoomusers.UserStatusInactive, false},
		{zoomusers.UserStatusActionDeactivate, 0, zoomusers.UserStatusInactive, false},
		{zoomusers.UserStatusActionClockIn, 0, zoomusers.UserStatusInactive, false}, // accepted, not clocked in
		{zoomusers.UserStatusActionActivate, 0, zoomusers.UserStatusActive, false},
		{zoomusers.UserStatusActionClockIn, 0, zoomusers.UserStatusActive, true},
		{zoomusers.UserStatusActionClockOut, 0, zoomusers.UserStatusActive, false},
	}
	for i, s := range steps {
		err := u.SetStatus(ctx, s.action)
		if (s.code == 0 && err != nil) || (s.code != 0 && code(err) != s.code) {
			t.Errorf("step %d %s: %v, want code %d", i, s.action, err, s.code)
		}
		st, _ := srv.UserState("u0@example.com")
		if *st.Profile.Status != s.status || st.ClockedIn != s.in {
			t.Errorf("step %d %s: status %s clocked in %v, want %s %v", i, s.action, *st.Profile.Status, st.ClockedIn, s.status, s.in)
		}
	}
}

func TestUserTypeNoneOnlyBySSOCreate(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	var zerr *zoomusers.Error
	_, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCustCreate, UserInfo: zoomusers.NewUser{Email: "none@example.com", Type: zoomusers.UserTypeNone}})
	if !errors.As(err, &zerr) || !slices.Equal(zerr.FieldErrors, []zoomusers.FieldError{{Field: "user_info.type", Message: "Invalid field."}}) {
		t.Errorf("custCreate of type 99: %v", err)
	}
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionSSOCreate, UserInfo: zoomusers.NewUser{Email: "none@example.com", Type: zoomusers.UserTypeNone}}); err != nil {
		t.Errorf("ssoCreate of type 99: %v", err)
	}
	if st, _ := srv.UserState("none@example.com"); st.Profile.Type != zoomusers.UserTypeNone || st.CreateAction != "ssoCreate" {
		t.Errorf("created %v by %q", st.Profile.Type, st.CreateAction)
	}
	err = c.User("u0@example.com").Update(ctx, zoomusers.UserUpdate{Type: zoomusers.Ptr(zoomusers.UserTypeNone)}, nil)
	if !errors.As(err, &zerr) || !slices.Equal(zerr.FieldErrors, []zoomusers.FieldError{{Field: "type", Message: "Invalid field."}}) {
		t.Errorf("update to type 99: %v", err)
	}
	// A user created by ssoCreate may be set to 99 later (Zoom's 2025 spec).
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionSSOCreate, UserInfo: zoomusers.NewUser{Email: "sso@example.com", Type: zoomusers.UserTypeBasic}}); err != nil {
		t.Fatal(err)
	}
	if err := c.User("sso@example.com").Update(ctx, zoomusers.UserUpdate{Type: zoomusers.Ptr(zoomusers.UserTypeNone)}, nil); err != nil {
		t.Errorf("update of an ssoCreate user to type 99: %v", err)
	}
	if st, _ := srv.UserState("sso@example.com"); st.Profile.Type != zoomusers.UserTypeNone {
		t.Errorf("the ssoCreate user is type %v, want 99", st.Profile.Type)
	}
}

func TestPasswordRules(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	u := c.User("u0@example.com")
	for _, tc := range []struct {
		password string
		code     int
	}{
		{"Ab1", 300},          // under the spec's 8 characters
		{"11111111", 1130},    // one character repeated
		{"12345678", 1131},    // a run of consecutive characters
		{"x-fedcba-9", 1131},  // downwards too
		{"Q-abcdef-7", 1131},  // six in a row is a run
		{"1234-+-5678", 1125}, // no letter
		{"Abcd-Efgh", 1126},   // no number
		{"abcd-efg-1", 1128},  // one case only
		{"ABCD-EFG-1", 1128},
	} {
		err := u.SetPassword(ctx, tc.password)
		var zerr *zoomusers.Error
		if !errors.As(err, &zerr) || zerr.StatusCode != 400 || zerr.Code != tc.code {
			t.Errorf("password %q: %v, want 400 code %d", tc.password, err, tc.code)
		}
	}
	if st, _ := srv.UserState("u0@example.com"); st.PasswordChanges != 0 || st.Password != "" {
		t.Errorf("refused passwords changed the state: %+v", st)
	}
	if err := u.SetPassword(ctx, "Q-abcde-7x"); err != nil { // five in a row is not
		t.Fatalf("a password with a run of five: %v", err)
	}
	if err := u.SetPassword(ctx, "Blue-Moon-42"); err != nil {
		t.Fatal(err)
	}
	err := u.SetPassword(ctx, "Blue-Moon-42")
	var zerr *zoomusers.Error
	if !errors.As(err, &zerr) || zerr.Code != 300 || !strings.Contains(zerr.Message, "old password") {
		t.Errorf("the same password again: %v", err)
	}
	if err := c.User(zoomtest.OwnerEmail).SetPassword(ctx, "Blue-Moon-43"); !errors.As(err, &zerr) || zerr.Code != 1117 {
		t.Errorf("an admin's password: %v, want 1117", err)
	}
	if st, _ := srv.UserState("u0@example.com"); st.PasswordChanges != 2 || st.Password != "Blue-Moon-42" {
		t.Errorf("after two accepted changes: %d changes, password %q", st.PasswordChanges, st.Password)
	}
	_, err = c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "weak@example.com", Type: zoomusers.UserTypeBasic, Password: zoomusers.Ptr("abcdefgh")}})
	if !errors.As(err, &zerr) || zerr.Code != 300 || zerr.Message != "Invalid parameter: password" {
		t.Errorf("autoCreate with a weak password: %v", err)
	}
}

func TestVanityNamesAreUnique(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(2), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	if err := c.User("u0@example.com").Update(ctx, zoomusers.UserUpdate{VanityName: zoomusers.Ptr("team.room")}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.User("u0@example.com").Update(ctx, zoomusers.UserUpdate{VanityName: zoomusers.Ptr("team.room")}, nil); err != nil {
		t.Errorf("setting one's own name again: %v", err)
	}
	err := c.User("u1@example.com").Update(ctx, zoomusers.UserUpdate{VanityName: zoomusers.Ptr("Team.Room")}, nil)
	var zerr *zoomusers.Error
	if !errors.As(err, &zerr) || zerr.Code != 4100 {
		t.Errorf("another user's name: %v, want code 4100", err)
	}
	if st, _ := srv.UserState("u1@example.com"); st.Profile.VanityURL != nil {
		t.Errorf("the refused name was set: %s", *st.Profile.VanityURL)
	}
}

func TestBulkFeatureValues(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(40), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	refs := func(n int) []zoomusers.UserRef {
		var out []zoomusers.UserRef
		for i := range n {
			out = append(out, zoomusers.UserRef{Email: zoomusers.Ptr(fmt.Sprintf("u%d@example.com", i))})
		}
		return out
	}
	var zerr *zoomusers.Error
	for _, bad := range []zoomusers.BulkFeatureUpdate{
		{FeatureType: "webinar", FeatureValue: "7", Users: refs(1)},
		{FeatureType: "user_type", FeatureValue: "3", Users: refs(1)},
		{FeatureType: "zoom_whiteboard", FeatureValue: "yes", Users: refs(1)},
		{FeatureType: "large_meeting", FeatureValue: "32", Users: refs(31)},
	} {
		if _, err := c.BulkUpdateFeature(ctx, bad); !errors.As(err, &zerr) || zerr.StatusCode != 400 || zerr.Code != 300 {
			t.Errorf("%s=%s for %d users: %v, want 400 code 300", bad.FeatureType, bad.FeatureValue, len(bad.Users), err)
		}
	}
	if st, _ := srv.UserState("u0@example.com"); len(st.Features) != 0 || st.Profile.Type != zoomusers.UserTypeLicensed {
		t.Errorf("refused updates changed u0: %v, type %v", st.Features, st.Profile.Type)
	}
	if _, err := c.BulkUpdateFeature(ctx, zoomusers.BulkFeatureUpdate{FeatureType: "large_meeting", FeatureValue: "32", Users: refs(30)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BulkUpdateFeature(ctx, zoomusers.BulkFeatureUpdate{FeatureType: "user_type", FeatureValue: "1", Users: refs(1)}); err != nil {
		t.Fatal(err)
	}
	for i, want := range map[int]string{0: "32", 29: "32", 30: ""} {
		st, _ := srv.UserState(fmt.Sprintf("u%d@example.com", i))
		if st.Features["large_meeting"] != want {
			t.Errorf("u%d large_meeting = %q, want %q", i, st.Features["large_meeting"], want)
		}
	}
	if st, _ := srv.UserState("u0@example.com"); st.Profile.Type != zoomusers.UserTypeBasic {
		t.Errorf("user_type 1 left u0 %v", st.Profile.Type)
	}
}

func TestSettingsTheLicenseDoesNotAllow(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(2), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	basic := c.User("u1@example.com")
	var zerr *zoomusers.Error
	if err := basic.UpdateSettings(ctx, zoomusers.SettingsChange{Feature: &zoomusers.UserSettingsFeatureChange{LargeMeeting: zoomusers.Ptr(true)}}); !errors.As(err, &zerr) || zerr.Code != 1108 {
		t.Errorf("large meetings for a basic user: %v, want 1108", err)
	}
	if err := basic.UpdateSettings(ctx, zoomusers.SettingsChange{Feature: &zoomusers.UserSettingsFeatureChange{Webinar: zoomusers.Ptr(true)}}); !errors.As(err, &zerr) || zerr.Code != 1122 {
		t.Errorf("webinars for a basic user: %v, want 1122", err)
	}
	if st, _ := srv.UserState("u1@example.com"); !isFalse(st.Setting("feature", "large_meeting")) || !isFalse(st.Setting("feature", "webinar")) {
		t.Error("a refused settings change was applied")
	}
	if err := c.User("u0@example.com").UpdateSettings(ctx, zoomusers.SettingsChange{Feature: &zoomusers.UserSettingsFeatureChange{LargeMeeting: zoomusers.Ptr(true)}}); err != nil {
		t.Errorf("large meetings for a licensed user: %v", err)
	}
	if st, _ := srv.UserState("u0@example.com"); !isTrue(st.Setting("feature", "large_meeting")) {
		t.Error("large_meeting not stored")
	}
}

func isTrue(v any, ok bool) bool  { b, is := v.(bool); return ok && is && b }
func isFalse(v any, ok bool) bool { b, is := v.(bool); return ok && is && !b }

func TestAssistantRules(t *testing.T) {
	ctx := context.Background()
	free := zoomtest.NewServer(zoomtest.WithUsers(4), zoomtest.WithPlan(zoomusers.PlanFree), zoomtest.WithoutRateLimits())
	defer free.Close()
	var zerr *zoomusers.Error
	if _, err := newClient(t, free).User("u0@example.com").AddAssistants(ctx, zoomusers.Assistant{Email: zoomusers.Ptr("u3@example.com")}); !errors.As(err, &zerr) || zerr.Code != 200 || !strings.Contains(zerr.Message, "paid account") {
		t.Errorf("assistants on a free account: %v", err)
	}

	srv := zoomtest.NewServer(zoomtest.WithUsers(100), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	host := c.User("u0@example.com")
	for _, tc := range []struct {
		name string
		host *zoomusers.UserHandle
		add  []zoomusers.Assistant
		want string
	}{
		{"a basic host", c.User("u1@example.com"), []zoomusers.Assistant{{Email: zoomusers.Ptr("u3@example.com")}}, "Licensed user"},
		{"a basic assistant", host, []zoomusers.Assistant{{Email: zoomusers.Ptr("u3@example.com")}, {Email: zoomusers.Ptr("u1@example.com")}}, "Licensed user"},
		{"an unknown assistant", host, []zoomusers.Assistant{{Email: zoomusers.Ptr("u3@example.com")}, {Email: zoomusers.Ptr("ghost@example.com")}}, "Can't find user ghost@example.com"},
		{"the host itself", host, []zoomusers.Assistant{{Email: zoomusers.Ptr("u0@example.com")}}, "yourself"},
		{"the same assistant twice", host, []zoomusers.Assistant{{Email: zoomusers.Ptr("u3@example.com")}, {Email: zoomusers.Ptr("U3@example.com")}}, "already granted"},
	} {
		_, err := tc.host.AddAssistants(ctx, tc.add...)
		if !errors.As(err, &zerr) || zerr.StatusCode != 400 || zerr.Code != 200 || !strings.Contains(zerr.Message, tc.want) {
			t.Errorf("%s: %v, want 400 code 200 saying %q", tc.name, err, tc.want)
		}
	}
	if st, _ := srv.UserState("u0@example.com"); len(st.Assistants) != 0 {
		t.Errorf("refused requests added assistants: %+v", st.Assistants)
	}
	// Thirty at once at most (the spec's limit on the list); no limit in all is documented.
	var licensed []zoomusers.Assistant
	for i := 3; i <= 93; i += 3 {
		licensed = append(licensed, zoomusers.Assistant{Email: zoomusers.Ptr(fmt.Sprintf("u%d@example.com", i))})
	}
	if _, err := host.AddAssistants(ctx, licensed[:31]...); !errors.As(err, &zerr) || !slices.Equal(zerr.FieldErrors, []zoomusers.FieldError{{Field: "assistants", Message: "Invalid field."}}) {
		t.Errorf("31 assistants at once: %v", err)
	}
	if _, err := host.AddAssistants(ctx, licensed[:30]...); err != nil {
		t.Fatal(err)
	}
	if _, err := host.AddAssistants(ctx, licensed[30]); err != nil {
		t.Errorf("a 31st assistant in a second request: %v, want success", err)
	}
	st, _ := srv.UserState("u0@example.com")
	if len(st.Assistants) != 31 || *st.Assistants[0].Email != "u3@example.com" || *st.Assistants[30].Email != "u93@example.com" {
		t.Errorf("assistants after 30 added: %d", len(st.Assistants))
	}
	if a, _ := srv.UserState("u90@example.com"); len(a.Schedulers) != 1 || *a.Schedulers[0].Email != "u0@example.com" {
		t.Errorf("the 30th assistant's schedulers: %+v", a.Schedulers)
	}
}

func TestUploadRules(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	pic, vb := "/users/u0@example.com/picture", "/users/u0@example.com/settings/virtual_backgrounds"
	for _, tc := range []struct {
		name, path, field string
		data              []byte
		message           string
	}{
		{"no file part", pic, "other", pngData, "No file uploaded, verify that a file has been uploaded."},
		{"an empty picture", pic, "pic_file", nil, "File is empty."},
		{"a picture over 2 MB", pic, "pic_file", append(slices.Clone(pngData), make([]byte, 2<<20)...), "File size cannot exceed 2M."},
		{"a text picture", pic, "pic_file", textData, "Only jpg/jpeg or png image file can be uploaded."},
		{"a GIF picture", pic, "pic_file", gifData, "Only jpg/jpeg or png image file can be uploaded."},
		{"a background over 15 MB", vb, "file", append(slices.Clone(pngData), make([]byte, 15<<20)...), "File size cannot exceed 15M."},
		{"a text background", vb, "file", textData, "Only jpg/jpeg, gif or png image file can be uploaded."},
	} {
		a := upload(t, srv, tc.path, tc.field, "f", tc.data)
		if a.status != 400 || a.zoom.Code != 120 || a.zoom.Message != tc.message {
			t.Errorf("%s: %d code %d %q, want 400 code 120 %q", tc.name, a.status, a.zoom.Code, a.zoom.Message, tc.message)
		}
	}
	if st, _ := srv.UserState("u0@example.com"); st.Picture != nil || len(st.VirtualBackgrounds) != 0 {
		t.Errorf("refused uploads were kept: %+v %+v", st.Picture, st.VirtualBackgrounds)
	}

	a := upload(t, srv, pic, "pic_file", "me.jpg", jpegData)
	st, _ := srv.UserState("u0@example.com")
	if a.status != 201 || len(a.body) != 0 || st.Picture == nil || a.header.Get("Content-Location") != *st.Profile.PicURL {
		t.Errorf("picture upload: %d %q Content-Location %q, state %+v", a.status, a.body, a.header.Get("Content-Location"), st.Picture)
	} else if p := st.Picture; p.Name != "me.jpg" || p.ContentType != "image/jpeg" || p.Size != int64(len(jpegData)) || p.SHA256 != sha(jpegData) {
		t.Errorf("picture kept as %+v", p)
	}

	exact := append(slices.Clone(pngData[:16]), make([]byte, 2<<20-16)...)
	if a := upload(t, srv, pic, "pic_file", "big.png", exact); a.status != 201 {
		t.Errorf("a picture of exactly 2 MB: %d %s", a.status, a.body)
	}
	if st, _ := srv.UserState("u0@example.com"); st.Picture.Size != 2<<20 || st.Picture.SHA256 != sha(exact) {
		t.Errorf("the 2 MB picture kept as %+v", st.Picture)
	}

	for i, data := range [][]byte{pngData, jpegData, gifData, mp4Data, movData, pngData, pngData, pngData, pngData, pngData} {
		if a := upload(t, srv, vb, "file", fmt.Sprintf("bg%d", i), data); a.status != 201 {
			t.Fatalf("background %d: %d %s", i, a.status, a.body)
		}
	}
	a = upload(t, srv, vb, "file", "bg10", pngData)
	if a.status != 400 || a.zoom.Code != 120 || a.zoom.Message != "A maximum of 10 files are allowed for a user." {
		t.Errorf("an 11th background: %d %d %q", a.status, a.zoom.Code, a.zoom.Message)
	}
	st, _ = srv.UserState("u0@example.com")
	if len(st.VirtualBackgrounds) != 10 || st.VirtualBackgrounds[3].Type != "video" || st.VirtualBackgrounds[4].ContentType != "video/quicktime" || st.VirtualBackgrounds[4].Type != "video" || st.VirtualBackgrounds[2].ContentType != "image/gif" || st.VirtualBackgrounds[3].SHA256 != sha(mp4Data) {
		t.Fatalf("backgrounds kept: %+v", st.VirtualBackgrounds)
	}
	first, second := st.VirtualBackgrounds[0].ID, st.VirtualBackgrounds[1].ID
	a = call(t, srv, "DELETE", vb+"?file_ids="+first+",vb-nope", "", nil)
	a.want(t, "delete a known and an unknown background", 400, 300)
	if st, _ := srv.UserState("u0@example.com"); len(st.VirtualBackgrounds) != 10 {
		t.Errorf("a refused delete removed %d backgrounds", 10-len(st.VirtualBackgrounds))
	}
	if a := call(t, srv, "DELETE", vb+"?file_ids="+first+","+second, "", nil); a.status != 204 {
		t.Errorf("delete two backgrounds: %d %s", a.status, a.body)
	}
	if st, _ := srv.UserState("u0@example.com"); len(st.VirtualBackgrounds) != 8 || st.VirtualBackgrounds[0].Name != "bg2" {
		t.Errorf("after deleting two: %+v", st.VirtualBackgrounds)
	}
}

func TestDeleteRules(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(3), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	ctx := context.Background()
	var zerr *zoomusers.Error
	if err := c.User(zoomtest.OwnerEmail).Delete(ctx, nil); !errors.As(err, &zerr) || zerr.Code != 1117 {
		t.Errorf("delete the owner: %v, want 1117", err)
	}
	if err := c.User("u0@example.com").Delete(ctx, &zoomusers.DeleteUserParams{TransferEmail: "U0@example.com"}); !errors.As(err, &zerr) || zerr.Code != 300 {
		t.Errorf("transfer to the user who leaves: %v, want 300", err)
	}
	if _, ok := srv.UserState("u0@example.com"); !ok {
		t.Fatal("a refused delete removed the user")
	}
	// A transfer to nobody: no refusal documented, so accepted and recorded as asked.
	srv.SeedUsers("leaver@example.com")
	if err := c.User("leaver@example.com").Delete(ctx, &zoomusers.DeleteUserParams{TransferEmail: "ghost@example.com"}); err != nil {
		t.Errorf("transfer to nobody: %v, want success", err)
	}
	if d, ok := srv.Deletion("leaver@example.com"); !ok || d.TransferEmail != "ghost@example.com" {
		t.Errorf("transfer to nobody recorded as %+v (found %v)", d, ok)
	}
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate, UserInfo: zoomusers.NewUser{Email: "invited@example.com", Type: zoomusers.UserTypeBasic}}); err != nil {
		t.Fatal(err)
	}
	// Zoom says to disassociate a pending user, not what delete does to one: accepted.
	if err := c.User("invited@example.com").Delete(ctx, &zoomusers.DeleteUserParams{Action: zoomusers.DeleteActionDelete}); err != nil {
		t.Errorf("delete a pending user for good: %v, want success", err)
	}
	if d, ok := srv.Deletion("invited@example.com"); !ok || d.Action != "delete" {
		t.Errorf("the pending user's deletion: %+v (found %v)", d, ok)
	}
	before := srv.UserCount()
	if err := c.User("u0@example.com").Delete(ctx, &zoomusers.DeleteUserParams{Action: zoomusers.DeleteActionDelete,
		TransferEmail: zoomtest.OwnerEmail, TransferMeeting: true, TransferRecording: true}); err != nil {
		t.Fatal(err)
	}
	d, ok := srv.Deletion("u0@example.com")
	if _, still := srv.UserState("u0@example.com"); still || !ok || d.Action != "delete" || d.TransferEmail != zoomtest.OwnerEmail || !slices.Equal(d.Transferred, []string{"meeting", "recording"}) {
		t.Errorf("deletion recorded as %+v (found %v)", d, ok)
	}
	if byID, _ := srv.Deletion(d.ID); byID.Email != "u0@example.com" {
		t.Errorf("deletion by ID: %+v", byID)
	}
	if n := srv.UserCount(); n != before-1 {
		t.Errorf("one delete took the account from %d users to %d", before, n)
	}
	for _, other := range []string{zoomtest.OwnerEmail, "u1@example.com", "u2@example.com"} {
		if _, ok := srv.UserState(other); !ok {
			t.Errorf("deleting u0 removed %s", other)
		}
	}

	// One DELETE per user at a time, however the user is named: a second one while the
	// first is in flight is refused.
	mustInject(t, srv.Inject(zoomusers.OpUserDelete, 1, zoomtest.Fault{Latency: 300 * time.Millisecond}))
	u1, _ := srv.UserState("u1@example.com")
	errs := make(chan error, 2)
	for _, name := range []string{"u1@example.com", *u1.Profile.ID} {
		go func() { errs <- c.User(name).Delete(ctx, nil) }()
	}
	var ok2, limited int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			ok2++
		case errors.As(err, &zerr) && zerr.StatusCode == 429 && zerr.Message == "Too many concurrent requests.":
			limited++
		default:
			t.Errorf("concurrent delete: %v", err)
		}
	}
	if ok2 != 1 || limited != 1 {
		t.Errorf("two concurrent deletes: %d done, %d refused; want 1 and 1", ok2, limited)
	}
	if d, ok := srv.Deletion("u1@example.com"); !ok || d.Action != "disassociate" || d.Transferred != nil {
		t.Errorf("default delete recorded as %+v", d)
	}
}

func TestSwitchAccountRules(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	var zerr *zoomusers.Error
	if err := c.User(zoomtest.OwnerEmail).SwitchAccount(ctx, zoomtest.AccountID, "sub-1"); !errors.As(err, &zerr) || zerr.Code != 1117 {
		t.Errorf("move an admin: %v, want 1117", err)
	}
	if err := c.User("u0@example.com").SwitchAccount(ctx, "someone-else", "sub-1"); !errors.As(err, &zerr) || zerr.StatusCode != 404 {
		t.Errorf("move from another account: %v, want 404", err)
	}
	if err := c.User("ghost@example.com").SwitchAccount(ctx, zoomtest.AccountID, "sub-1"); !errors.Is(err, zoomusers.ErrNotFound) {
		t.Errorf("move nobody: %v", err)
	}
	// A move to the account the user is in: no refusal documented, accepted, nothing moves.
	if err := c.User("u0@example.com").SwitchAccount(ctx, zoomtest.AccountID, zoomtest.AccountID); err != nil {
		t.Errorf("move to the same account: %v, want success", err)
	}
	if st, _ := srv.UserState("u0@example.com"); len(st.AccountMoves) != 0 {
		t.Errorf("a move to the same account was recorded: %+v", st.AccountMoves)
	}
	if err := c.User("u0@example.com").SwitchAccount(ctx, zoomtest.AccountID, "sub-1"); err != nil {
		t.Fatal(err)
	}
	st, _ := srv.UserState("u0@example.com")
	if st.AccountID != "sub-1" || len(st.AccountMoves) != 1 || st.AccountMoves[0].From != zoomtest.AccountID || st.AccountMoves[0].To != "sub-1" || *st.Profile.AccountID != "sub-1" {
		t.Errorf("after the move: account %q, moves %+v", st.AccountID, st.AccountMoves)
	}
}

func TestPageNumberPaging(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(10), zoomtest.WithoutRateLimits())
	defer srv.Close()
	type page struct {
		PageNumber   int `json:"page_number"`
		PageCount    int `json:"page_count"`
		TotalRecords int `json:"total_records"`
		Users        []struct {
			Email string `json:"email"`
		} `json:"users"`
	}
	get := func(query string) (page, answer) {
		a := call(t, srv, "GET", "/users?"+query, "", nil)
		var p page
		decodeJSON(t, a.body, &p)
		return p, a
	}
	for number, want := range map[int][]string{
		1: {zoomtest.OwnerEmail, "u0@example.com", "u1@example.com", "u2@example.com"},
		2: {"u3@example.com", "u4@example.com", "u5@example.com", "u6@example.com"},
		3: {"u7@example.com", "u8@example.com", "u9@example.com"},
		4: {},
	} {
		p, a := get(fmt.Sprintf("page_size=4&page_number=%d", number))
		var got []string
		for _, u := range p.Users {
			got = append(got, u.Email)
		}
		if a.status != 200 || !slices.Equal(got, want) && len(want)+len(got) > 0 || p.PageNumber != number || p.PageCount != 3 || p.TotalRecords != 11 {
			t.Errorf("page %d: %d %v number %d of %d (%d users)", number, a.status, got, p.PageNumber, p.PageCount, p.TotalRecords)
		}
	}
	// Below 1: no refusal documented, read as the defaults (30 a page, the first page).
	for _, q := range []string{"page_size=0", "page_size=-5", "page_number=0", "page_number=-1"} {
		p, a := get(q)
		if a.status != 200 || len(p.Users) != 11 || p.PageNumber != 1 {
			t.Errorf("%s: %d, %d users, page %d; want the first page of 30", q, a.status, len(p.Users), p.PageNumber)
		}
	}
	for _, q := range []string{"page_size=2001", "page_number=x"} {
		_, a := get(q)
		field, _, _ := strings.Cut(q, "=")
		if a.status != 400 || a.zoom.Code != 300 || !slices.Equal(a.fields(), []string{field + ": Invalid field."}) {
			t.Errorf("%s: %d %v", q, a.status, a.fields())
		}
	}
	if p, a := get("page_size=3&page_number=2147483647"); a.status != 200 || len(p.Users) != 0 || p.PageNumber != 2147483647 {
		t.Errorf("a huge page number: %d, %d users, page %d", a.status, len(p.Users), p.PageNumber)
	}
	if p, _ := get("page_size=2000"); len(p.Users) != 11 {
		t.Errorf("page_size=2000 listed %d", len(p.Users))
	}
}

func TestEmailChangesPerDay(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithClock(func() time.Time { return now }), zoomtest.WithTokenLifetime(72*time.Hour), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	ctx := context.Background()
	current := "u0@example.com"
	rename := func(i int) error {
		next := fmt.Sprintf("renamed%d@example.com", i)
		err := c.User(current).UpdateEmail(ctx, next)
		if err == nil {
			current = next
		}
		return err
	}
	for i := range 3 {
		if err := rename(i); err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
		now = now.Add(time.Hour)
	}
	if err := rename(3); !errors.Is(err, zoomusers.ErrRateLimited) {
		t.Errorf("a 4th change within 24 hours: %v, want 429", err)
	}
	now = now.Add(21 * time.Hour) // the first change is now exactly 24 hours old
	if err := rename(4); err != nil {
		t.Errorf("a change 24 hours after the first: %v", err)
	}
	st, _ := srv.UserState(current)
	if len(st.EmailChanges) != 4 || st.EmailChanges[0].From != "u0@example.com" || st.EmailChanges[3].To != "renamed4@example.com" {
		t.Errorf("email changes: %+v", st.EmailChanges)
	}
	if _, ok := srv.UserState("u0@example.com"); ok {
		t.Error("the old address still finds the user")
	}
}

func TestPresenceRules(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithClock(func() time.Time { return now }), zoomtest.WithTokenLifetime(72*time.Hour), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	ctx := context.Background()
	u := c.User("u0@example.com")
	var zerr *zoomusers.Error
	if err := u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Away", Duration: zoomusers.Ptr(10)}); err != nil {
		t.Errorf("a duration with Away (no documented refusal): %v, want success", err)
	}
	if st, _ := srv.UserState("u0@example.com"); st.Presence != "Away" || st.PresenceDuration != 0 {
		t.Errorf("Away with a duration: %q for %d min, want Away with the duration ignored", st.Presence, st.PresenceDuration)
	}
	now = now.Add(time.Minute) // one change a minute
	if err := u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Do_Not_Disturb", Duration: zoomusers.Ptr(30)}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(59 * time.Second)
	if err := u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Away"}); !errors.As(err, &zerr) || zerr.StatusCode != 429 || !strings.Contains(zerr.Message, "presence status") {
		t.Errorf("a second change within a minute: %v", err)
	}
	st, _ := srv.UserState("u0@example.com")
	if st.Presence != "Do_Not_Disturb" || st.PresenceDuration != 30 || !st.PresenceChangedAt.Equal(now.Add(-59*time.Second)) {
		t.Errorf("presence kept as %q for %d min at %v", st.Presence, st.PresenceDuration, st.PresenceChangedAt)
	}
	// Only the user sees when Do_Not_Disturb ends; an admin token sees the status.
	if p, err := u.PresenceStatus(ctx); err != nil || p.Status != "Do_Not_Disturb" || p.EndTime != nil {
		t.Errorf("presence seen by an admin: %+v, %v", p, err)
	}
	me := userClient(t, srv, "u0@example.com")
	if p, err := me.Me().PresenceStatus(ctx); err != nil || p.EndTime == nil || *p.EndTime != "2026-03-01T12:31:00Z" || p.RemainingTime == nil || *p.RemainingTime != 29*60+1 {
		t.Errorf("presence seen by the user: %+v, %v", p, err)
	}
	now = now.Add(30 * time.Minute)
	if p, err := u.PresenceStatus(ctx); err != nil || p.Status != "Available" {
		t.Errorf("after Do_Not_Disturb ran out: %+v, %v", p, err)
	}
	if err := u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Do_Not_Disturb"}); err != nil {
		t.Errorf("a change after a minute: %v", err)
	}
	if st, _ := srv.UserState("u0@example.com"); st.PresenceDuration != 20 {
		t.Errorf("Do_Not_Disturb without a duration lasts %d minutes, want the default 20", st.PresenceDuration)
	}
	now = now.Add(time.Minute) // exactly a minute later
	if err := u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Away"}); err != nil {
		t.Errorf("a change exactly a minute after the last: %v", err)
	}
	if st, _ := srv.UserState("u0@example.com"); st.Presence != "Away" || st.PresenceDuration != 0 {
		t.Errorf("presence after Away: %q for %d minutes", st.Presence, st.PresenceDuration)
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }
