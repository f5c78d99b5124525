package zoomusers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers/internal/dotpath"
)

// SettingsParams narrows Settings.
type SettingsParams struct {
	// LoginType picks one login of a user whose email signs in several ways.
	LoginType *LoginType
	// CustomQueryFields, comma-separated setting names such as "host_video,audio_type",
	// returns only those settings.
	CustomQueryFields string
}

// Settings returns the user's full settings. Sections and fields Zoom leaves out are nil:
// unknown, not false.
func (u *UserHandle) Settings(ctx context.Context, params *SettingsParams, opts ...Option) (*UserSettings, error) {
	if u.err != nil {
		return nil, u.err
	}
	var p gen.UserSettingsParams
	if params != nil {
		p.LoginType = params.LoginType
		if params.CustomQueryFields != "" {
			p.CustomQueryFields = &params.CustomQueryFields
		}
	}
	ctx = u.call(ctx, OpUserSettings, opts)
	return decode[UserSettings](u.c)(u.c.api.UserSettings(ctx, u.id, &p))
}

// MeetingAuthentication returns the user's meeting authentication settings.
func (u *UserHandle) MeetingAuthentication(ctx context.Context, opts ...Option) (*MeetingAuthSettings, error) {
	return settingsVariant[MeetingAuthSettings](ctx, u, gen.SettingsOptionMeetingAuthentication, opts)
}

// RecordingAuthentication returns the user's recording authentication settings.
func (u *UserHandle) RecordingAuthentication(ctx context.Context, opts ...Option) (*RecordingAuthSettings, error) {
	return settingsVariant[RecordingAuthSettings](ctx, u, gen.SettingsOptionRecordingAuthentication, opts)
}

// MeetingSecurity returns the user's meeting and webinar security settings.
func (u *UserHandle) MeetingSecurity(ctx context.Context, opts ...Option) (*MeetingSecuritySettings, error) {
	return settingsVariant[MeetingSecuritySettings](ctx, u, gen.SettingsOptionMeetingSecurity, opts)
}

func settingsVariant[T any](ctx context.Context, u *UserHandle, option SettingsOption, opts []Option) (*T, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = u.call(ctx, OpUserSettings, opts)
	return decode[T](u.c)(u.c.api.UserSettings(ctx, u.id, &gen.UserSettingsParams{Option: &option}))
}

// UpdateSettings changes the settings set in s; nil fields are not sent and keep their
// values. s is the write model, not the UserSettings that Settings returns: Zoom's PATCH
// takes fewer keys than its GET answers (nothing of audio_conferencing or whiteboard) and
// some it never answers (enforce_fips_mode), so a read answer cannot be sent back by
// accident, and a change holds only what the caller set.
func (u *UserHandle) UpdateSettings(ctx context.Context, s SettingsChange, opts ...Option) error {
	return u.updateSettings(ctx, nil, opts, func(b *gen.UserSettingsUpdate) error { return b.FromUserSettingsChange(s) })
}

// UpdateMeetingAuthentication changes the meeting authentication settings: the switch, one
// authentication option, or both; a nil field is not sent and keeps its value.
func (u *UserHandle) UpdateMeetingAuthentication(ctx context.Context, s MeetingAuthUpdate, opts ...Option) error {
	if s.MeetingAuthentication == nil && s.AuthenticationOption == nil {
		return errors.New("zoomusers: UpdateMeetingAuthentication: nothing to change: set MeetingAuthentication, AuthenticationOption or both")
	}
	option := gen.SettingsOptionMeetingAuthentication
	return u.updateSettings(ctx, &option, opts, func(b *gen.UserSettingsUpdate) error { return b.FromMeetingAuthenticationUpdate(s) })
}

// RecordingAuthUpdate is a change of recording authentication: the switch, one
// authentication option, or both. A nil field is left as it is.
type RecordingAuthUpdate struct {
	// RecordingAuthentication turns recording authentication on or off; nil keeps it.
	RecordingAuthentication *bool
	// AuthenticationOption adds, changes, shows or hides one authentication option.
	AuthenticationOption *AuthenticationOptionUpdate
}

// GetRecordingAuthentication returns the switch to set, or false when it is nil.
func (r *RecordingAuthUpdate) GetRecordingAuthentication() bool {
	if r == nil || r.RecordingAuthentication == nil {
		return false
	}
	return *r.RecordingAuthentication
}

// GetAuthenticationOption returns the option to change, or nil.
func (r *RecordingAuthUpdate) GetAuthenticationOption() *AuthenticationOptionUpdate {
	if r == nil {
		return nil
	}
	return r.AuthenticationOption
}

// UpdateRecordingAuthentication changes the recording authentication settings set in s.
// The request body must carry the switch (api/openapi.yaml, RecordingAuthenticationUpdate,
// tells the recording body from the meeting one by it), so when s leaves the switch nil
// the client first reads its current value, with the same options, and sends that back:
// an option changed alone never turns recording authentication off. A change of the
// switch between that read and the write is overwritten; set the switch to avoid the read.
func (u *UserHandle) UpdateRecordingAuthentication(ctx context.Context, s RecordingAuthUpdate, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	body := gen.RecordingAuthenticationUpdate{AuthenticationOption: s.AuthenticationOption}
	switch {
	case s.RecordingAuthentication != nil:
		body.RecordingAuthentication = *s.RecordingAuthentication
	case s.AuthenticationOption == nil:
		return errors.New("zoomusers: UpdateRecordingAuthentication: nothing to change: set RecordingAuthentication, AuthenticationOption or both")
	default:
		current, err := u.RecordingAuthentication(ctx, opts...)
		if err != nil {
			return fmt.Errorf("zoomusers: UpdateRecordingAuthentication: reading the current switch to send it back (set RecordingAuthentication to skip this): %w", err)
		}
		body.RecordingAuthentication = current.RecordingAuthentication
	}
	option := gen.SettingsOptionRecordingAuthentication
	return u.updateSettings(ctx, &option, opts, func(b *gen.UserSettingsUpdate) error { return b.FromRecordingAuthenticationUpdate(body) })
}

// UpdateMeetingSecurity changes the meeting and webinar security settings.
func (u *UserHandle) UpdateMeetingSecurity(ctx context.Context, s MeetingSecuritySettings, opts ...Option) error {
	option := gen.SettingsOptionMeetingSecurity
	return u.updateSettings(ctx, &option, opts, func(b *gen.UserSettingsUpdate) error { return b.FromMeetingSecuritySettings(s) })
}

func (u *UserHandle) updateSettings(ctx context.Context, option *SettingsOption, opts []Option, set func(*gen.UserSettingsUpdate) error) error {
	if u.err != nil {
		return u.err
	}
	var body gen.UserSettingsUpdate
	if err := set(&body); err != nil {
		return err
	}
	ctx = u.call(ctx, OpUserSettingsUpdate, opts)
	return done(u.c.api.UserSettingsUpdate(ctx, u.id, &gen.UserSettingsUpdateParams{Option: option}, body))
}

// SettingOutcome is what a settings change did to one key, as the settings read back
// after it show.
type SettingOutcome struct {
	Path string // the key, its JSON keys from the body's root joined by dots
	Sent any    // the value sent
	// Got is the value read back; nil when the answer has no such key (Shown is false).
	Got   any
	Shown bool
	// Applied is true when the value read back equals the value sent. A key Zoom does
	// not know, or a change it took without making (a pending user's), reads back absent
	// or with its old value: not applied.
	Applied bool
}

// PatchSettings sends values, keyed by dotted path ("schedule_meeting.host_video",
// "meeting_security.waiting_room"), in one PATCH of the settings variant option ("" for
// the full settings, or "meeting_security"), then reads the same variant back and
// reports, key by key in path order, whether Zoom holds the value sent. opts apply to
// both requests.
//
// Zoom answers 204 to a key it does not know and changes nothing (ZOOM_FACTS.md, "Zoom
// keeps moving"), and answers success to a pending user's change without making it
// ("Behaviour seen in the field"): a typo, a key newer than Zoom's account, and a
// silent no-op look like success until the settings are read back. PatchSettings sends
// keys the spec does not declare as they are, so that a key Zoom added after the spec
// can be set; the read-back says whether Zoom took it. Check keys first where a typo
// matters: settingspec.Check refuses undeclared ones with the nearest declared names.
func (u *UserHandle) PatchSettings(ctx context.Context, option string, values map[string]any, opts ...Option) ([]SettingOutcome, error) {
	if u.err != nil {
		return nil, u.err
	}
	if len(values) == 0 {
		return nil, nil
	}
	raw, err := json.Marshal(dotpath.Nest(values))
	if err != nil {
		return nil, fmt.Errorf("zoomusers: settings patch: %w", err)
	}
	var patch gen.UserSettingsUpdateParams
	var get gen.UserSettingsParams
	if option != "" {
		o := SettingsOption(option)
		patch.Option, get.Option = &o, &o
	}
	if err := done(u.c.api.UserSettingsUpdateWithBody(u.call(ctx, OpUserSettingsUpdate, opts), u.id, &patch, "application/json", bytes.NewReader(raw))); err != nil {
		return nil, err
	}
	answer, err := decode[json.RawMessage](u.c)(u.c.api.UserSettings(u.call(ctx, OpUserSettings, opts), u.id, &get))
	if err != nil {
		return nil, err
	}
	var tree any
	if err := unmarshalNumbers(*answer, &tree); err != nil {
		return nil, fmt.Errorf("zoomusers: reading the settings back: %w", err)
	}
	out := make([]SettingOutcome, 0, len(values))
	for _, path := range slices.Sorted(maps.Keys(values)) {
		o := SettingOutcome{Path: path, Sent: values[path]}
		o.Got, o.Shown = dotpath.Lookup(tree, path)
		o.Applied = o.Shown && sameJSON(o.Sent, o.Got)
		out = append(out, o)
	}
	return out, nil
}

// unmarshalNumbers decodes JSON keeping numbers as json.Number, so that a 64-bit value
// compares exactly.
func unmarshalNumbers(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

// sameJSON reports whether two values have the same JSON meaning: numbers by value (5
// and 5.0 are the same), objects by keys, arrays in order.
func sameJSON(a, b any) bool {
	var na, nb any
	ra, errA := json.Marshal(a)
	rb, errB := json.Marshal(b)
	if errA != nil || errB != nil || unmarshalNumbers(ra, &na) != nil || unmarshalNumbers(rb, &nb) != nil {
		return false
	}
	return sameTree(na, nb)
}

func sameTree(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		rx, okX := new(big.Rat).SetString(string(x))
		ry, okY := new(big.Rat).SetString(string(y))
		return okX && okY && rx.Cmp(ry) == 0
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameTree(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameTree(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
