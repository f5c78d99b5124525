package zoomtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
)

// Keys of the settings variants, kept beside the full settings' sections.
const (
	keyMeetingAuth   = "meeting_authentication"
	keyRecordingAuth = "recording_authentication"
	keySecurity      = "meeting_security"
)

// defaultSettings is every user's settings until the user's own are first read or
// written; parsed once, copied on demand (settingsOf), never changed.
var defaultSettings = sync.OnceValue(func() map[string]any {
	var s map[string]any
	if err := decodeNumbers([]byte(`{
	  "schedule_meeting": {"host_video": false, "participants_video": false, "audio_type": "both", "join_before_host": false, "use_pmi_for_scheduled_meetings": false},
	  "in_meeting": {"chat": true, "private_chat": true, "screen_sharing": true, "who_can_share_screen": "host", "entry_exit_chime": "host", "breakout_room": false, "waiting_room": true},
	  "email_notification": {"cloud_recording_available_reminder": true, "jbh_reminder": true},
	  "recording": {"local_recording": true, "cloud_recording": false, "auto_recording": "none"},
	  "telephony": {"third_party_audio": false},
	  "feature": {"meeting_capacity": 100, "large_meeting": false, "webinar": false},
	  "profile": {"recording_storage_location": {"allowed_values": ["US"], "value": "US"}},
	  "meeting_authentication": {"meeting_authentication": false, "authentication_options": []},
	  "recording_authentication": {"recording_authentication": false, "authentication_options": []},
	  "meeting_security": {"meeting_security": {"waiting_room": true, "embed_password_in_join_link": true, "encryption_type": "enhanced_encryption"}}
	}`), &s); err != nil {
		panic("zoomtest: default settings: " + err.Error())
	}
	return s
})

// settingsOf returns u's own settings, copying the defaults on first use: a seeded user
// costs no settings map until something reads or writes its settings.
func settingsOf(u *user) map[string]any {
	if u.settings == nil {
		u.settings = cloneJSON(defaultSettings())
	}
	return u.settings
}

// cloneJSON deep-copies a value decoded from JSON (maps, slices and scalars).
func cloneJSON[T any](v T) T {
	return cloneValue(any(v)).(T)
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = cloneValue(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = cloneValue(x)
		}
		return out
	}
	return v
}

// settingsError is Zoom's refusal of a settings change the user's license does not
// allow (2021 spec, userSettingsUpdate 400: 1108 large meetings, 1122 webinars).
func settingsError(u *user, patch map[string]any) error {
	if u.Type == gen.UserTypeLicensed {
		return nil
	}
	feature, _ := patch["feature"].(map[string]any)
	if on, _ := feature["large_meeting"].(bool); on {
		// Evidence: Zoom 2021 spec, PATCH /users/{userId}/settings 400 "1108".
		return apiError(http.StatusBadRequest, 1108, "Only Licensed or On-prem users can enable the large meeting feature.")
	}
	if on, _ := feature["webinar"].(bool); on {
		// Evidence: Zoom 2021 spec, PATCH /users/{userId}/settings 400 "1122".
		return apiError(http.StatusBadRequest, 1122, "Webinar feature can only be enabled for Licensed or On-prem users.")
	}
	return nil
}

func (s *state) UserSettings(ctx context.Context, req zoomserver.UserSettingsRequestObject) (zoomserver.UserSettingsResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	if u.invitationExpired() {
		// Evidence: Zoom 2021 spec, GET /users/{userId}/settings 400 "1120" (invitations.go).
		return nil, errInvitationExpired(http.StatusBadRequest)
	}
	settings := u.settings
	if settings == nil {
		settings = defaultSettings() // read-only here: reading does not materialize a copy
	}
	var out map[string]any
	if opt := req.Params.Option; opt != nil {
		out = settings[string(*opt)].(map[string]any)
	} else {
		out = map[string]any{}
		for k, v := range settings {
			if k != keyMeetingAuth && k != keyRecordingAuth && k != keySecurity {
				out[k] = v
			}
		}
		// Keys Zoom takes but never answers (enforce_fips_mode, in_meeting.auto_answer) are
		// kept and not shown: ZOOM_FACTS.md "Zoom keeps moving" (2026-11-19), and Zoom's 2025
		// spec, whose answer lacks auto_answer.
		out = knownSettings(out, reflect.TypeFor[gen.UserSettings]())
		if q := deref(req.Params.CustomQueryFields); q != "" {
			out = onlyFields(out, strings.Split(q, ","))
		}
	}
	raw, _ := json.Marshal(out)
	var body gen.UserSettingsResult
	if err := body.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	return zoomserver.UserSettings200JSONResponse{Body: body}, nil
}

// onlyFields keeps, in each section, the named settings, and drops emptied sections.
func onlyFields(sections map[string]any, names []string) map[string]any {
	out := map[string]any{}
	for sec, v := range sections {
		fields, ok := v.(map[string]any)
		if !ok {
			continue
		}
		kept := map[string]any{}
		for _, n := range names {
			if fv, ok := fields[strings.TrimSpace(n)]; ok {
				kept[strings.TrimSpace(n)] = fv
			}
		}
		if len(kept) > 0 {
			out[sec] = kept
		}
	}
	return out
}

func (s *state) UserSettingsUpdate(ctx context.Context, req zoomserver.UserSettingsUpdateRequestObject) (zoomserver.UserSettingsUpdateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	raw, err := req.Body.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var patch map[string]any
	if err := decodeNumbers(raw, &patch); err != nil {
		// Not a refusal: the validator passed the body, so this is the fake's own failure (a 500).
		return nil, fmt.Errorf("zoomtest: settings body: %w", err)
	}
	if u.invitationExpired() {
		// Evidence: Zoom 2021 spec, PATCH /users/{userId}/settings 400 "1120" (invitations.go).
		return nil, errInvitationExpired(http.StatusBadRequest)
	}
	if err := settingsError(u, patch); err != nil {
		return nil, err
	}
	if u.notApplied() {
		return zoomserver.UserSettingsUpdate204Response{}, nil // success, nothing applied: invitations.go
	}
	settings := settingsOf(u)
	defer s.emitSettings(ctx, u, cloneJSON(settings))
	if req.Params.Option == nil {
		// Zoom answers 204 to a key it does not know and changes nothing (ZOOM_FACTS.md "Zoom
		// keeps moving"): keys outside the full settings, the variants' keys among them,
		// are dropped, not refused.
		merge(settings, knownSettings(patch, reflect.TypeFor[gen.UserSettingsChange]()))
		return zoomserver.UserSettingsUpdate204Response{}, nil
	}
	option := string(*req.Params.Option)
	variant := settings[option].(map[string]any)
	switch option {
	// No evidence of a refusal: accepted. A body without the keys the option takes changes
	// nothing and answers 204, as Zoom answers keys it does not know (ZOOM_FACTS.md "Zoom
	// keeps moving").
	case keySecurity:
		if _, ok := patch[keySecurity]; ok {
			merge(variant, patch)
		}
	default:
		// Zoom takes the switch, one authentication option, or both.
		flag, hasFlag := patch[option]
		if o, ok := patch["authentication_option"].(map[string]any); ok {
			applyAuthOption(variant, o)
		}
		if hasFlag {
			variant[option] = flag
		}
	}
	return zoomserver.UserSettingsUpdate204Response{}, nil
}

// applyAuthOption adds an authentication option, or updates, shows or hides one by ID.
func applyAuthOption(variant, o map[string]any) {
	list, _ := variant["authentication_options"].([]any)
	id, _ := o["id"].(string)
	action, _ := o["action"].(string)
	for _, item := range list {
		existing := item.(map[string]any)
		if existing["id"] != id || id == "" {
			continue
		}
		switch action {
		case "show", "hide":
			existing["visible"] = action == "show"
		default:
			for k, v := range o {
				if k != "action" {
					existing[k] = v
				}
			}
		}
		return
	}
	if action == "show" || action == "hide" || (action == "update" && id != "") {
		// No evidence of a refusal: accepted. An ID the user has no option with changes nothing.
		return
	}
	added := maps.Clone(o)
	delete(added, "action")
	added["id"] = fmt.Sprintf("auth-%d", len(list)+1)
	added["visible"] = true
	variant["authentication_options"] = append(list, added)
}

// merge copies patch into dst, object by object.
func merge(dst, patch map[string]any) {
	for k, v := range patch {
		pm, isMap := v.(map[string]any)
		dm, dstMap := dst[k].(map[string]any)
		if isMap && dstMap {
			merge(dm, pm)
			continue
		}
		dst[k] = v
	}
}

// knownSettings returns patch without the keys the settings model t does not declare, at
// every level: what Zoom applies of a settings change (see UserSettingsUpdate).
func knownSettings(patch map[string]any, t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return patch // a map or a free-form value: every key is Zoom's to judge
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && f.Type.Kind() == reflect.Map {
			return patch // the model keeps additional properties: nothing is unknown
		}
		fields[name] = f.Type
	}
	out := make(map[string]any, len(patch))
	for k, v := range patch {
		ft, ok := fields[k]
		if !ok {
			continue
		}
		if m, isMap := v.(map[string]any); isMap {
			v = knownSettings(m, ft)
		}
		out[k] = v
	}
	return out
}
