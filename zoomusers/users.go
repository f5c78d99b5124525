package zoomusers

import (
	"context"
	"slices"
	"strings"

	"github.com/zoomkit/go-zoomusers/gen"
)

// CreateUser adds a user to the account. With CreateUserActionCreate the user stays pending until
// they confirm the email Zoom sends; Zoom caps such creations per day by plan.
func (c *Client) CreateUser(ctx context.Context, req CreateUserRequest, opts ...Option) (*CreatedUser, error) {
	ctx = withLimitScope(call(ctx, OpUserCreate, opts...), "action="+string(req.Action)) // action=create has a daily cap of its own
	return decode[CreatedUser](c)(c.api.UserCreate(ctx, req))
}

// EmailExists reports whether any Zoom account already uses email.
func (c *Client) EmailExists(ctx context.Context, email string, opts ...Option) (bool, error) {
	ctx = call(ctx, OpUserEmail, opts...)
	out, err := decode[gen.EmailCheck](c)(c.api.UserEmail(ctx, &gen.UserEmailParams{Email: email}))
	if err != nil {
		return false, err
	}
	return out.GetExistedEmail(), nil
}

// VanityNameExists reports whether a personal meeting room name is taken.
func (c *Client) VanityNameExists(ctx context.Context, name string, opts ...Option) (bool, error) {
	ctx = call(ctx, OpUserVanityName, opts...)
	out, err := decode[gen.VanityNameCheck](c)(c.api.UserVanityName(ctx, &gen.UserVanityNameParams{VanityName: name}))
	if err != nil {
		return false, err
	}
	return out.GetExisted(), nil
}

// Summary counts the account's users by type.
func (c *Client) Summary(ctx context.Context, opts ...Option) (*UserSummary, error) {
	ctx = call(ctx, OpUserSummary, opts...)
	return decode[UserSummary](c)(c.sendPath(ctx))
}

// BulkUpdateFeature sets one feature to one value for up to 30 users. Users that could
// not be changed are listed in the result's FailDetails, not as an error.
func (c *Client) BulkUpdateFeature(ctx context.Context, req BulkFeatureUpdate, opts ...Option) (*BulkFeatureResult, error) {
	ctx = call(ctx, OpBulkUpdateFeature, opts...)
	return decode[BulkFeatureResult](c)(c.api.BulkUpdateFeature(ctx, req))
}

// UserHandle is one user's operations. Get one from Client.User or Client.Me; it is
// cheap, holds no state from Zoom and is safe for concurrent use.
type UserHandle struct {
	c    *Client
	id   string
	err  error
	opts []Option // With's, before each call's own
}

// User returns the handle of the user with this ID or email address. An invalid ID is
// reported by every call on the handle, before any request is sent.
func (c *Client) User(idOrEmail string) *UserHandle {
	return &UserHandle{c: c, id: idOrEmail, err: validateID("user ID", idOrEmail)}
}

// MeHandle is the handle of the user behind a user-level OAuth token, with the calls
// that exist only for that user.
type MeHandle struct {
	*UserHandle
}

// Me returns the handle of the user who authorized the token (user-level OAuth only).
func (c *Client) Me() *MeHandle {
	return &MeHandle{c.User(Me)}
}

// ID returns the user ID, email or "me" the handle names.
func (u *UserHandle) ID() string { return u.id }

// With returns a copy of the handle whose every call takes opts, before the call's own
// options. It is how AddAssistants and DeleteVirtualBackgrounds, whose last parameter
// is already a list, take per-call options:
//
//	u.With(zoomusers.WithRetryPolicy(zoomusers.NoRetries)).AddAssistants(ctx, a)
func (u *UserHandle) With(opts ...Option) *UserHandle {
	w := *u
	w.opts = append(slices.Clip(u.opts), opts...)
	return &w
}

// call marks ctx as client.go's call does, with the handle's options and the call's.
func (u *UserHandle) call(ctx context.Context, op OperationID, opts []Option) context.Context {
	if len(u.opts) > 0 {
		opts = append(slices.Clip(u.opts), opts...)
	}
	return call(ctx, op, opts...)
}

// With returns a copy of the handle whose every call takes opts, before the call's own
// options, as UserHandle.With does; the copy is still a MeHandle, with ZAK and
// OnBehalfToken.
func (m *MeHandle) With(opts ...Option) *MeHandle {
	return &MeHandle{m.UserHandle.With(opts...)}
}

// ZAK returns the Zoom Access Key of the authorizing user.
func (m *MeHandle) ZAK(ctx context.Context, opts ...Option) (string, error) {
	ctx = m.call(ctx, OpUserZak, opts)
	out, err := decode[gen.Token](m.c)(m.c.sendPath(ctx))
	if err != nil {
		return "", err
	}
	return out.GetToken(), nil
}

// Get returns the user's profile.
func (u *UserHandle) Get(ctx context.Context, params *GetUserParams, opts ...Option) (*User, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = u.call(ctx, OpUser, opts)
	if params == nil {
		return decode[User](u.c)(u.c.sendPath(ctx, u.id)) // path.go
	}
	return decode[User](u.c)(u.c.api.User(ctx, u.id, params.wire()))
}

// Delete removes the user: disassociates by default, or deletes for good with
// params.Action set to DeleteActionDelete. params can hand the user's assets to another.
func (u *UserHandle) Delete(ctx context.Context, params *DeleteUserParams, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserDelete, opts)
	return done(u.c.api.UserDelete(ctx, u.id, params.wire()))
}

// Update changes the profile fields set in upd.
func (u *UserHandle) Update(ctx context.Context, upd UserUpdate, params *UpdateUserParams, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserUpdate, opts)
	return done(u.c.api.UserUpdate(ctx, u.id, params.wire(), upd))
}

// SetStatus activates, deactivates, clocks in or clocks out the user.
func (u *UserHandle) SetStatus(ctx context.Context, action UserStatusAction, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserStatus, opts)
	return done(u.c.api.UserStatus(ctx, u.id, gen.UserStatusUpdate{Action: action}))
}

// UpdateEmail changes the user's login email. The account needs a managed domain, and
// Zoom allows three changes per user per 24 hours.
func (u *UserHandle) UpdateEmail(ctx context.Context, email string, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserEmailUpdate, opts)
	return done(u.c.api.UserEmailUpdate(ctx, u.id, gen.EmailUpdate{Email: email}))
}

// SetPassword sets the user's password; it must meet the account's password rules.
func (u *UserHandle) SetPassword(ctx context.Context, password string, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserPassword, opts)
	return done(u.c.api.UserPassword(ctx, u.id, gen.PasswordUpdate{Password: password}))
}

// Permissions lists the permissions the user holds through their role.
func (u *UserHandle) Permissions(ctx context.Context, opts ...Option) ([]string, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = u.call(ctx, OpUserPermission, opts)
	out, err := decode[gen.UserPermissions](u.c)(u.c.sendPath(ctx, u.id))
	if err != nil {
		return nil, err
	}
	return out.GetPermissions(), nil
}

// Assistants lists the users who may schedule on this user's behalf.
func (u *UserHandle) Assistants(ctx context.Context, opts ...Option) ([]Assistant, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = u.call(ctx, OpUserAssistants, opts)
	out, err := decode[gen.AssistantList](u.c)(u.c.sendPath(ctx, u.id))
	if err != nil {
		return nil, err
	}
	return out.GetAssistants(), nil
}

// AddAssistants lets up to 30 users, named by ID or email, schedule for this user. Give
// it per-call options with With.
func (u *UserHandle) AddAssistants(ctx context.Context, assistants ...Assistant) (*AssistantsAdded, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = u.call(ctx, OpUserAssistantCreate, nil)
	return decode[AssistantsAdded](u.c)(u.c.api.UserAssistantCreate(ctx, u.id, gen.AssistantList{Assistants: &assistants}))
}

// DeleteAssistants removes all of the user's assistants.
func (u *UserHandle) DeleteAssistants(ctx context.Context, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserAssistantsDelete, opts)
	return done(u.c.sendPath(ctx, u.id))
}

// DeleteAssistant removes one assistant, named by ID or email.
func (u *UserHandle) DeleteAssistant(ctx context.Context, assistantID string, opts ...Option) error {
	if err := u.check("assistant ID", assistantID); err != nil {
		return err
	}
	ctx = u.call(ctx, OpUserAssistantDelete, opts)
	return done(u.c.sendPath(ctx, u.id, assistantID))
}

// Schedulers lists the users this user may schedule for.
func (u *UserHandle) Schedulers(ctx context.Context, opts ...Option) ([]Scheduler, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = u.call(ctx, OpUserSchedulers, opts)
	out, err := decode[gen.SchedulerList](u.c)(u.c.sendPath(ctx, u.id))
	if err != nil {
		return nil, err
	}
	return out.GetSchedulers(), nil
}

// DeleteSchedulers removes this user's right to schedule for anyone.
func (u *UserHandle) DeleteSchedulers(ctx context.Context, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserSchedulersDelete, opts)
	return done(u.c.sendPath(ctx, u.id))
}

// DeleteScheduler removes this user's right to schedule for one user.
func (u *UserHandle) DeleteScheduler(ctx context.Context, schedulerID string, opts ...Option) error {
	if err := u.check("scheduler ID", schedulerID); err != nil {
		return err
	}
	ctx = u.call(ctx, OpUserSchedulerDelete, opts)
	return done(u.c.sendPath(ctx, u.id, schedulerID))
}

// CollaborationDevices lists the Zoom Rooms devices paired with the user.
func (u *UserHandle) CollaborationDevices(ctx context.Context, opts ...Option) ([]CollaborationDevice, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = u.call(ctx, OpListCollaborationDevices, opts)
	out, err := decode[gen.CollaborationDeviceList](u.c)(u.c.sendPath(ctx, u.id))
	if err != nil {
		return nil, err
	}
	return out.GetCollaborationDevices(), nil
}

// CollaborationDevice returns one device paired with the user.
func (u *UserHandle) CollaborationDevice(ctx context.Context, deviceID string, opts ...Option) (*CollaborationDevice, error) {
	if err := u.check("collaboration device ID", deviceID); err != nil {
		return nil, err
	}
	ctx = u.call(ctx, OpGetCollaborationDevice, opts)
	return decode[CollaborationDevice](u.c)(u.c.sendPath(ctx, u.id, deviceID))
}

// MeetingTemplate returns one of the user's meeting templates.
func (u *UserHandle) MeetingTemplate(ctx context.Context, templateID string, opts ...Option) (*MeetingTemplate, error) {
	if err := u.check("meeting template ID", templateID); err != nil {
		return nil, err
	}
	ctx = u.call(ctx, OpGetUserMeetingTemplates, opts)
	return decode[MeetingTemplate](u.c)(u.c.sendPath(ctx, u.id, templateID))
}

// DeletePicture removes the user's profile picture.
func (u *UserHandle) DeletePicture(ctx context.Context, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserPictureDelete, opts)
	return done(u.c.sendPath(ctx, u.id))
}

// DeleteVirtualBackgrounds removes the user's virtual background files with these IDs.
// Give it per-call options with With.
func (u *UserHandle) DeleteVirtualBackgrounds(ctx context.Context, fileIDs ...string) error {
	if u.err != nil {
		return u.err
	}
	for _, id := range fileIDs {
		if err := validateID("virtual background file ID", id); err != nil {
			return err
		}
	}
	ids := strings.Join(fileIDs, ",")
	ctx = u.call(ctx, OpDelUserVB, nil)
	return done(u.c.api.DelUserVB(ctx, u.id, &gen.DelUserVBParams{FileIDs: &ids}))
}

// PresenceStatus returns the user's Team Chat presence.
func (u *UserHandle) PresenceStatus(ctx context.Context, opts ...Option) (*PresenceStatus, error) {
	if u.err != nil {
		return nil, u.err
	}
	ctx = u.call(ctx, OpGetUserPresenceStatus, opts)
	return decode[PresenceStatus](u.c)(u.c.sendPath(ctx, u.id))
}

// SetPresenceStatus sets the user's Team Chat presence. Zoom accepts one change per
// user per minute.
func (u *UserHandle) SetPresenceStatus(ctx context.Context, status PresenceStatusUpdate, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUpdatePresenceStatus, opts)
	return done(u.c.api.UpdatePresenceStatus(ctx, u.id, status))
}

// Token returns the user's ZAK (params.Type TokenTypeZAK) or deprecated SDK token.
func (u *UserHandle) Token(ctx context.Context, params *TokenParams, opts ...Option) (string, error) {
	if u.err != nil {
		return "", u.err
	}
	ctx = u.call(ctx, OpUserToken, opts)
	out, err := decode[gen.Token](u.c)(u.c.api.UserToken(ctx, u.id, params.wire()))
	if err != nil {
		return "", err
	}
	return out.GetToken(), nil
}

// RevokeSSOToken signs the user out of every device.
func (u *UserHandle) RevokeSSOToken(ctx context.Context, opts ...Option) error {
	if u.err != nil {
		return u.err
	}
	ctx = u.call(ctx, OpUserSSOTokenDelete, opts)
	return done(u.c.sendPath(ctx, u.id))
}

// SwitchAccount moves the user from account fromAccountID to toAccountID, both under
// the caller's master account.
func (u *UserHandle) SwitchAccount(ctx context.Context, fromAccountID, toAccountID string, opts ...Option) error {
	if err := u.check("account ID", fromAccountID); err != nil {
		return err
	}
	if err := validateID("account ID", toAccountID); err != nil {
		return err
	}
	ctx = u.call(ctx, OpSwitchUserAccount, opts)
	return done(u.c.api.SwitchUserAccount(ctx, fromAccountID, u.id, gen.SwitchAccountRequest{AccountID: toAccountID}))
}

// check reports the handle's own error, or an invalid secondary path ID.
func (u *UserHandle) check(kind, id string) error {
	if u.err != nil {
		return u.err
	}
	return validateID(kind, id)
}
