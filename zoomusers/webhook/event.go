package webhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Event types of the user.* notifications, and of Zoom's endpoint check.
const (
	EventUserCreated               = "user.created"
	EventUserUpdated               = "user.updated"
	EventUserDeleted               = "user.deleted"
	EventUserDeactivated           = "user.deactivated"
	EventUserActivated             = "user.activated"
	EventUserDisassociated         = "user.disassociated"
	EventUserInvitationAccepted    = "user.invitation_accepted"
	EventUserSettingsUpdated       = "user.settings_updated"
	EventUserPresenceStatusUpdated = "user.presence_status_updated"
	EventUserSignedIn              = "user.signed_in"
	EventUserSignedOut             = "user.signed_out"
	EventUserPersonalNotesUpdated  = "user.personal_notes_updated"
	EventUserEntitlementAdded      = "user.entitlement_added"
	EventUserEntitlementRemoved    = "user.entitlement_removed"

	// EventURLValidation is Zoom's check that an endpoint holds the secret token; a
	// Handler answers it and never passes it on.
	EventURLValidation = "endpoint.url_validation"
)

// Event is one notification from Zoom: the envelope's fields, the typed Data, and the
// raw JSON for anything the types do not name.
type Event struct {
	// Type is the event's name, such as "user.updated".
	Type string
	// Time is when Zoom says the event happened (event_ts).
	Time time.Time
	// AccountID, Operator and OperatorID name the account and who made the change (the
	// operator's email and user ID); the operator is empty for changes users make
	// themselves, such as signing in.
	AccountID, Operator, OperatorID string
	// Data is the payload typed by Type: *UserCreated, *UserUpdated, ... one per event
	// constant, or *Unknown for types this package does not know.
	Data Data
	// Payload, Object and OldObject are payload, payload.object and payload.old_object as
	// sent (nil when absent), for fields the types do not name.
	Payload, Object, OldObject json.RawMessage
	// Raw is the body exactly as received.
	Raw []byte
}

// Key identifies the event across Zoom's redeliveries, which repeat the body byte for
// byte: the hex SHA-256 of Raw. A Deduper stores it.
func (e *Event) Key() string {
	sum := sha256.Sum256(e.Raw)
	return hex.EncodeToString(sum[:])
}

// UserID is the ID of the user the event is about, or "" when the payload names none.
func (e *Event) UserID() string {
	if d, ok := e.Data.(interface{ userID() string }); ok {
		return d.userID()
	}
	return ""
}

// Data is the typed payload of an event; see Event.Data for the types.
type Data interface{ isData() }

// User is a user as events describe one. Events carry a few fields, and user.updated
// only those that changed, so Fields holds every field of the object as sent.
type User struct {
	ID, Email, FirstName, LastName, DisplayName string
	// Type is the license: 1 Basic, 2 Licensed, 3 On-prem (0 when absent).
	Type int
	// Fields are the object's fields by JSON name, including those above.
	Fields map[string]json.RawMessage
}

// UserCreated: a user was added to the account.
type UserCreated struct {
	// CreationType is how: "create", "autoCreate", "custCreate" or "ssoCreate".
	CreationType string
	User         User
}

// UserUpdated: profile fields changed. User and Old hold only the changed fields (and
// the ID); Changed names them.
type UserUpdated struct {
	User, Old User
	// Changed lists the JSON names of the fields that changed, sorted, without "id".
	Changed []string
	// Operation is set for changes that are not profile fields: "change_password" or
	// "sign_out_from_all_devices".
	Operation string
	// At is payload.time_stamp, when the change was made.
	At time.Time
}

// UserDeleted: a user was deleted for good.
type UserDeleted struct{ User User }

// UserDisassociated: a user was removed from the account but keeps a Zoom login.
type UserDisassociated struct{ User User }

// UserDeactivated: a user was deactivated and can no longer sign in.
type UserDeactivated struct{ User User }

// UserActivated: a deactivated user was activated again.
type UserActivated struct{ User User }

// UserInvitationAccepted: a user created with action "create" accepted the invitation
// and is now active.
type UserInvitationAccepted struct{ User User }

// UserSettingsUpdated: settings changed. Settings holds the new values and OldSettings
// the old ones, of the changed settings only, nested by section as in the settings API.
type UserSettingsUpdated struct {
	UserID                string
	Settings, OldSettings map[string]any
	At                    time.Time
}

// UserPresenceStatusUpdated: a user's Team Chat presence changed.
type UserPresenceStatusUpdated struct {
	UserID, Email string
	// Status is the new presence: Available, Away, Do_Not_Disturb, In_Meeting, ...
	Status string
	// AppType and AppStatus name the app that reported the change (desktop, mobile, ...)
	// and its own status, when Zoom says.
	AppType, AppStatus string
	At                 time.Time
}

// Session describes a sign-in or sign-out.
type Session struct {
	UserID, Email string
	// ClientType is the client: "browser", "mac", "win", "iphone", "android", ...
	ClientType string
	// Version is the client's version; LoginType how the user signed in, as Zoom's code.
	Version, LoginType string
	At                 time.Time
}

// UserSignedIn: a user signed in to a Zoom client.
type UserSignedIn struct{ Session Session }

// UserSignedOut: a user signed out of a Zoom client.
type UserSignedOut struct{ Session Session }

// UserPersonalNotesUpdated: a user changed their personal note.
type UserPersonalNotesUpdated struct {
	UserID, Email   string
	Notes, OldNotes string
	At              time.Time
}

// UserEntitlementAdded: an entitlement was given to a user. Its details are in
// Event.Object; this package names only the user.
type UserEntitlementAdded struct{ UserID, Email string }

// UserEntitlementRemoved: an entitlement was taken from a user. Its details are in
// Event.Object; this package names only the user.
type UserEntitlementRemoved struct{ UserID, Email string }

// Unknown is the Data of an event type this package does not know: read Event.Payload.
type Unknown struct{}

func (*UserCreated) isData()               {}
func (*UserUpdated) isData()               {}
func (*UserDeleted) isData()               {}
func (*UserDisassociated) isData()         {}
func (*UserDeactivated) isData()           {}
func (*UserActivated) isData()             {}
func (*UserInvitationAccepted) isData()    {}
func (*UserSettingsUpdated) isData()       {}
func (*UserPresenceStatusUpdated) isData() {}
func (*UserSignedIn) isData()              {}
func (*UserSignedOut) isData()             {}
func (*UserPersonalNotesUpdated) isData()  {}
func (*UserEntitlementAdded) isData()      {}
func (*UserEntitlementRemoved) isData()    {}
func (*Unknown) isData()                   {}

func (d *UserCreated) userID() string               { return d.User.ID }
func (d *UserUpdated) userID() string               { return d.User.ID }
func (d *UserDeleted) userID() string               { return d.User.ID }
func (d *UserDisassociated) userID() string         { return d.User.ID }
func (d *UserDeactivated) userID() string           { return d.User.ID }
func (d *UserActivated) userID() string             { return d.User.ID }
func (d *UserInvitationAccepted) userID() string    { return d.User.ID }
func (d *UserSettingsUpdated) userID() string       { return d.UserID }
func (d *UserPresenceStatusUpdated) userID() string { return d.UserID }
func (d *UserSignedIn) userID() string              { return d.Session.UserID }
func (d *UserSignedOut) userID() string             { return d.Session.UserID }
func (d *UserPersonalNotesUpdated) userID() string  { return d.UserID }
func (d *UserEntitlementAdded) userID() string      { return d.UserID }
func (d *UserEntitlementRemoved) userID() string    { return d.UserID }

// Parse parses a body without verifying it; use ConstructEvent for requests. The body
// must be a JSON object with a non-empty "event" string, else the error wraps
// ErrMalformed. Everything else is read leniently: a field of an unexpected JSON type
// leaves its typed value empty (Object and Raw still hold it), because a notification
// Zoom cannot get accepted is redelivered and then lost.
func Parse(body []byte) (*Event, error) {
	var env struct {
		Event   json.RawMessage `json:"event"`
		EventTS json.RawMessage `json:"event_ts"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var typ string
	if json.Unmarshal(env.Event, &typ) != nil || typ == "" {
		return nil, fmt.Errorf("%w: no \"event\" name", ErrMalformed)
	}
	payload := fields(env.Payload)
	e := &Event{
		Type:       typ,
		Time:       timeOf(env.EventTS),
		AccountID:  str(payload, "account_id"),
		Operator:   str(payload, "operator"),
		OperatorID: str(payload, "operator_id"),
		Payload:    present(env.Payload),
		Object:     present(payload["object"]),
		OldObject:  present(payload["old_object"]),
		Raw:        body,
	}
	obj, old := fields(e.Object), fields(e.OldObject)
	at := timeOf(payload["time_stamp"])
	switch typ {
	case EventUserCreated:
		e.Data = &UserCreated{CreationType: str(payload, "creation_type"), User: userOf(obj)}
	case EventUserUpdated:
		changed := map[string]bool{}
		for k := range obj {
			changed[k] = true
		}
		for k := range old {
			changed[k] = true
		}
		delete(changed, "id")
		u, o := userOf(obj), userOf(old)
		if o.ID == "" {
			o.ID = u.ID
		}
		e.Data = &UserUpdated{User: u, Old: o, Changed: slices.Sorted(maps.Keys(changed)), Operation: str(payload, "operation"), At: at}
	case EventUserDeleted:
		e.Data = &UserDeleted{User: userOf(obj)}
	case EventUserDisassociated:
		e.Data = &UserDisassociated{User: userOf(obj)}
	case EventUserDeactivated:
		e.Data = &UserDeactivated{User: userOf(obj)}
	case EventUserActivated:
		e.Data = &UserActivated{User: userOf(obj)}
	case EventUserInvitationAccepted:
		e.Data = &UserInvitationAccepted{User: userOf(obj)}
	case EventUserSettingsUpdated:
		e.Data = &UserSettingsUpdated{UserID: str(obj, "id"), Settings: object(obj["settings"]), OldSettings: object(old["settings"]), At: at}
	case EventUserPresenceStatusUpdated:
		app := fields(obj["app"])
		e.Data = &UserPresenceStatusUpdated{UserID: str(obj, "id"), Email: str(obj, "email"), Status: str(obj, "presence_status"),
			AppType: str(app, "type"), AppStatus: str(app, "presence_status"), At: dateTime(obj)}
	case EventUserSignedIn:
		e.Data = &UserSignedIn{Session: sessionOf(obj)}
	case EventUserSignedOut:
		e.Data = &UserSignedOut{Session: sessionOf(obj)}
	case EventUserPersonalNotesUpdated:
		e.Data = &UserPersonalNotesUpdated{UserID: str(obj, "id"), Email: str(obj, "email"),
			Notes: str(obj, "personal_notes"), OldNotes: str(old, "personal_notes"), At: dateTime(obj)}
	case EventUserEntitlementAdded:
		e.Data = &UserEntitlementAdded{UserID: str(obj, "id"), Email: str(obj, "email")}
	case EventUserEntitlementRemoved:
		e.Data = &UserEntitlementRemoved{UserID: str(obj, "id"), Email: str(obj, "email")}
	default:
		e.Data = &Unknown{}
	}
	return e, nil
}

func userOf(m map[string]json.RawMessage) User {
	return User{ID: str(m, "id"), Email: str(m, "email"), FirstName: str(m, "first_name"), LastName: str(m, "last_name"),
		DisplayName: str(m, "display_name"), Type: int(num(m["type"])), Fields: m}
}

func sessionOf(m map[string]json.RawMessage) Session {
	return Session{UserID: str(m, "id"), Email: str(m, "email"), ClientType: str(m, "client_type"),
		Version: str(m, "version"), LoginType: str(m, "login_type"), At: dateTime(m)}
}

// present is raw, or nil for an absent or null value.
func present(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	return raw
}

// fields are the members of a JSON object; none for anything else.
func fields(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// object decodes a JSON object; nil for anything else.
func object(raw json.RawMessage) map[string]any {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// str is a string member, or a number's digits (Zoom's examples send some numeric codes
// as strings and some strings as numbers).
func str(m map[string]json.RawMessage, key string) string {
	raw := m[key]
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// num is a JSON number, or a string of one; 0 for anything else.
func num(raw json.RawMessage) int64 {
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0
		}
		n = json.Number(s)
	}
	if i, err := n.Int64(); err == nil {
		return i
	}
	if f, err := n.Float64(); err == nil {
		return int64(f)
	}
	return 0
}

// timeOf reads Zoom's millisecond timestamps (event_ts, time_stamp); zero when absent.
func timeOf(raw json.RawMessage) time.Time {
	ms := num(raw)
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// dateTime reads an object's RFC 3339 date_time, which Zoom's own presence example
// spells date-time; zero when absent or unreadable.
func dateTime(m map[string]json.RawMessage) time.Time {
	for _, k := range []string{"date_time", "date-time"} {
		if t, err := time.Parse(time.RFC3339, str(m, k)); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
