package zoomusers

import "github.com/zoomkit/go-zoomusers/gen"

// Models generated from api/openapi.yaml, under the names this package uses.
type (
	User                    = gen.User                            // a user's profile
	UserType                = gen.UserType                        // a user's license type
	UserStatus              = gen.UserStatus                      // active, inactive or pending
	CreateUserRequest       = gen.CreateUserRequest               // a user to create, and how
	NewUser                 = gen.NewUser                         // the profile of a user to create
	CreatedUser             = gen.CreatedUser                     // the user as created
	UserUpdate              = gen.UserUpdate                      // profile fields to change
	UserSummary             = gen.UserSummary                     // the account's user counts
	BulkFeatureUpdate       = gen.BulkFeatureUpdate               // one feature value for many users
	BulkFeatureResult       = gen.BulkFeatureResult               // the outcome of a bulk feature update
	UserRef                 = gen.UserRef                         // a user named by ID or email
	Assistant               = gen.Assistant                       // a user who schedules for another
	AssistantsAdded         = gen.AssistantsAdded                 // the assistants just added
	Scheduler               = gen.Scheduler                       // a user another may schedule for
	CollaborationDevice     = gen.CollaborationDevice             // a Zoom Rooms device paired with a user
	MeetingTemplate         = gen.MeetingTemplate                 // a meeting template
	PresenceStatus          = gen.PresenceStatus                  // a user's Team Chat presence
	PresenceStatusUpdate    = gen.PresenceStatusUpdate            // a presence to set
	VirtualBackgroundFile   = gen.VirtualBackgroundFile           // an uploaded virtual background
	UserSettings            = gen.UserSettings                    // the full settings
	MeetingAuthSettings     = gen.MeetingAuthenticationSettings   // meeting authentication settings
	RecordingAuthSettings   = gen.RecordingAuthenticationSettings // recording authentication settings
	MeetingSecuritySettings = gen.MeetingSecuritySettings         // meeting and webinar security
	MeetingSecurity         = gen.MeetingSecurity                 // the meeting_security section
	MeetingAuthUpdate       = gen.MeetingAuthenticationUpdate     // a change of meeting authentication

	// Sections of UserSettings.
	UserSettingsEmailNotification = gen.UserSettingsEmailNotification
	UserSettingsFeature           = gen.UserSettingsFeature
	UserSettingsInMeeting         = gen.UserSettingsInMeeting
	UserSettingsProfile           = gen.UserSettingsProfile
	UserSettingsRecording         = gen.UserSettingsRecording
	UserSettingsScheduleMeeting   = gen.UserSettingsScheduleMeeting
	UserSettingsTelephony         = gen.UserSettingsTelephony
	UserSettingsTSP               = gen.UserSettingsTSP
	RecordingAuthUpdate           = gen.RecordingAuthenticationUpdate

	GetUserParams      = gen.UserParams               // options of Get
	DeleteUserParams   = gen.UserDeleteParams         // options of Delete: action and transfers
	UpdateUserParams   = gen.UserUpdateParams         // options of Update
	TokenParams        = gen.UserTokenParams          // options of Token: type and ttl
	UserStatusAction   = gen.UserStatusUpdateAction   // activate, deactivate, clock in or out
	CreateUserAction   = gen.CreateUserRequestAction  // create, autoCreate, custCreate or ssoCreate
	SettingsOption     = gen.SettingsOption           // a settings variant
	LoginType          = gen.LoginType                // how a user signs in
	UsersIncludeFields = gen.UsersParamsIncludeFields // optional user attributes to list
	UsersLicense       = gen.UsersParamsLicense       // a license to filter users by
)

// Values of the enums above, so that callers need not import package gen.
const (
	UserTypeBasic    = gen.UserTypeBasic
	UserTypeLicensed = gen.UserTypeLicensed
	UserTypeNone     = gen.UserTypeNone
	// UserTypeUnassigned is "Unassigned without Meetings Basic".
	UserTypeUnassigned = gen.UserTypeUnassignedWithoutMeetingsBasic

	UserStatusActive   = gen.UserStatusActive
	UserStatusInactive = gen.UserStatusInactive
	UserStatusPending  = gen.UserStatusPending

	ActionCreate     = gen.CreateUserRequestActionCreate
	ActionAutoCreate = gen.CreateUserRequestActionAutoCreate
	ActionCustCreate = gen.CreateUserRequestActionCustCreate
	ActionSSOCreate  = gen.CreateUserRequestActionSSOCreate

	StatusActivate   = gen.UserStatusUpdateActionActivate
	StatusDeactivate = gen.UserStatusUpdateActionDeactivate
	StatusClockIn    = gen.UserStatusUpdateActionClockIn
	StatusClockOut   = gen.UserStatusUpdateActionClockOut

	TokenTypeZak   = gen.UserTokenParamsTypeZak   // TokenParams.Type for a ZAK
	TokenTypeToken = gen.UserTokenParamsTypeToken // TokenParams.Type for the deprecated SDK token

	DeleteActionDisassociate = gen.UserDeleteParamsActionDisassociate
	DeleteActionDelete       = gen.UserDeleteParamsActionDelete
)
