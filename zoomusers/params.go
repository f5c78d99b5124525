package zoomusers

import "github.com/zoomkit/go-zoomusers/gen"

// Request parameters are plain structs, as ListUsersParams is: a zero field is not sent
// and Zoom applies its default. LoginType is the exception, a pointer, because its zero
// value is a login type of its own (Facebook).

// GetUserParams are the options of Get.
type GetUserParams struct {
	// LoginType picks one login of a user whose email signs in several ways.
	LoginType *LoginType
	// EncryptedEmail says the handle's ID is an encrypted email address.
	EncryptedEmail bool
	// SearchByUniqueID reads the handle's ID as the employee's unique ID (SSO users).
	SearchByUniqueID bool
}

// DeleteUserParams are the options of Delete: what it does, and which of the user's
// assets go to TransferEmail.
type DeleteUserParams struct {
	// Action is DeleteActionDisassociate (Zoom's default) or DeleteActionDelete.
	Action DeleteAction
	// EncryptedEmail says the handle's ID is an encrypted email address.
	EncryptedEmail bool
	// TransferEmail is the user who receives the transferred assets; required when the
	// user has Zoom Events hubs.
	TransferEmail string
	// Each true flag transfers that kind of asset to TransferEmail.
	TransferMeeting, TransferWebinar, TransferRecording, TransferWhiteboard bool
	TransferClipfiles, TransferNotes, TransferVisitors, TransferDocs        bool
}

// UpdateUserParams are the options of Update.
type UpdateUserParams struct {
	// LoginType picks one login of a user whose email signs in several ways.
	LoginType *LoginType
	// RemoveTSPCredentials also removes the user's TSP credentials.
	RemoveTSPCredentials bool
}

// TokenParams are the options of Token.
type TokenParams struct {
	// Type is TokenTypeZAK for a Zoom Access Key, or TokenTypeToken (Zoom's default)
	// for the deprecated SDK token.
	Type TokenType
	// TTL is a ZAK's lifetime in seconds; 0 leaves Zoom's default.
	TTL int
}

// set returns &v, or nil for the zero value: the generated parameters leave nil out.
func set[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func (p *GetUserParams) wire() *gen.UserParams {
	if p == nil {
		return nil
	}
	return &gen.UserParams{LoginType: p.LoginType, EncryptedEmail: set(p.EncryptedEmail), SearchByUniqueID: set(p.SearchByUniqueID)}
}

func (p *DeleteUserParams) wire() *gen.UserDeleteParams {
	if p == nil {
		return nil
	}
	return &gen.UserDeleteParams{
		Action:             set(p.Action),
		EncryptedEmail:     set(p.EncryptedEmail),
		TransferEmail:      set(p.TransferEmail),
		TransferMeeting:    set(p.TransferMeeting),
		TransferWebinar:    set(p.TransferWebinar),
		TransferRecording:  set(p.TransferRecording),
		TransferWhiteboard: set(p.TransferWhiteboard),
		TransferClipfiles:  set(p.TransferClipfiles),
		TransferNotes:      set(p.TransferNotes),
		TransferVisitors:   set(p.TransferVisitors),
		TransferDocs:       set(p.TransferDocs),
	}
}

func (p *UpdateUserParams) wire() *gen.UserUpdateParams {
	if p == nil {
		return nil
	}
	return &gen.UserUpdateParams{LoginType: p.LoginType, RemoveTSPCredentials: set(p.RemoveTSPCredentials)}
}

func (p *TokenParams) wire() *gen.UserTokenParams {
	if p == nil {
		return nil
	}
	return &gen.UserTokenParams{Type: set(p.Type), TTL: set(p.TTL)}
}
