package zoomusers

import "github.com/zoomkit/go-zoomusers/gen"

// The models are generated from api/openapi.yaml into package gen and used here under
// these aliases, so that callers never import gen. Their fields are documented on the
// gen type each alias names (go doc github.com/zoomkit/go-zoomusers/gen.User).
//
// A field Zoom may leave out is a pointer, nil when absent, and has an accessor that
// returns its value or the zero value: u.GetEmail() is "" for a user without an email,
// u.GetPMI() is 0. Accessors of nested sections return the section's pointer and are
// safe on nil, so s.GetInMeeting().GetWaitingRoom() is false when the section is absent; read
// the field itself (s.InMeeting.WaitingRoom == nil) where absent and false must differ. Build
// requests with Ptr: UserUpdate{JobTitle: Ptr("Engineer")}.
//
// Every nested type and enum reachable from these is aliased too (models_gen.go), with
// its constants, such as UserTypeBasic; an enum's String gives Zoom's label for the value.
type (
	// User is a user's profile. Its fields are those of gen.User (go doc
	// github.com/zoomkit/go-zoomusers/gen.User): Type, always present, and optional
	// fields such as Email, FirstName, PMI and Status, each with an accessor (GetEmail,
	// GetFirstName, GetPMI, GetStatus) that returns the zero value when it is absent.
	User = gen.User
	// CreateUserRequest is a user to create and how (CreateUserActionCreate, ...):
	// gen.CreateUserRequest.
	CreateUserRequest = gen.CreateUserRequest
	// NewUser is the profile of a user to create: gen.NewUser.
	NewUser = gen.NewUser
	// CreatedUser is the user as Zoom created it: gen.CreatedUser, with GetID, GetEmail.
	CreatedUser = gen.CreatedUser
	// UserUpdate holds the profile fields to change; nil fields are left as they are:
	// gen.UserUpdate.
	UserUpdate = gen.UserUpdate
	// UserSummary counts the account's users by type: gen.UserSummary.
	UserSummary = gen.UserSummary
	// BulkFeatureUpdate sets one feature to one value for many users: gen.BulkFeatureUpdate.
	BulkFeatureUpdate = gen.BulkFeatureUpdate
	// BulkFeatureResult is the outcome of a bulk feature update: gen.BulkFeatureResult.
	BulkFeatureResult = gen.BulkFeatureResult
	// UserRef names a user by ID or email: gen.UserRef.
	UserRef = gen.UserRef
	// Assistant is a user who may schedule for another: gen.Assistant.
	Assistant = gen.Assistant
	// AssistantsAdded lists the assistants just added: gen.AssistantsAdded.
	AssistantsAdded = gen.AssistantsAdded
	// Scheduler is a user another may schedule for: gen.Scheduler.
	Scheduler = gen.Scheduler
	// CollaborationDevice is a Zoom Rooms device paired with a user: gen.CollaborationDevice.
	CollaborationDevice = gen.CollaborationDevice
	// MeetingTemplate is one of a user's meeting templates: gen.MeetingTemplate.
	MeetingTemplate = gen.MeetingTemplate
	// PresenceStatus is a user's Team Chat presence: gen.PresenceStatus.
	PresenceStatus = gen.PresenceStatus
	// PresenceStatusUpdate is a presence to set: gen.PresenceStatusUpdate.
	PresenceStatusUpdate = gen.PresenceStatusUpdate
	// VirtualBackgroundFile is an uploaded virtual background: gen.VirtualBackgroundFile.
	VirtualBackgroundFile = gen.VirtualBackgroundFile

	// UserSettings is a user's full settings, by section, as Zoom answers them (the read
	// model): gen.UserSettings. A section or setting Zoom leaves out is nil, not false.
	// To change settings, fill a SettingsChange instead.
	UserSettings = gen.UserSettings
	// SettingsChange is a change of the full settings, as Zoom's PATCH takes it (the write
	// model): gen.UserSettingsChange. It has no field for what Zoom only answers
	// (audio_conferencing, whiteboard, feature.cn_meeting, ...) and has the keys Zoom takes
	// but never answers (EnforceFipsMode, InMeeting.AutoAnswer, ...). Its sections are the
	// ...Change types where the two shapes differ (UserSettingsFeatureChange) and the read
	// model's sections where they are the same (UserSettingsRecording). A nil field is not
	// sent and keeps its value.
	SettingsChange = gen.UserSettingsChange
	// MeetingAuthSettings are the meeting authentication settings:
	// gen.MeetingAuthenticationSettings.
	MeetingAuthSettings = gen.MeetingAuthenticationSettings
	// RecordingAuthSettings are the recording authentication settings:
	// gen.RecordingAuthenticationSettings.
	RecordingAuthSettings = gen.RecordingAuthenticationSettings
	// MeetingSecuritySettings are the meeting and webinar security settings:
	// gen.MeetingSecuritySettings.
	MeetingSecuritySettings = gen.MeetingSecuritySettings
	// MeetingAuthUpdate is a change of meeting authentication: the switch, one
	// authentication option, or both; a nil field is not sent and keeps its value
	// (gen.MeetingAuthenticationUpdate). RecordingAuthUpdate (settings.go) is its
	// recording counterpart.
	MeetingAuthUpdate = gen.MeetingAuthenticationUpdate

	// UserStatusAction is what SetStatus does: activate, deactivate, clock in or out.
	UserStatusAction = gen.UserStatusAction
	// SettingsOption names a settings variant.
	SettingsOption = gen.SettingsOption
	// DeleteAction is what Delete does: disassociate (the default) or delete for good.
	DeleteAction = gen.DeleteAction
	// TokenType is the token Token returns: a ZAK or the deprecated SDK token.
	TokenType = gen.TokenType
	// License is a license to filter a listing by.
	License = gen.License
	// IncludeField is an optional attribute a listing adds to each user.
	IncludeField = gen.IncludeField
)
