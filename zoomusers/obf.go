package zoomusers

import (
	"context"

	"github.com/zoomkit/go-zoomusers/gen"
)

// OnBehalfToken returns an On-Behalf-Of (OBF) token of the authorizing user for one
// meeting: GET /users/me/token?type=onbehalf&meeting_id=....
//
// A Meeting SDK app needs one when it joins a meeting outside its own Zoom account as a
// user of that app (Zoom requires it since 2026-03-02; a ZAK or RTMS are the other ways);
// the SDK takes it as its onBehalfToken join parameter. Zoom issues OBF tokens only to
// user-level OAuth tokens (WithUserOAuth, scope user:read:token), which is why this is a
// method of Me: a Server-to-Server token is refused. The token lasts 2 hours, and the user
// must be in the meeting when the SDK joins with it.
func (m *MeHandle) OnBehalfToken(ctx context.Context, meetingID string, opts ...Option) (string, error) {
	if err := validateID("meeting ID", meetingID); err != nil {
		return "", err
	}
	typ := gen.TokenTypeOnBehalf
	ctx = m.call(ctx, OpUserToken, opts)
	out, err := decode[gen.Token](m.c)(m.c.api.UserToken(ctx, m.id, &gen.UserTokenParams{Type: &typ, MeetingID: &meetingID}))
	if err != nil {
		return "", err
	}
	return out.GetToken(), nil
}
