package test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// changelogChange is one change of Zoom's Users API after its 2025 spec, as Zoom's
// developer changelog (developers.zoom.us/changelog/users/DATE) or another named source
// records it, and what api/openapi.yaml must hold for it.
type changelogChange struct {
	date, source string
	// op is "METHOD /path" for a request or answer body, a parameter's operation, or ""
	// with schema naming a component schema.
	op     string
	schema string
	// field is a property path inside the body or schema, dots between levels, "[]" for
	// the items of an array ("license_info_list[].license_option").
	field string
	// param names a query parameter of op instead of a body field.
	param string
	// what the field must be: its type and format, readOnly/writeOnly, enum values.
	typ, format string
	// noType: the spec must declare no type (Zoom named the field, not its type).
	noType              bool
	readOnly, writeOnly bool
	openValues          []string // values documented in x-extensible-enum
	enumValue           string   // a value the closed enum must hold
}

// usersChangelog lists every change of the Users changelog from 2023-11-30 on that touches
// the operations of this spec (other products' endpoints, such as divisions and groups,
// and the account-scoped copies /accounts/{accountId}/users/... are not in it), one
// Meetings changelog page that changed user settings, and the facts of ZOOM_FACTS.md "Zoom
// keeps moving". Endpoints the spec does not have are in notCovered.
var usersChangelog = []changelogChange{
	// 2023-11-30: product keys in settings (GET answers them, PATCH takes them).
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_huddles", typ: "boolean"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_scheduler", typ: "boolean"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_events_unlimited", typ: "boolean"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_events_unlimited_capacities", typ: "array"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_events_pay_per_attendee", typ: "boolean"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_sessions_unlimited", typ: "boolean"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_sessions_unlimited_capacities", typ: "array"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_sessions_pay_per_attendee", typ: "boolean"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_quality_management", typ: "boolean"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettingsFeature", field: "zoom_workforce_management", typ: "boolean"},
	{date: "2023-11-30", source: "changelog/users/november-30-2023", schema: "UserSettings", field: "whiteboard", readOnly: true},

	// 2024-01-19 (Meetings changelog, which also lists user settings changes).
	{date: "2024-01-19", source: "changelog/meetings/january-19-2024", schema: "UserSettingsFeature", field: "zoom_clips_plus", typ: "boolean"},

	// 2025-03-17: the page names two response fields; Zoom's 2025 spec has them in in_meeting.
	{date: "2025-03-17", source: "changelog/users/march-17-2025", schema: "UserSettings", field: "in_meeting.ai_companion_questions", typ: "object", readOnly: true},
	{date: "2025-03-17", source: "changelog/users/march-17-2025", schema: "UserSettings", field: "in_meeting.meeting_summary_with_ai_companion", typ: "object", readOnly: true},

	// 2025-09-15: licenses, bulk subscription, assistants' private events.
	{date: "2025-09-15", source: "changelog/users/september-15-2025", schema: "UserSettings", field: "license_info_list", typ: "array"},
	{date: "2025-09-15", source: "changelog/users/september-15-2025", op: "POST /users/features", field: "subscription_id", typ: "string"},
	{date: "2025-09-15", source: "changelog/users/september-15-2025", op: "POST /users/{userId}/assistants", field: "assistants[].can_manage_host_private_event", typ: "boolean"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "GET /users/{userId}", field: "license_info_list[].license_type", typ: "string", openValues: []string{"MEETING", "ZOOM_WORKPLACE_BUNDLE"}},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "GET /users/{userId}", field: "license_info_list[].license_option", typ: "integer", format: "int64"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "GET /users/{userId}", field: "license_info_list[].subscription_id", typ: "string"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "GET /users", field: "users[].license_info_list", typ: "array"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "POST /users", field: "user_info.license_info_list", typ: "array"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "PATCH /users/{userId}", field: "license_info_list", typ: "array"},

	// Bitmasks (ZOOM_FACTS: values reach 2^59; int64 end to end).
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "GET /users/{userId}", field: "zoom_one_type", typ: "integer", format: "int64"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "PATCH /users/{userId}", field: "zoom_one_type", typ: "integer", format: "int64"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "POST /users", field: "user_info.feature.zoom_one_type", typ: "integer", format: "int64"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "GET /users/{userId}", field: "plan_united_type", typ: "string"},
	{date: "2025-09-15", source: "ZOOM_FACTS: Zoom keeps moving", op: "PATCH /users/{userId}", field: "plan_united_type", typ: "string"},

	// Divisions and cost centers on users (Zoom's JS SDK 0.4.0, May 2026).
	{date: "2026-05", source: "ZOOM_FACTS: JS SDK 0.4.0", op: "GET /users/{userId}", field: "division_ids", typ: "array"},
	{date: "2026-05", source: "ZOOM_FACTS: JS SDK 0.4.0", op: "GET /users", field: "users[].division_ids", typ: "array"},
	{date: "2026-05", source: "ZOOM_FACTS: JS SDK 0.4.0", op: "POST /users", field: "user_info.division_ids", typ: "array"},
	{date: "2026-05", source: "ZOOM_FACTS: JS SDK 0.4.0", op: "PATCH /users/{userId}", field: "division_ids", typ: "array"},
	{date: "2026-05", source: "ZOOM_FACTS: JS SDK 0.4.0", op: "GET /users/{userId}", field: "cost_center", typ: "string"},
	{date: "2026-05", source: "ZOOM_FACTS: JS SDK 0.4.0", op: "GET /users", field: "users[].cost_center", typ: "string"},
	{date: "2026-05", source: "ZOOM_FACTS: JS SDK 0.4.0", op: "POST /users", field: "user_info.cost_center", typ: "string"},
	{date: "2026-05", source: "ZOOM_FACTS: JS SDK 0.4.0", op: "PATCH /users/{userId}", field: "cost_center", typ: "string"},

	// 2025-11-17: GET answers five new fields, PATCH takes global_dial_in_countries and the
	// audio_conferencing section (answer-only before). The page gives no types or sections.
	{date: "2025-11-17", source: "changelog/users/november-17-2025", schema: "UserSettings", field: "personal_audio_conference", noType: true, readOnly: true},
	{date: "2025-11-17", source: "changelog/users/november-17-2025", schema: "UserSettings", field: "toll_call", noType: true, readOnly: true},
	{date: "2025-11-17", source: "changelog/users/november-17-2025", schema: "UserSettings", field: "participant_phone_masking", noType: true, readOnly: true},
	{date: "2025-11-17", source: "changelog/users/november-17-2025", schema: "UserSettings", field: "call_me_and_invite_by_phone", noType: true, readOnly: true},
	{date: "2025-11-17", source: "changelog/users/november-17-2025", schema: "UserSettings", field: "global_dial_in_countries", noType: true},
	{date: "2025-11-17", source: "changelog/users/november-17-2025", schema: "UserSettingsChange", field: "global_dial_in_countries", noType: true},
	{date: "2025-11-17", source: "changelog/users/november-17-2025", schema: "UserSettings", field: "audio_conferencing", typ: "object"},
	{date: "2025-11-17", source: "changelog/users/november-17-2025", schema: "UserSettingsChange", field: "audio_conferencing", typ: "object"},

	// 2026-03-02: On-Behalf-Of tokens.
	{date: "2026-03-02", source: "ZOOM_FACTS: Zoom keeps moving (Meeting SDK OBF tokens)", op: "GET /users/{userId}/token", param: "type", typ: "string", enumValue: "onbehalf"},
	{date: "2026-03-02", source: "ZOOM_FACTS: Zoom keeps moving (Meeting SDK OBF tokens)", op: "GET /users/{userId}/token", param: "meeting_id", typ: "string"},

	// Settings.
	{date: "2026-03-30", source: "devforum.zoom.us/t/142788 (changelog users march-30-2026)", schema: "UserSettings", field: "general_setting", typ: "object", readOnly: true},
	// 2026-04-09: beside zoom_events_unlimited (feature), which Zoom names the same way.
	{date: "2026-04-09", source: "changelog/users/april-09-2026", schema: "UserSettings", field: "feature.zoom_webinars_plus_unlimited", noType: true},
	{date: "2026-04-09", source: "changelog/users/april-09-2026", schema: "UserSettings", field: "feature.zoom_webinars_plus_unlimited_capacities", noType: true},
	{date: "2026-04-09", source: "changelog/users/april-09-2026", schema: "UserSettingsChange", field: "feature.zoom_webinars_plus_unlimited", noType: true},
	{date: "2026-04-09", source: "changelog/users/april-09-2026", schema: "UserSettingsChange", field: "feature.zoom_webinars_plus_unlimited_capacities", noType: true},
	// The page gives no type; the meeting siblings are objects: no type declared.
	{date: "2026-05-14", source: "changelog/users/may-14-2026", schema: "UserSettings", field: "webinar_ai_companion_questions", noType: true, readOnly: true},
	{date: "2026-05-14", source: "changelog/users/may-14-2026", schema: "UserSettings", field: "webinar_summary_with_ai_companion", noType: true, readOnly: true},
	{date: "2026-06-04", source: "changelog/users/june-04-2026", op: "GET /users", field: "users[].login_types", typ: "array"},
	{date: "2026-06-22", source: "changelog/users/june-22-2026", schema: "UserSettings", field: "zoom_canvas", typ: "object"},
	{date: "2026-06-22", source: "changelog/users/june-22-2026", schema: "UserSettingsChange", field: "zoom_canvas", typ: "object"},
	{date: "2026-09-17", source: "changelog/users/september-17-2026", schema: "UserSettings", field: "sensitive_label", typ: "object", readOnly: true},
	{date: "2026-10-19", source: "changelog/users/october-19-2026", schema: "UserSettings", field: "ai_model_type", typ: "string", readOnly: true},
	{date: "2026-10-19", source: "changelog/users/october-19-2026", schema: "UserSettings", field: "meeting_waiting_room_branding", typ: "object", readOnly: true},
	{date: "2026-10-19", source: "changelog/users/october-19-2026", schema: "UserSettings", field: "webinar_waiting_room_branding", typ: "object", readOnly: true},
	// PATCH takes the three, GET answers only the second: the write model has the three,
	// the read model the second.
	{date: "2026-11-19", source: "changelog/users/november-19-2026", schema: "UserSettingsChange", field: "enforce_fips_mode", typ: "boolean", writeOnly: true},
	{date: "2026-11-19", source: "changelog/users/november-19-2026", schema: "UserSettingsChange", field: "allow_participants_to_transcribe_meetings_with_my_notes", typ: "boolean"},
	{date: "2026-11-19", source: "changelog/users/november-19-2026", schema: "UserSettings", field: "allow_participants_to_transcribe_meetings_with_my_notes", typ: "boolean"},
	{date: "2026-11-19", source: "changelog/users/november-19-2026", schema: "UserSettingsChange", field: "support_participants_receive_summary", typ: "boolean", writeOnly: true},
}

// TestSpecCoversUsersChangelog: every change of Zoom's Users changelog since the 2025 spec
// is in api/openapi.yaml, with the type Zoom gives it.
func TestSpecCoversUsersChangelog(t *testing.T) {
	doc := loadDoc(t, specPath)
	for _, c := range usersChangelog {
		where := c.schema
		if c.op != "" {
			where = c.op
		}
		name := c.date + " " + where + " " + c.field + c.param + " (" + c.source + ")"
		var s, prop *openapi3.Schema
		if c.param != "" {
			p, err := queryParam(doc, c.op, c.param)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			s, prop = p, p
		} else {
			root, err := changeRoot(doc, c)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			s, prop = fieldSchema(root, c.field)
		}
		if s == nil {
			t.Errorf("%s: the spec has no such field", name)
			continue
		}
		if c.typ != "" && !s.Type.Is(c.typ) {
			t.Errorf("%s: type %v, want %s", name, s.Type, c.typ)
		}
		if c.noType && (len(s.Type.Slice()) > 0 || len(s.Properties) > 0 || len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) > 0 || s.Items != nil) {
			t.Errorf("%s: type %v, want none: Zoom gives no type, so any JSON value must be kept", name, s.Type.Slice())
		}
		if c.enumValue != "" && !slices.Contains(s.Enum, any(c.enumValue)) {
			t.Errorf("%s: enum %v lacks %q", name, s.Enum, c.enumValue)
		}
		if s.Format != c.format {
			t.Errorf("%s: format %q, want %q", name, s.Format, c.format)
		}
		if (prop.ReadOnly || s.ReadOnly) != c.readOnly || (prop.WriteOnly || s.WriteOnly) != c.writeOnly {
			t.Errorf("%s: readOnly %v writeOnly %v, want %v %v", name, prop.ReadOnly || s.ReadOnly, prop.WriteOnly || s.WriteOnly, c.readOnly, c.writeOnly)
		}
		if c.openValues != nil {
			got, _ := s.Extensions["x-extensible-enum"].([]any)
			var vals []string
			for _, v := range got {
				vals = append(vals, v.(string))
			}
			if !slices.Equal(vals, c.openValues) || len(s.Enum) != 0 {
				t.Errorf("%s: x-extensible-enum %v and enum %v, want the open set %v and no closed enum", name, vals, s.Enum, c.openValues)
			}
		}
	}
}

// queryParam is the schema of an operation's query parameter.
func queryParam(doc *openapi3.T, op, name string) (*openapi3.Schema, error) {
	method, path, _ := strings.Cut(op, " ")
	item := doc.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil {
		return nil, errorf("no operation %s", op)
	}
	for _, ref := range append(item.GetOperation(method).Parameters, item.Parameters...) {
		if p := ref.Value; p.In == "query" && p.Name == name {
			return p.Schema.Value, nil
		}
	}
	return nil, errorf("%s has no query parameter %s", op, name)
}

// notCovered are the Users endpoints the changelog added that the spec does not have,
// each with the page that added it. info.description must name each with its date, and
// the spec must not have it (once it does, the entry goes).
var notCovered = []struct{ op, date, source string }{
	{"GET /users/{userId}/meeting_summary_templates", "2025-11-24", "changelog/users/november-24-2025"},
	{"GET /users/{userId}/settings/sensitive_label", "2026-09-17", "changelog/users/september-17-2026"},
	{"POST /users/{userId}/settings/meeting_waiting_room_branding", "2026-09-28", "changelog/users/september-28-2026"},
	{"POST /users/{userId}/settings/webinar_waiting_room_branding", "2026-09-28", "changelog/users/september-28-2026"},
}

// TestSpecSaysWhatItDoesNotCover: each endpoint of the changelog the spec lacks is named,
// with its date, in info.description, and is indeed absent.
func TestSpecSaysWhatItDoesNotCover(t *testing.T) {
	doc := loadDoc(t, specPath)
	desc := strings.Join(strings.Fields(doc.Info.Description), " ")
	for _, n := range notCovered {
		method, path, _ := strings.Cut(n.op, " ")
		if item := doc.Paths.Find(path); item != nil && item.GetOperation(method) != nil {
			t.Errorf("%s (%s, %s) is in the spec now: take it out of notCovered and the description", n.op, n.date, n.source)
		}
		named := "`" + n.op + "`"
		i := strings.Index(desc, named)
		if i < 0 || !strings.Contains(desc[i:], n.date) || !strings.Contains(desc[i:], "Not covered") && !strings.Contains(desc[:i], "Not covered") {
			t.Errorf("info.description does not name %s as not covered with its date %s (%s)", n.op, n.date, n.source)
		}
	}
}

// changeRoot is the schema a change's field path starts from: a component schema, or the
// JSON body of the operation's request (POST, PATCH, PUT) or 2xx answer (GET).
func changeRoot(doc *openapi3.T, c changelogChange) (*openapi3.Schema, error) {
	if c.op == "" {
		ref := doc.Components.Schemas[c.schema]
		if ref == nil {
			return nil, errorf("no component schema %s", c.schema)
		}
		return ref.Value, nil
	}
	method, path, _ := strings.Cut(c.op, " ")
	item := doc.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil {
		return nil, errorf("no operation %s", c.op)
	}
	op := item.GetOperation(method)
	if method == "GET" {
		for _, code := range []int{200, 201} {
			if r := op.Responses.Status(code); r != nil && r.Value.Content.Get("application/json") != nil {
				return r.Value.Content.Get("application/json").Schema.Value, nil
			}
		}
		return nil, errorf("%s answers no JSON", c.op)
	}
	if op.RequestBody == nil {
		return nil, errorf("%s takes no body", c.op)
	}
	for _, mt := range op.RequestBody.Value.Content {
		return mt.Schema.Value, nil
	}
	return nil, errorf("%s has an empty body", c.op)
}

// fieldSchema walks a dotted field path, "[]" stepping into array items, through allOf
// wrappers, and returns the field's schema and the property schema as declared (which may
// carry readOnly around an allOf).
func fieldSchema(root *openapi3.Schema, field string) (s, prop *openapi3.Schema) {
	s = root
	for _, part := range strings.Split(field, ".") {
		items := strings.HasSuffix(part, "[]")
		part = strings.TrimSuffix(part, "[]")
		ref := propertyOf(s, part)
		if ref == nil {
			return nil, nil
		}
		prop, s = ref.Value, unwrap(ref.Value)
		if items {
			if s.Items == nil {
				return nil, nil
			}
			prop, s = s.Items.Value, unwrap(s.Items.Value)
		}
	}
	return s, prop
}

func propertyOf(s *openapi3.Schema, name string) *openapi3.SchemaRef {
	if p := s.Properties[name]; p != nil {
		return p
	}
	for _, part := range s.AllOf {
		if p := propertyOf(part.Value, name); p != nil {
			return p
		}
	}
	return nil
}

// unwrap follows a property declared as allOf of one schema (to add readOnly beside a
// $ref) to that schema.
func unwrap(s *openapi3.Schema) *openapi3.Schema {
	if len(s.Properties) == 0 && len(s.AllOf) == 1 && s.Type == nil {
		return s.AllOf[0].Value
	}
	return s
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
