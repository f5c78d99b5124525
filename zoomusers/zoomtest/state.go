package zoomtest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
)

// user is one user of the fake's account: the profile Zoom returns, and what the other
// operations stored about the user. UserState is its exported copy.
type user struct {
	gen.User
	id           string
	createAction string         // how the user was created; "" for seeded users
	hostKey      string         // returned only with include_fields=host_key
	extras       map[string]any // profile fields Zoom takes but leaves out of User

	password        string
	passwordChanges int
	settings        map[string]any // nil until first read or written: see settingsOf
	features        map[string]string
	assistants      []string // IDs of the users who schedule for this one
	schedulers      []string // IDs of the users this one schedules for
	picture         *Picture
	backgrounds     []VirtualBackground
	presence        gen.PresenceStatusValue
	presenceMinutes int // Do_Not_Disturb duration
	presenceAt      time.Time
	emailChanges    []EmailChange
	ssoRevocations  int
	accountID       string
	accountMoves    []AccountMove
	clockedIn       bool
	inviteExpired   bool // pending, and the invitation expired: see invitations.go
}

// state is the fake's account: its users and what has been done to them. It implements
// the generated strict server interface for all 35 operations.
type state struct {
	mu      sync.Mutex
	now     func() time.Time
	plan    zoomusers.Plan
	users   []*user // in creation order, as Zoom lists them
	byID    map[string]*user
	byEmail map[string]*user
	deleted map[string]*Deletion // by user ID and lower-case email
	pages   map[string]pageToken
	nextID  int

	created window // users created with action=create this UTC day
	hooks   *hooks // webhook deliveries of user.* events (webhooks.go)
}

var _ zoomserver.StrictServerInterface = (*state)(nil)

// OwnerEmail is the account owner's email: the user behind "me" for Server-to-Server
// tokens' profile calls, and the user that is always present.
const OwnerEmail = "owner@example.com"

// Role IDs Zoom gives its built-in roles; owners and admins are protected from some
// operations (status changes, removal, account moves, password changes).
const (
	roleOwner  = "0"
	roleAdmin  = "1"
	roleMember = "2"
)

func newState(seed int, plan zoomusers.Plan, now func() time.Time) *state {
	s := &state{now: now, plan: plan, byID: make(map[string]*user, seed+1), byEmail: make(map[string]*user, seed+1),
		deleted: map[string]*Deletion{}, pages: map[string]pageToken{}}
	owner := s.add(OwnerEmail, "Olive", "Owner", gen.UserTypeLicensed, gen.UserStatusActive)
	owner.RoleID = zoomusers.Ptr(roleOwner)
	for i := range seed {
		typ := gen.UserTypeBasic
		if i%3 == 0 {
			typ = gen.UserTypeLicensed
		}
		s.add(fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("User%d", i), "Example", typ, gen.UserStatusActive)
	}
	return s
}

// Values every new user shares until one is changed; sharing keeps large seeds small,
// and is safe because every write replaces a pointer rather than writing through it.
var (
	defaultTimezone = zoomusers.Ptr("America/Los_Angeles")
	defaultLanguage = zoomusers.Ptr("en-US")
	memberRole      = zoomusers.Ptr(roleMember)
)

// add creates a user; the caller holds s.mu or owns s exclusively.
func (s *state) add(email, first, last string, typ gen.UserType, status gen.UserStatus) *user {
	s.nextID++
	id := fmt.Sprintf("fakeUser%06d", s.nextID)
	created := s.now().UTC().Truncate(time.Second)
	u := &user{id: id, presence: gen.PresenceStatusValueAvailable, accountID: AccountID}
	u.ID, u.Email, u.FirstName, u.LastName = &u.id, zoomusers.Ptr(email), zoomusers.Ptr(first), zoomusers.Ptr(last)
	u.AccountID = &u.accountID
	u.Type, u.Status = typ, zoomusers.Ptr(status)
	u.PMI = zoomusers.Ptr(int64(3000000000 + s.nextID))
	u.UserCreatedAt, u.Timezone, u.Language = &created, defaultTimezone, defaultLanguage
	u.RoleID = memberRole
	s.users = append(s.users, u)
	s.byID[id] = u
	s.byEmail[strings.ToLower(email)] = u
	return u
}

// isAdmin reports whether u holds the owner or admin role.
func (u *user) isAdmin() bool {
	r := u.GetRoleID()
	return r == roleOwner || r == roleAdmin
}

func (u *user) pending() bool { return u.GetStatus() == gen.UserStatusPending }

// SeedUsers adds users with the given emails to the fake, active and licensed.
func (s *Server) SeedUsers(emails ...string) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	for _, e := range emails {
		if s.state.byEmail[strings.ToLower(e)] == nil {
			s.state.add(e, "Seeded", "User", gen.UserTypeLicensed, gen.UserStatusActive)
		}
	}
}

// UserCount reports how many users the account holds.
func (s *Server) UserCount() int {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	return len(s.state.users)
}

func (s *state) find(idOrEmail string) *user {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lookup(idOrEmail)
}

func (s *state) lookup(idOrEmail string) *user {
	if u := s.byID[idOrEmail]; u != nil {
		return u
	}
	return s.byEmail[strings.ToLower(idOrEmail)]
}

// resolve finds the user a path names; "me" is the token's user. For Server-to-Server
// tokens the evidence is unclear (ZOOM_FACTS.md "Authentication" says only to pass a real
// user ID or email), so the fake stays permissive and answers with the owner.
func (s *state) resolve(ctx context.Context, id string) (*user, error) {
	if id == "me" {
		uid, _ := ctx.Value(userKey{}).(string)
		if uid == "" {
			return s.byEmail[OwnerEmail], nil
		}
		id = uid
	}
	if u := s.lookup(id); u != nil {
		return u, nil
	}
	// Evidence: Zoom 2021 spec, 404 "1001" on every operation with a {userId}.
	return nil, apiError(http.StatusNotFound, 1001, "User does not exist: %s.", id)
}

// deref returns *p, or T's zero value when p is nil: the optional query parameters of gen's
// request structs.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
