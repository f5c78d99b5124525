package webhook_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
)

const ts = 1767225600123 // 2026-01-01T00:00:00.123Z

var tsTime = time.UnixMilli(ts).UTC()

// Bodies in the shapes Zoom's event reference gives, written for these tests.
var samples = map[string]string{
	"user.created": `{"event":"user.created","event_ts":1767225600123,"payload":{"account_id":"acc","operator":"admin@example.com","operator_id":"op1",
		"creation_type":"autoCreate","object":{"id":"u1","first_name":"Ada","last_name":"Lovelace","display_name":"Ada L","email":"ada@example.com","type":2}}}`,
	"user.updated": `{"event":"user.updated","event_ts":1767225600123,"payload":{"account_id":"acc","operator":"admin@example.com","operator_id":"op1","time_stamp":1767225600000,
		"object":{"id":"u1","email":"ada@new.example.com","dept":"R&D"},"old_object":{"id":"u1","email":"ada@example.com","dept":""}}}`,
	"user.deleted":             `{"event":"user.deleted","event_ts":1767225600123,"payload":{"account_id":"acc","operator":"admin@example.com","operator_id":"op1","object":{"id":"u1","first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","type":1}}}`,
	"user.disassociated":       `{"event":"user.disassociated","event_ts":1767225600123,"payload":{"account_id":"acc","operator":"admin@example.com","operator_id":"op1","object":{"id":"u1","email":"ada@example.com","type":1}}}`,
	"user.deactivated":         `{"event":"user.deactivated","event_ts":1767225600123,"payload":{"account_id":"acc","operator":"admin@example.com","operator_id":"op1","object":{"id":"u1","email":"ada@example.com","type":2}}}`,
	"user.activated":           `{"event":"user.activated","event_ts":1767225600123,"payload":{"account_id":"acc","operator":"admin@example.com","operator_id":"op1","object":{"id":"u1","email":"ada@example.com","type":2}}}`,
	"user.invitation_accepted": `{"event":"user.invitation_accepted","event_ts":1767225600123,"payload":{"account_id":"acc","object":{"id":"u1","first_name":"Ada","email":"ada@example.com","type":1}}}`,
	"user.settings_updated": `{"event":"user.settings_updated","event_ts":1767225600123,"payload":{"account_id":"acc","operator":"admin@example.com","operator_id":"op1","time_stamp":1767225600000,
		"object":{"id":"u1","settings":{"in_meeting":{"chat":false}}},"old_object":{"id":"u1","settings":{"in_meeting":{"chat":true}}}}}`,
	// Zoom's own example spells date_time "date-time".
	"user.presence_status_updated": `{"event":"user.presence_status_updated","event_ts":1767225600123,"payload":{"account_id":"acc",
		"object":{"date-time":"2026-01-01T00:00:00Z","email":"ada@example.com","id":"u1","presence_status":"Away","app":{"type":"mobile","presence_status":"Offline"}}}}`,
	// login_type is an integer in Zoom's schema and a string in its example: both read.
	"user.signed_in":  `{"event":"user.signed_in","event_ts":1767225600123,"payload":{"account_id":"acc","object":{"id":"u1","client_type":"android","date_time":"2026-01-01T00:00:00Z","email":"ada@example.com","version":"6.1.0","login_type":"100"}}}`,
	"user.signed_out": `{"event":"user.signed_out","event_ts":1767225600123,"payload":{"account_id":"acc","object":{"id":"u1","client_type":"mac","date_time":"2026-01-01T00:00:00Z","email":"ada@example.com","version":"6.1.0","login_type":100}}}`,
	"user.personal_notes_updated": `{"event":"user.personal_notes_updated","event_ts":1767225600123,"payload":{"account_id":"acc",
		"object":{"id":"u1","email":"ada@example.com","date_time":"2026-01-01T00:00:00Z","personal_notes":"In Paris"},"old_object":{"personal_notes":"In London"}}}`,
	"user.entitlement_added":   `{"event":"user.entitlement_added","event_ts":1767225600123,"payload":{"account_id":"acc","object":{"id":"u1","email":"ada@example.com","entitlement":"x"}}}`,
	"user.entitlement_removed": `{"event":"user.entitlement_removed","event_ts":1767225600123,"payload":{"account_id":"acc","object":{"id":"u1","email":"ada@example.com"}}}`,
}

func TestParseEveryUserEvent(t *testing.T) {
	jan1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stamp := time.UnixMilli(1767225600000).UTC()
	want := map[string]webhook.Data{
		"user.created":             &webhook.UserCreated{CreationType: "autoCreate", User: webhook.User{ID: "u1", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace", DisplayName: "Ada L", Type: 2}},
		"user.updated":             &webhook.UserUpdated{User: webhook.User{ID: "u1", Email: "ada@new.example.com"}, Old: webhook.User{ID: "u1", Email: "ada@example.com"}, Changed: []string{"dept", "email"}, At: stamp},
		"user.deleted":             &webhook.UserDeleted{User: webhook.User{ID: "u1", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace", Type: 1}},
		"user.disassociated":       &webhook.UserDisassociated{User: webhook.User{ID: "u1", Email: "ada@example.com", Type: 1}},
		"user.deactivated":         &webhook.UserDeactivated{User: webhook.User{ID: "u1", Email: "ada@example.com", Type: 2}},
		"user.activated":           &webhook.UserActivated{User: webhook.User{ID: "u1", Email: "ada@example.com", Type: 2}},
		"user.invitation_accepted": &webhook.UserInvitationAccepted{User: webhook.User{ID: "u1", Email: "ada@example.com", FirstName: "Ada", Type: 1}},
		"user.settings_updated": &webhook.UserSettingsUpdated{UserID: "u1", At: stamp,
			Settings: map[string]any{"in_meeting": map[string]any{"chat": false}}, OldSettings: map[string]any{"in_meeting": map[string]any{"chat": true}}},
		"user.presence_status_updated": &webhook.UserPresenceStatusUpdated{UserID: "u1", Email: "ada@example.com", Status: "Away", AppType: "mobile", AppStatus: "Offline", At: jan1},
		"user.signed_in":               &webhook.UserSignedIn{Session: webhook.Session{UserID: "u1", Email: "ada@example.com", ClientType: "android", Version: "6.1.0", LoginType: "100", At: jan1}},
		"user.signed_out":              &webhook.UserSignedOut{Session: webhook.Session{UserID: "u1", Email: "ada@example.com", ClientType: "mac", Version: "6.1.0", LoginType: "100", At: jan1}},
		"user.personal_notes_updated":  &webhook.UserPersonalNotesUpdated{UserID: "u1", Email: "ada@example.com", Notes: "In Paris", OldNotes: "In London", At: jan1},
		"user.entitlement_added":       &webhook.UserEntitlementAdded{UserID: "u1", Email: "ada@example.com"},
		"user.entitlement_removed":     &webhook.UserEntitlementRemoved{UserID: "u1", Email: "ada@example.com"},
	}
	if len(want) != len(samples) {
		t.Fatalf("%d expectations for %d samples", len(want), len(samples))
	}
	for typ, body := range samples {
		t.Run(typ, func(t *testing.T) {
			ev, err := webhook.Parse([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if ev.Type != typ || !ev.Time.Equal(tsTime) || ev.AccountID != "acc" || string(ev.Raw) != body || ev.UserID() != "u1" {
				t.Errorf("envelope: type %q time %s account %q user %q", ev.Type, ev.Time, ev.AccountID, ev.UserID())
			}
			if len(ev.Object) == 0 {
				t.Error("Object is empty")
			}
			clearFields(ev.Data)
			if !reflect.DeepEqual(ev.Data, want[typ]) {
				t.Errorf("Data =\n%#v\nwant\n%#v", ev.Data, want[typ])
			}
		})
	}
	ev, _ := webhook.Parse([]byte(samples["user.created"]))
	if ev.Operator != "admin@example.com" || ev.OperatorID != "op1" {
		t.Errorf("operator %q %q", ev.Operator, ev.OperatorID)
	}
	if d := ev.Data.(*webhook.UserCreated); string(d.User.Fields["display_name"]) != `"Ada L"` {
		t.Errorf("Fields: %s", d.User.Fields)
	}
}

// clearFields drops the raw Fields of a user, compared separately.
func clearFields(d webhook.Data) {
	v := reflect.ValueOf(d).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Type() == reflect.TypeFor[webhook.User]() {
			f.FieldByName("Fields").SetZero()
		}
	}
}

func TestParseUnknownAndDrift(t *testing.T) {
	// An event this package does not know is data, not an error.
	body := `{"event":"meeting.started","event_ts":1767225600123,"payload":{"account_id":"acc","object":{"id":85012345678}}}`
	ev, err := webhook.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ev.Data.(*webhook.Unknown); !ok || ev.Type != "meeting.started" || string(ev.Object) != `{"id":85012345678}` || ev.UserID() != "" {
		t.Errorf("unknown event: %#v", ev)
	}
	// Fields of unexpected JSON types leave typed values empty instead of failing.
	ev, err = webhook.Parse([]byte(`{"event":"user.deactivated","event_ts":"1767225600123","payload":{"account_id":7,"object":{"id":"u1","type":"2","email":{"x":1}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	d := ev.Data.(*webhook.UserDeactivated)
	if d.User.Type != 2 || d.User.Email != "" || ev.AccountID != "7" || !ev.Time.Equal(tsTime) {
		t.Errorf("drift: %+v account %q time %s", d.User, ev.AccountID, ev.Time)
	}
	// No payload at all still names the event.
	ev, err = webhook.Parse([]byte(`{"event":"user.updated"}`))
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := ev.Data.(*webhook.UserUpdated); !ok || len(d.Changed) != 0 || ev.Object != nil || ev.Payload != nil || !ev.Time.IsZero() {
		t.Errorf("bare event: %+v", ev)
	}
}

func TestParseMalformed(t *testing.T) {
	for _, body := range []string{``, `{`, `[]`, `"user.created"`, `{}`, `{"event":""}`, `{"event":7}`, `{"event":"user.created"`, `null`} {
		if _, err := webhook.Parse([]byte(body)); !errors.Is(err, webhook.ErrMalformed) {
			t.Errorf("Parse(%q) = %v, want ErrMalformed", body, err)
		}
	}
}

func TestEventKey(t *testing.T) {
	a, _ := webhook.Parse([]byte(samples["user.created"]))
	b, _ := webhook.Parse([]byte(samples["user.created"]))
	c, _ := webhook.Parse([]byte(samples["user.deleted"]))
	if a.Key() != b.Key() || a.Key() == c.Key() || len(a.Key()) != 64 {
		t.Errorf("keys %s %s %s", a.Key(), b.Key(), c.Key())
	}
}
