package zoomusers

import (
	"context"

	"github.com/zoomkit/go-zoomusers/gen"
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
func (u *UserHandle) Settings(ctx context.Context, params *SettingsParams) (*UserSettings, error) {
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
	ctx = call(ctx, OpUserSettings)
	return decode[UserSettings](u.c)(u.c.api.UserSettings(ctx, u.id, &p))
}

// MeetingAuthentication returns the user's meeting authentication settings.
func (u *UserHandle) MeetingAuthentication(ctx context.Context) (*MeetingAuthSettings, error) {
	return settingsVariant[MeetingAuthSettings](ctx, u, gen.SettingsOptionMeetingAuthentication)
}

// RecordingAuthentication returns the user's recording authentication settings.
func (u *UserHandle) RecordingAuthentication(ctx context.Context) (*RecordingAuthSettings, error) {
	return settingsVariant[RecordingAuthSettings](ctx, u, gen.SettingsOptionRecordingAuthentication)
}

// MeetingSecurity returns the user's meeting and webinar security settings.
func (u *UserHandle) MeetingSecurity(ctx context.Context) (*MeetingSecuritySettings, error) {
	return settingsVariant[MeetingSecuritySettings](ctx, u, gen.SettingsOptionMeetingSecurity)
}

func settingsVariant[T any](ctx context.Context, u *UserHandle, option SettingsOption) (*T, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = call(ctx, OpUserSettings)
	return decode[T](u.c)(u.c.api.UserSettings(ctx, u.id, &gen.UserSettingsParams{Option: &option}))
}

// UpdateSettings changes the settings set in s; nil fields are left as they are.
func (u *UserHandle) UpdateSettings(ctx context.Context, s UserSettings) error {
	return u.updateSettings(ctx, nil, func(b *gen.UserSettingsUpdate) error { return b.FromUserSettings(s) })
}

// UpdateMeetingAuthentication changes the meeting authentication settings: the switch, one
// authentication option, or both; a nil field is not sent and keeps its value.
func (u *UserHandle) UpdateMeetingAuthentication(ctx context.Context, s MeetingAuthUpdate) error {
	option := gen.SettingsOptionMeetingAuthentication
	return u.updateSettings(ctx, &option, func(b *gen.UserSettingsUpdate) error { return b.FromMeetingAuthenticationUpdate(s) })
}

// UpdateRecordingAuthentication changes the recording authentication settings. The switch
// is always sent (the spec tells the two authentication bodies apart by it): pass its
// current value to change only an option.
func (u *UserHandle) UpdateRecordingAuthentication(ctx context.Context, s RecordingAuthUpdate) error {
	option := gen.SettingsOptionRecordingAuthentication
	return u.updateSettings(ctx, &option, func(b *gen.UserSettingsUpdate) error { return b.FromRecordingAuthenticationUpdate(s) })
}

// UpdateMeetingSecurity changes the meeting and webinar security settings.
func (u *UserHandle) UpdateMeetingSecurity(ctx context.Context, s MeetingSecuritySettings) error {
	option := gen.SettingsOptionMeetingSecurity
	return u.updateSettings(ctx, &option, func(b *gen.UserSettingsUpdate) error { return b.FromMeetingSecuritySettings(s) })
}

func (u *UserHandle) updateSettings(ctx context.Context, option *SettingsOption, set func(*gen.UserSettingsUpdate) error) error {
	if u.err != nil {
		return u.err
	}
	var body gen.UserSettingsUpdate
	if err := set(&body); err != nil {
		return err
	}
	ctx = call(ctx, OpUserSettingsUpdate)
	return done(u.c.api.UserSettingsUpdate(ctx, u.id, &gen.UserSettingsUpdateParams{Option: option}, body))
}
