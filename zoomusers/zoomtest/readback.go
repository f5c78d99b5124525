package zoomtest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// The read-back API: what the fake holds about a user, including what Zoom never returns
// (passwords, uploaded bytes, SSO revocations, account moves), so that a test asserts the
// effect of a write rather than only that it was answered.
//
//	st, ok := srv.UserState("ada@example.com")
//	if !ok || st.Password != "Sunny-Day-2026" || st.PasswordChanges != 1 { ... }

// UserState is a copy of everything the fake holds about one user. Changing it changes
// nothing in the fake.
type UserState struct {
	// Profile is the user as GET /users/{userId} answers it, plus the host key.
	Profile zoomusers.User
	// ProfileExtras holds the fields an update set that Zoom does not return in a user
	// (about_me, linkedin_url, group_id, feature, ...), by JSON name. Numbers are
	// json.Number, as in Settings.
	ProfileExtras map[string]any
	// CreateAction is the action that created the user ("create", "autoCreate",
	// "custCreate", "ssoCreate"), or "" for a seeded user.
	CreateAction string

	// Password is the password last set, at creation or by userPassword ("" for none).
	Password string
	// PasswordChanges counts the passwords userPassword accepted.
	PasswordChanges int

	// Picture is the profile picture, or nil.
	Picture *Picture
	// VirtualBackgrounds are the uploaded virtual background files, oldest first.
	VirtualBackgrounds []VirtualBackground

	// Settings are the user's settings as nested JSON objects: the full settings'
	// sections and the variants meeting_authentication, recording_authentication and
	// meeting_security. Setting reads one value. Numbers are json.Number, exact to the
	// digit: values Zoom sends reach 2^59, beyond what a float64 holds.
	Settings map[string]any
	// Features are the values bulkUpdateFeature set, by feature type (user_type changes
	// Profile.Type instead).
	Features map[string]string

	// Assistants are the users who schedule for this one; Schedulers those this one
	// schedules for.
	Assistants []zoomusers.Assistant
	Schedulers []zoomusers.Scheduler

	// Presence is the Team Chat presence status; PresenceDuration the minutes of
	// Do_Not_Disturb it was set with; PresenceChangedAt when it last changed (zero if never).
	Presence          string
	PresenceDuration  int
	PresenceChangedAt time.Time

	// EmailChanges are the accepted email changes, oldest first.
	EmailChanges []EmailChange
	// SSOTokenRevocations counts the accepted userSSOTokenDelete calls.
	SSOTokenRevocations int
	// AccountID is the account the user belongs to (AccountID until moved); AccountMoves
	// the accepted switchUserAccount calls, oldest first.
	AccountID    string
	AccountMoves []AccountMove
	// ClockedIn is set by the status action clock_in and cleared by clock_out.
	ClockedIn bool
}

// Picture is an uploaded profile picture.
type Picture struct {
	Name        string // the file name of the upload's part
	ContentType string // the type sniffed from the bytes (image/jpeg or image/png)
	Size        int64
	SHA256      string // hex SHA-256 of the bytes received
}

// VirtualBackground is an uploaded virtual background file.
type VirtualBackground struct {
	ID          string
	Name        string
	Type        string // "image" or "video"
	ContentType string // the type sniffed from the bytes
	Size        int64
	SHA256      string // hex SHA-256 of the bytes received
}

// EmailChange is one accepted change of a user's email.
type EmailChange struct {
	From, To string
	At       time.Time
}

// AccountMove is one accepted switchUserAccount.
type AccountMove struct {
	From, To string
	At       time.Time
}

// Deletion is how a user left the account.
type Deletion struct {
	ID, Email string
	// Action is "disassociate" or "delete".
	Action string
	// TransferEmail received the assets named in Transferred (meeting, webinar, recording,
	// whiteboard, clipfiles, notes, visitors, docs; sorted).
	TransferEmail string
	Transferred   []string
	At            time.Time
}

// UserState returns what the fake holds about the user with this ID or email, and false
// if the account has no such user (never had, or it was deleted: see Deletion).
func (s *Server) UserState(idOrEmail string) (UserState, bool) {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.lookup(idOrEmail)
	if u == nil {
		return UserState{}, false
	}
	out := UserState{
		ProfileExtras:       cloneJSON(u.extras),
		CreateAction:        u.createAction,
		Password:            u.password,
		PasswordChanges:     u.passwordChanges,
		VirtualBackgrounds:  slices.Clone(u.backgrounds),
		Features:            maps.Clone(u.features),
		Presence:            string(u.presence),
		PresenceDuration:    u.presenceMinutes,
		PresenceChangedAt:   u.presenceAt,
		EmailChanges:        slices.Clone(u.emailChanges),
		SSOTokenRevocations: u.ssoRevocations,
		AccountID:           u.accountID,
		AccountMoves:        slices.Clone(u.accountMoves),
		ClockedIn:           u.clockedIn,
	}
	// zoomusers.User is gen.User, the model the fake keeps: a copy, no conversion. Its
	// pointers are shared with nothing the fake changes in place (an update replaces them).
	out.Profile = u.User
	out.Profile.HostKey = zoomusers.Ptr(u.hostKeyOrDefault())
	if u.picture != nil {
		p := *u.picture
		out.Picture = &p
	}
	if u.settings != nil {
		out.Settings = cloneJSON(u.settings)
	} else {
		out.Settings = cloneJSON(defaultSettings()) // a copy for the caller; u stays without one
	}
	out.Assistants = st.assistantsOf(u)
	out.Schedulers = st.schedulersOf(u)
	return out, true
}

// Deletion reports how the user with this ID or email left the account, and false if
// no such user was deleted or disassociated.
func (s *Server) Deletion(idOrEmail string) (Deletion, bool) {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	d := st.deleted[idOrEmail]
	if d == nil {
		d = st.deleted[strings.ToLower(idOrEmail)]
	}
	if d == nil {
		return Deletion{}, false
	}
	out := *d
	out.Transferred = slices.Clone(d.Transferred)
	return out, true
}

// Setting returns the setting at path, such as Setting("schedule_meeting", "host_video")
// or Setting("meeting_security", "meeting_security", "waiting_room"), and whether it is set.
func (st UserState) Setting(path ...string) (any, bool) {
	var v any = st.Settings
	for _, key := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[key]; !ok {
			return nil, false
		}
	}
	return v, true
}

// SetZoomOneType sets the zoom_one_type bitmask of the user with this ID or email, so that
// a test can meet the values Zoom sends: they reach 2^59, beyond what a float64 holds
// exactly (ZOOM_FACTS.md "Zoom keeps moving"); the spec declares it int64.
func (s *Server) SetZoomOneType(idOrEmail string, v int64) error {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.lookup(idOrEmail)
	if u == nil {
		return fmt.Errorf("zoomtest: no user %s", idOrEmail)
	}
	u.ZoomOneType = zoomusers.Ptr(v)
	return nil
}
