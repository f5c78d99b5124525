package test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// golden is what a corpus file must decode to.
type golden struct {
	// call picks a client method when the operation has several (the settings variants);
	// "" calls the operation's usual method.
	call string
	// drifts are the drifts the answer must report, in order: "coerced pmi".
	drifts []string
	// check asserts the decoded values.
	check func(t *testing.T, v any)
}

// goldens holds one expectation per corpus file; TestCorpusGolden fails for a file
// without one.
var goldens = map[string]golden{
	// Zoom's documentation pages.
	"seed-000.user.json": {check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "email", *u.Email, "harryg@dfkjdslfjkdsfjkdsf.fsdfdfd")
		eq(t, "pmi", *u.PMI, 100000000)
		eq(t, "type", u.Type, zoomusers.UserTypeLicensed)
		eq(t, "custom attribute", attrs(u), [][3]string{{"cb3674544gexq", "Country of Citizenship", "Nepal"}})
		eq(t, "dept", *u.Dept, "") // sent empty: present and empty, not absent
		eq(t, "group_ids", *u.GroupIDs, []string{})
		eq(t, "created_at", *u.CreatedAt, time.Date(2018, 11, 15, 1, 10, 8, 0, time.UTC))
	}},
	// Get User's "Example Output": custom_attributes is one object, not an array. It
	// used to fail the whole call.
	"seed-001.user.json": {drifts: []string{"coerced custom_attributes"}, check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "email", *u.Email, "jchill@example.com")
		eq(t, "pmi", *u.PMI, 3542471135)
		eq(t, "custom attribute", attrs(u), [][3]string{{"cbf_cywdkexrtqc73f97gd4w6g", "A1", "1"}})
		eq(t, "status", *u.Status, zoomusers.UserStatusPending)
		eq(t, "phone number", *(*u.PhoneNumbers)[0].Number, "800000000")
		eq(t, "use_pmi", *u.UsePMI, false)
		eq(t, "verified", *u.Verified, 1)
		eq(t, "last_login_time", *u.LastLoginTime, time.Date(2021, 5, 5, 20, 40, 30, 0, time.UTC))
		isNil(t, "user_created_at (not sent)", u.UserCreatedAt)
	}},
	// Get user settings' example: tsp.call_out_countries is a list of strings, where
	// Zoom's 2025 spec declares objects. It used to fail the whole call; the spec now
	// declares strings (see x-differences), and every setting arrives.
	"seed-002.userSettings.json": {check: func(t *testing.T, v any) {
		s := as[*zoomusers.UserSettings](t, v)
		eq(t, "tsp.call_out_countries", *s.TSP.CallOutCountries, []string{"USA"})
		eq(t, "tsp.call_out", *s.TSP.CallOut, true)
		eq(t, "tsp.show_international_numbers_link", *s.TSP.ShowInternationalNumbersLink, false)
		eq(t, "schedule_meeting.pmi_password", *s.ScheduleMeeting.PMIPassword, "98654")
		eq(t, "schedule_meeting.host_video", *s.ScheduleMeeting.HostVideo, true)
		eq(t, "schedule_meeting.join_before_host", *s.ScheduleMeeting.JoinBeforeHost, false)
		eq(t, "in_meeting.data_center_regions", *s.InMeeting.DataCenterRegions, []string{"AU", "CN", "EU", "HK", "LA", "TY", "US"})
		eq(t, "in_meeting.entry_exit_chime", string(*s.InMeeting.EntryExitChime), "all")
		eq(t, "recording.auto_recording", string(*s.Recording.AutoRecording), "none")
		eq(t, "feature.meeting_capacity", *s.Feature.MeetingCapacity, 100)
		eq(t, "email_notification.jbh_reminder", *s.EmailNotification.JBHReminder, false)
		isNil(t, "in_meeting.whiteboard (not sent)", s.InMeeting.Whiteboard)
		isNil(t, "profile (not sent)", s.Profile)
	}},
	// The custom_query_fields example of the same page, and of the PHP SDK's page.
	"seed-002.userSettings.2.json": {check: hostVideoOnly},
	"seed-003.userSettings.json":   {check: hostVideoOnly},

	// Zoom's 2021 spec: whole example answers.
	"zoom2021.users.json": {check: func(t *testing.T, v any) {
		p := as[*zoomusers.UserPage](t, v)
		eq(t, "users", len(p.Users), 1)
		u := p.Users[0]
		eq(t, "email", *u.Email, "example@example.com")
		eq(t, "pmi", *u.PMI, 111111111)
		eq(t, "im_group_ids", *u.ImGroupIDs, []string{"GroupName"})
		eq(t, "page", [4]int{p.PageCount, p.PageNumber, p.PageSize, p.TotalRecords}, [4]int{1, 1, 30, 1})
		eq(t, "next page token (old answers have none)", p.NextPageToken, "")
	}},
	"zoom2021.user.json": {check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "email", *u.Email, "example@example.com")
		eq(t, "pmi", *u.PMI, 100000000)
		eq(t, "custom attribute", attrs(u), [][3]string{{"cb3674544gexq", "Country of Citizenship", "Nepal"}})
		eq(t, "host_key", *u.HostKey, "0000")
	}},
	// The 2021 create example names types instead of giving values: "integer" is no
	// user type, so type reads as absent; the strings are kept as the strings they are.
	"zoom2021.userCreate.json": {drifts: []string{"dropped type"}, check: func(t *testing.T, v any) {
		u := as[*zoomusers.CreatedUser](t, v)
		isNil(t, "type", u.Type)
		eq(t, "id", *u.ID, "string")
		eq(t, "email", *u.Email, "string")
	}},
	"zoom2021.userZak.json": {check: func(t *testing.T, v any) {
		eq(t, "zak", as[string](t, v), "sslldd00933aaas")
	}},
	"zoom2021.userAssistants.json": {check: func(t *testing.T, v any) {
		a := as[[]zoomusers.Assistant](t, v)
		eq(t, "assistants", len(a), 1)
		eq(t, "assistant", [2]string{*a[0].ID, *a[0].Email}, [2]string{"ddgdfgfdgfgg", "example@example.com"})
	}},
	// "string [date-time]" is no time: add_at reads as absent, ids is kept.
	"zoom2021.userAssistantCreate.json": {drifts: []string{"dropped add_at"}, check: func(t *testing.T, v any) {
		a := as[*zoomusers.AssistantsAdded](t, v)
		isNil(t, "add_at", a.AddAt)
		eq(t, "ids", *a.IDs, "string")
	}},
	"zoom2021.userSchedulers.json": {check: func(t *testing.T, v any) {
		s := as[[]zoomusers.Scheduler](t, v)
		eq(t, "schedulers", len(s), 2)
		eq(t, "second scheduler", *s[1].Email, "example-2@example.com")
		isNil(t, "pmi (not sent)", s[0].PMI)
	}},
	// The 2021 settings example has the same call_out_countries strings as the page.
	"zoom2021.userSettings.json": {check: func(t *testing.T, v any) {
		s := as[*zoomusers.UserSettings](t, v)
		eq(t, "tsp.call_out_countries", *s.TSP.CallOutCountries, []string{"USA"})
		eq(t, "in_meeting.join_from_mobile", *s.InMeeting.JoinFromMobile, true)
		eq(t, "in_meeting.show_a_join_from_your_browser_link", *s.InMeeting.ShowAJoinFromYourBrowserLink, true)
		eq(t, "schedule_meeting.audio_type", string(*s.ScheduleMeeting.AudioType), "both")
	}},
	"zoom2021.userPermission.json": {check: func(t *testing.T, v any) {
		p := as[[]string](t, v)
		eq(t, "permissions", len(p), 61)
		eq(t, "first and last", [2]string{p[0], p[len(p)-1]}, [2]string{"IMGroups:Edit", "WebinarSetting:Read"})
	}},
	"zoom2021.userToken.json": {check: func(t *testing.T, v any) {
		eq(t, "token", as[string](t, v), "string")
	}},
	"zoom2021.userEmail.json": {check: func(t *testing.T, v any) {
		eq(t, "existed_email", as[bool](t, v), false)
	}},
	"zoom2021.userVanityName.json": {check: func(t *testing.T, v any) {
		eq(t, "existed", as[bool](t, v), true)
	}},
	"zoom2021.uploadVBuser.json": {check: func(t *testing.T, v any) {
		f := as[*zoomusers.VirtualBackgroundFile](t, v)
		eq(t, "size", *f.Size, 53434)
		eq(t, "name", *f.Name, "u=mdbhhfg3y7&fm=2fdjs0.jpg")
		eq(t, "is_default", *f.IsDefault, false)
	}},

	// Zoom's 2025 spec: answers assembled from its property examples.
	"zoom2025.users.json": {check: func(t *testing.T, v any) {
		p := as[*zoomusers.UserPage](t, v)
		eq(t, "users", len(p.Users), 1)
		u := p.Users[0]
		eq(t, "email", *u.Email, "jchill@example.com")
		eq(t, "pmi", *u.PMI, 6589310093)
		eq(t, "custom attribute", attrs(&u), [][3]string{{"cbf_cywdkexrtqc73f97gd4w6g", "A1", "2323"}})
		eq(t, "user_created_at", *u.UserCreatedAt, time.Date(2019, 6, 1, 7, 58, 3, 0, time.UTC))
		eq(t, "next_page_token", p.NextPageToken, "8V8HigQkzm2O5r9RUn31D9ZyJHgrmFfbLa2")
		eq(t, "total_records", p.TotalRecords, 8482)
	}},
	"zoom2025.user.json": {check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "email", *u.Email, "jchill@example.com")
		eq(t, "pmi", *u.PMI, 3542471135)
		eq(t, "account_number", *u.AccountNumber, 10009239)
		eq(t, "custom attribute", attrs(u), [][3]string{{"cbf_cywdkexrtqc73f97gd4w6g", "A1", "1"}})
		eq(t, "login_types", *u.LoginTypes, []zoomusers.LoginType{101})
		eq(t, "zoom_one_type", *u.ZoomOneType, 64)
	}},
	"zoom2025.userCreate.json": {check: func(t *testing.T, v any) {
		u := as[*zoomusers.CreatedUser](t, v)
		eq(t, "created", [2]string{*u.ID, *u.Email}, [2]string{"KDcuGIm1QgePTO8WbOqwIQ", "jchill@example.com"})
		eq(t, "type", *u.Type, zoomusers.UserTypeBasic)
	}},
	"zoom2025.userEmail.json": {check: func(t *testing.T, v any) {
		eq(t, "existed_email", as[bool](t, v), true)
	}},
	"zoom2025.userVanityName.json": {check: func(t *testing.T, v any) {
		eq(t, "existed", as[bool](t, v), false)
	}},
	"zoom2025.userZak.json": {check: func(t *testing.T, v any) {
		zak := as[string](t, v)
		eq(t, "zak is a JWT", len(zak) > 300 && zak[:20] == "eyJ0eXAiOiJKV1QiLCJz", true)
	}},
	"zoom2025.userToken.json": {check: func(t *testing.T, v any) {
		eq(t, "token", as[string](t, v), "6IjAwMDAwMSIsInptX3NrbSI6InptX")
	}},
	"zoom2025.userSummary.json": {check: func(t *testing.T, v any) {
		s := as[*zoomusers.UserSummary](t, v)
		eq(t, "total", *s.TotalUsersCount, 120)
		eq(t, "licensed", *s.LicensedUsersCount, 30)
	}},
	"zoom2025.bulkUpdateFeature.json": {check: func(t *testing.T, v any) {
		r := as[*zoomusers.BulkFeatureResult](t, v)
		eq(t, "success", *r.SuccessUserIDs, []string{"-gbbm4KGTsSvL5zmELDJdw"})
		eq(t, "fail reason", *(*r.FailDetails)[0].Reason, "Not enough seats")
	}},
	"zoom2025.userPermission.json": {check: func(t *testing.T, v any) {
		eq(t, "permissions", as[[]string](t, v), []string{"Branding:Edit"})
	}},
	"zoom2025.userAssistants.json": {check: func(t *testing.T, v any) {
		a := as[[]zoomusers.Assistant](t, v)
		eq(t, "assistant", [2]string{*a[0].ID, *a[0].Email}, [2]string{"KDcuGIm1QgePTO8WbOqwIQ", "jchill@example.com"})
	}},
	"zoom2025.userAssistantCreate.json": {check: func(t *testing.T, v any) {
		a := as[*zoomusers.AssistantsAdded](t, v)
		eq(t, "add_at", *a.AddAt, time.Date(2018, 10, 31, 4, 32, 37, 0, time.UTC))
		eq(t, "ids", *a.IDs, "KDcuGIm1QgePTO8WbOqwIQ")
	}},
	"zoom2025.userSchedulers.json": {check: func(t *testing.T, v any) {
		s := as[[]zoomusers.Scheduler](t, v)
		eq(t, "scheduler", *s[0].Email, "jchill@example.com")
		eq(t, "pmi", *s[0].PMI, 3542471135)
	}},
	"zoom2025.uploadVBuser.json": {check: func(t *testing.T, v any) {
		f := as[*zoomusers.VirtualBackgroundFile](t, v)
		eq(t, "size", *f.Size, 7221)
		eq(t, "is_default", *f.IsDefault, true)
		eq(t, "type", string(*f.Type), "image")
	}},
	"zoom2025.listCollaborationDevices.json": {check: func(t *testing.T, v any) {
		d := as[[]zoomusers.CollaborationDevice](t, v)
		eq(t, "device", [2]string{*d[0].DeviceName, string(*d[0].Status)}, [2]string{"Test Computer", "Online"})
	}},
	"zoom2025.getCollaborationDevice.json": {check: func(t *testing.T, v any) {
		d := as[*zoomusers.CollaborationDevice](t, v)
		eq(t, "room", *d.RoomName, "My Personal Zoom Room")
	}},
	"zoom2025.getUserMeetingTemplates.json": {check: func(t *testing.T, v any) {
		m := as[*zoomusers.MeetingTemplate](t, v)
		eq(t, "name", *m.Name, "Meeting template name")
		eq(t, "auto_recording", string(*m.Settings.Recording.AutoRecording), "cloud")
		eq(t, "mute_upon_entry", *m.Settings.ScheduleMeeting.MuteUponEntry, false)
	}},
	"zoom2025.getUserPresenceStatus.json": {check: func(t *testing.T, v any) {
		p := as[*zoomusers.PresenceStatus](t, v)
		eq(t, "status", string(p.Status), "Do_Not_Disturb")
		eq(t, "end_time", *p.EndTime, "2024-03-27T04:00:00Z")
		eq(t, "remaining_time", *p.RemainingTime, 60)
	}},
	"zoom2025.getUserPresenceStatus.2.json": {check: func(t *testing.T, v any) {
		p := as[*zoomusers.PresenceStatus](t, v)
		eq(t, "status", string(p.Status), "Available")
		isNil(t, "end_time", p.EndTime)
	}},
	"zoom2025.userSettings.json": {check: func(t *testing.T, v any) {
		s := as[*zoomusers.UserSettings](t, v)
		eq(t, "feature.concurrent_meeting", *s.Feature.ConcurrentMeeting, "Basic")
		eq(t, "feature.zoom_events_unlimited_capacities", *s.Feature.ZoomEventsUnlimitedCapacities, []int{500, 100})
		eq(t, "audio_conferencing number", *(*s.AudioConferencing.TollFreeAndFeeBasedTollCall.Numbers)[0].DisplayNumber, "+86 777 777 77")
		eq(t, "whiteboard.in_meeting_advanced_whiteboard", *s.Whiteboard.InMeetingAdvancedWhiteboard, true)
		isNil(t, "tsp.call_out_countries (no example)", s.TSP.CallOutCountries)
	}},
	// A settings variant the client does not model (item 4 of issue 8): its
	// authentication_options is an object of two sections where the meeting variant
	// declares a list of options; it is dropped, not turned into an empty option.
	"zoom2025.userSettings.2.json": {call: "meetingAuthentication", drifts: []string{"dropped authentication_options"}, check: func(t *testing.T, v any) {
		s := as[*zoomusers.MeetingAuthSettings](t, v)
		isNil(t, "authentication_options", s.AuthenticationOptions)
		isNil(t, "allow_authentication_exception", s.AllowAuthenticationException)
		// meeting_authentication is required in api/openapi.yaml, hence a plain bool
		// that reads false when absent, as here: a matter for the spec, not the decoder.
	}},
	"zoom2025.userSettings.3.json": {call: "meetingAuthentication", check: func(t *testing.T, v any) {
		s := as[*zoomusers.MeetingAuthSettings](t, v)
		eq(t, "meeting_authentication", s.MeetingAuthentication, true)
		o := (*s.AuthenticationOptions)[0]
		eq(t, "option", [2]string{*o.ID, string(*o.Type)}, [2]string{"ewf22f42fewf4232fgg4343lki4", "enforce_login_with_domains"})
	}},
	"zoom2025.userSettings.4.json": {call: "recordingAuthentication", check: func(t *testing.T, v any) {
		s := as[*zoomusers.RecordingAuthSettings](t, v)
		eq(t, "recording_authentication", s.RecordingAuthentication, true)
		eq(t, "domains", *(*s.AuthenticationOptions)[0].Domains, "example.com")
	}},
	"zoom2025.userSettings.5.json": {call: "meetingSecurity", check: func(t *testing.T, v any) {
		s := as[*zoomusers.MeetingSecuritySettings](t, v)
		eq(t, "encryption_type", string(*s.MeetingSecurity.EncryptionType), "e2ee")
		eq(t, "block_user_domain_list", *s.MeetingSecurity.BlockUserDomainList, []string{"example.com"})
		eq(t, "password length", *s.MeetingSecurity.MeetingPasswordRequirement.Length, 10)
	}},

	// Hand-written cases, one for each drift ZOOM_FACTS.md names.
	"drift.user.pmi-number.json": {check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "pmi beyond int32", *u.PMI, 9876543210)
		eq(t, "use_pmi", *u.UsePMI, true)
	}},
	"drift.user.pmi-string.json": {drifts: []string{"coerced pmi"}, check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "pmi", *u.PMI, 3542471135)
		eq(t, "email", *u.Email, "pmi.as.text@example.com")
	}},
	// Our spec declares size an integer (older Zoom specs said string), so a number fits.
	"drift.uploadVBuser.size-number.json": {check: func(t *testing.T, v any) {
		eq(t, "size", *as[*zoomusers.VirtualBackgroundFile](t, v).Size, 53434)
	}},
	"drift.uploadVBuser.size-string.json": {drifts: []string{"coerced size"}, check: func(t *testing.T, v any) {
		f := as[*zoomusers.VirtualBackgroundFile](t, v)
		eq(t, "size", *f.Size, 7221)
		eq(t, "name", *f.Name, "beach.png")
	}},
	// Undocumented fields are neither drift nor failure.
	"drift.user.undocumented-fields.json": {check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "email", *u.Email, "extra.fields@example.com")
		eq(t, "pmi", *u.PMI, 4455667788)
		eq(t, "cluster", *u.Cluster, "us05")
	}},
	"drift.userSettings.unknown-keys.json": {check: func(t *testing.T, v any) {
		s := as[*zoomusers.UserSettings](t, v)
		eq(t, "schedule_meeting.host_video", *s.ScheduleMeeting.HostVideo, true)
		eq(t, "schedule_meeting.participants_video", *s.ScheduleMeeting.ParticipantsVideo, false)
		eq(t, "in_meeting.allow_host_panelists_to_use_audible_clap", *s.InMeeting.AllowHostPanelistsToUseAudibleClap, false)
		eq(t, "feature.meeting_capacity", *s.Feature.MeetingCapacity, 300)
		eq(t, "profile.recording_storage_location.value", *s.Profile.RecordingStorageLocation.Value, "US")
		isNil(t, "in_meeting.chat_with (not sent)", s.InMeeting.AllowParticipantsChatWith)
	}},
	"drift.user.custom-attributes-object.json": {drifts: []string{"coerced custom_attributes"}, check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "custom attribute", attrs(u), [][3]string{{"cbf_cywdkexrtqc73f97gd4w6g", "Cost center", "R&D-42"}})
	}},
	// Of a repeated key the last value wins, as in JavaScript and encoding/json; the
	// earlier ones are reported. division_ids is in the model since the 2025-09 changelog
	// (test/changelog_test.go), so its earlier value is reported too.
	"drift.user.duplicate-keys.json": {drifts: []string{"dropped email", "dropped pmi", "dropped division_ids"}, check: func(t *testing.T, v any) {
		u := as[*zoomusers.User](t, v)
		eq(t, "division_ids", *u.DivisionIDs, []string{"b"})
		eq(t, "email", *u.Email, "second@example.com")
		eq(t, "pmi", *u.PMI, 2345678901)
		eq(t, "role_name", *u.RoleName, "Member")
	}},
	// Strings, as Zoom's examples send them, are what the spec declares.
	"drift.userSettings.call-out-countries-strings.json": {check: func(t *testing.T, v any) {
		s := as[*zoomusers.UserSettings](t, v)
		eq(t, "tsp.call_out_countries", *s.TSP.CallOutCountries, []string{"USA", "CAN"})
		eq(t, "tsp.call_out", *s.TSP.CallOut, true)
		eq(t, "telephony.audio_conference_info", *s.Telephony.AudioConferenceInfo, "Dial 555-0100")
	}},
	// A page where one user drifts four ways: every user arrives, the drifting one with
	// everything that could be kept.
	"drift.users.page-one-user-drifts.json": {
		drifts: []string{"coerced users[2].pmi", "coerced users[2].custom_attributes", "dropped users[2].last_login_time", "coerced users[2].verified"},
		check: func(t *testing.T, v any) {
			p := as[*zoomusers.UserPage](t, v)
			var emails []string
			var pmis []int64
			for _, u := range p.Users {
				emails = append(emails, *u.Email)
				pmis = append(pmis, *u.PMI)
			}
			eq(t, "emails", emails, []string{"ann@example.com", "bob@example.com", "cyd@example.com", "dee@example.com", "eve@example.com"})
			eq(t, "pmis", pmis, []int64{1111111111, 2222222222, 3333333333, 4444444444, 5555555555})
			cyd := p.Users[2]
			eq(t, "cyd's attribute", attrs(&cyd), [][3]string{{"cbf_dept", "Department", "Sales"}})
			isNil(t, "cyd's last_login_time", cyd.LastLoginTime)
			eq(t, "cyd's verified", *cyd.Verified, 1)
			eq(t, "ann's last_login_time", *p.Users[0].LastLoginTime, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
			eq(t, "total_records", p.TotalRecords, 5)
		},
	},
}

func hostVideoOnly(t *testing.T, v any) {
	s := as[*zoomusers.UserSettings](t, v)
	eq(t, "schedule_meeting.host_video", *s.ScheduleMeeting.HostVideo, false)
	isNil(t, "schedule_meeting.join_before_host (not asked for)", s.ScheduleMeeting.JoinBeforeHost)
	isNil(t, "in_meeting (not asked for)", s.InMeeting)
}

func as[T any](t *testing.T, v any) T {
	t.Helper()
	got, ok := v.(T)
	if !ok {
		t.Fatalf("decoded a %T, want a %T", v, got)
	}
	return got
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !equal(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case time.Time:
		return a.Equal(b.(time.Time))
	case []string:
		return slices.Equal(a, b.([]string))
	}
	return reflect.DeepEqual(a, b)
}

func isNil[T any](t *testing.T, what string, p *T) {
	t.Helper()
	if p != nil {
		t.Errorf("%s = %v, want absent (nil)", what, *p)
	}
}

// attrs lists a user's custom attributes as key, name, value.
func attrs(u *zoomusers.User) [][3]string {
	if u.CustomAttributes == nil {
		return nil
	}
	var out [][3]string
	for _, a := range *u.CustomAttributes {
		out = append(out, [3]string{a.GetKey(), a.GetName(), a.GetValue()})
	}
	return out
}
