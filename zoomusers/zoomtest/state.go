package zoomtest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomapi"
)

type user struct {
	zoomapi.User
	id             string
	password       string
	settings       map[string]any
	assistants     []zoomapi.Assistant
	schedulers     []zoomapi.Scheduler
	picture        bool
	backgrounds    []zoomapi.VirtualBackgroundFile
	presence       zoomapi.PresenceStatusValue
	presenceAt     time.Time
	emailChangedAt []time.Time
	ssoRevoked     int
	accountID      string
}

// state is the fake's account: its users and what has been done to them. It implements
// the generated strict server interface for all 35 operations.
type state struct {
	mu      sync.Mutex
	now     func() time.Time
	users   []*user // in creation order, as Zoom lists them
	byID    map[string]*user
	byEmail map[string]*user
	pages   map[string]pageToken
	nextID  int

	createCap int    // users created with action=create per UTC day, by plan
	created   window // this day's count
}

var _ zoomapi.StrictServerInterface = (*state)(nil)

// OwnerEmail is the account owner's email: the user behind "me" for Server-to-Server
// tokens' profile calls, and the user that is always present.
const OwnerEmail = "owner@example.com"

func newState(seed int, now func() time.Time) *state {
	s := &state{now: now, byID: map[string]*user{}, byEmail: map[string]*user{}, pages: map[string]pageToken{}}
	owner := s.add(OwnerEmail, "Olive", "Owner", zoomapi.UserTypeLicensed, zoomapi.UserStatusActive)
	owner.RoleId = ptr("0")
	for i := range seed {
		typ := zoomapi.UserTypeBasic
		if i%3 == 0 {
			typ = zoomapi.UserTypeLicensed
		}
		s.add(fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("User%d", i), "Example", typ, zoomapi.UserStatusActive)
	}
	return s
}

// add creates a user; the caller holds s.mu or owns s exclusively.
func (s *state) add(email, first, last string, typ zoomapi.UserType, status zoomapi.UserStatus) *user {
	s.nextID++
	id := fmt.Sprintf("fakeUser%06d", s.nextID)
	created := s.now().UTC().Truncate(time.Second)
	u := &user{id: id, settings: defaultSettings(), presence: zoomapi.PresenceStatusValueAvailable}
	u.Id, u.Email, u.FirstName, u.LastName = ptr(id), ptr(email), ptr(first), ptr(last)
	u.Type, u.Status = typ, ptr(status)
	u.Pmi = ptr(int64(3000000000 + s.nextID))
	u.UserCreatedAt, u.Timezone, u.Language = &created, ptr("America/Los_Angeles"), ptr("en-US")
	u.RoleId = ptr("2")
	s.users = append(s.users, u)
	s.byID[id] = u
	s.byEmail[strings.ToLower(email)] = u
	return u
}

// SeedUsers adds users with the given emails to the fake, active and licensed.
func (s *Server) SeedUsers(emails ...string) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	for _, e := range emails {
		if s.state.byEmail[strings.ToLower(e)] == nil {
			s.state.add(e, "Seeded", "User", zoomapi.UserTypeLicensed, zoomapi.UserStatusActive)
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

// resolve finds the user a path names; "me" is the token's user (the owner for
// Server-to-Server tokens, as the fake has no other user to give).
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
	return nil, apiError(http.StatusNotFound, 1001, "User does not exist: %s.", id)
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
