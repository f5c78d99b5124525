package zoomtest

import "fmt"

// Pending users and their invitations. A user created with action=create is pending until
// the invitation is accepted (AcceptInvitation) or expires (ExpireInvitation). What Zoom
// does with a pending user, and the evidence for each answer:
//
//   - While the invitation is live, an update, a settings change or a status change answers
//     success and changes nothing: SailPoint's Zoom connector documentation, quoted in
//     ZOOM_FACTS.md "Behaviour seen in the field" ("is successful, but is not reflected").
//     Reads answer as for any user: no evidence says Zoom refuses them.
//   - Once the invitation expired, code 1120 ("A valid invitation to join the Zoom account was
//     not found for this user"): Zoom's 2021 spec documents it, for an expired invitation
//     only, on user (GET), userUpdate, userDelete, userSettings and userSettingsUpdate (400)
//     and on switchUserAccount (404). userStatus documents no 1120, so a status change of
//     such a user is treated as while the invitation is live (success, nothing applied).
//   - Other operations on a pending user: the evidence is silent, so the fake accepts them.

// invitationExpired reports whether u is pending with an expired invitation.
func (u *user) invitationExpired() bool { return u.pending() && u.inviteExpired }

// notApplied reports whether Zoom answers success to a change of u without making it: u is
// pending (see above).
func (u *user) notApplied() bool { return u.pending() }

// errInvitationExpired is Zoom's 1120 for a pending user whose invitation expired.
func errInvitationExpired(status int) *zoomError {
	// Not a refusal: its callers refuse, each naming its evidence.
	return apiError(status, 1120, "A valid invitation to join the Zoom account was not found for this user.")
}

// ExpireInvitation lets the invitation of the pending user with this ID or email expire, as
// Zoom's does when it is not accepted in time: from then on the user's reads and changes
// answer 1120 where Zoom documents it. It fails for an unknown or non-pending user.
func (s *Server) ExpireInvitation(idOrEmail string) error {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	u, err := st.pendingUser(idOrEmail)
	if err != nil {
		return err
	}
	u.inviteExpired = true
	return nil
}

// pendingUser finds the pending user with this ID or email for the test helpers; the
// caller holds s.mu.
func (s *state) pendingUser(idOrEmail string) (*user, error) {
	u := s.lookup(idOrEmail)
	switch {
	case u == nil:
		return nil, fmt.Errorf("zoomtest: no user %s", idOrEmail)
	case !u.pending():
		return nil, fmt.Errorf("zoomtest: %s is %s, not pending", idOrEmail, u.GetStatus())
	}
	return u, nil
}
