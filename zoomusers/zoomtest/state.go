package zoomtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomapi"
)

// Limits the fake enforces, as Zoom documents them.
const (
	maxPictureBytes     = 2 << 20
	maxBackgroundBytes  = 15 << 20
	maxBackgrounds      = 10
	maxEmailChanges     = 3 // per user per 24 hours
	pageTokenLifetime   = 15 * time.Minute
	presenceChangeEvery = time.Minute
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

type pageToken struct {
	offset int
	filter string // the filters the token was issued for; a page asked with others is refused
	issued time.Time
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

func (s *state) Users(ctx context.Context, req zoomapi.UsersRequestObject) (zoomapi.UsersResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := req.Params
	status := zoomapi.UserStatusActive
	if p.Status != nil {
		status = *p.Status
	}
	size := 30
	if p.PageSize != nil && *p.PageSize > 0 {
		size = *p.PageSize
	}
	filter := fmt.Sprint(status, "|", deref(p.RoleId), "|", size)
	offset := 0
	if tok := deref(p.NextPageToken); tok != "" {
		pt, ok := s.pages[tok]
		if !ok || s.now().Sub(pt.issued) > pageTokenLifetime || pt.filter != filter {
			return nil, apiError(http.StatusBadRequest, 300, "The next page token is either invalid or has expired.")
		}
		offset = pt.offset
	}
	var matched []*user
	for _, u := range s.users {
		if *u.Status == status && (p.RoleId == nil || deref(u.RoleId) == *p.RoleId) {
			matched = append(matched, u)
		}
	}
	end := min(offset+size, len(matched))
	list := make([]zoomapi.User, 0, max(end-offset, 0))
	for _, u := range matched[min(offset, len(matched)):end] {
		out := u.User
		if p.IncludeFields != nil && *p.IncludeFields == zoomapi.UsersParamsIncludeFieldsHostKey {
			out.HostKey = ptr("123456")
		}
		list = append(list, out)
	}
	body := zoomapi.UserList{Users: &list, PageSize: &size, TotalRecords: ptr(len(matched)),
		PageCount: ptr((len(matched) + size - 1) / size), PageNumber: ptr(offset/size + 1), NextPageToken: ptr("")}
	if end < len(matched) {
		tok := randomToken("page-")
		s.pages[tok] = pageToken{offset: end, filter: filter, issued: s.now()}
		body.NextPageToken = &tok
	}
	return zoomapi.Users200JSONResponse{Body: body}, nil
}

func (s *state) UserCreate(ctx context.Context, req zoomapi.UserCreateRequestObject) (zoomapi.UserCreateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := req.Body.UserInfo
	if s.byEmail[strings.ToLower(info.Email)] != nil {
		return nil, apiError(http.StatusConflict, 1005, "User already in the account: %s", info.Email)
	}
	status := zoomapi.UserStatusActive
	if req.Body.Action == zoomapi.CreateUserRequestActionCreate {
		day := s.now().UTC().Truncate(24 * time.Hour).Unix()
		if s.created.start != day {
			s.created = window{start: day}
		}
		if s.created.n >= s.createCap {
			return nil, tooMany(zoomusers.LabelLight, "Daily-limit", s.createCap, nextMidnight(day),
				fmt.Sprintf("You have reached the daily limit of %d users created with action create.", s.createCap))
		}
		s.created.n++
		status = zoomapi.UserStatusPending // waits for the confirmation email
	}
	u := s.add(info.Email, deref(info.FirstName), deref(info.LastName), info.Type, status)
	u.password = deref(info.Password)
	u.DisplayName = info.DisplayName
	if status == zoomapi.UserStatusPending {
		u.Id = nil // Zoom lists pending users without an ID
	}
	return zoomapi.UserCreate201JSONResponse{Body: zoomapi.CreatedUser{Id: &u.id, Email: &info.Email, FirstName: info.FirstName, LastName: info.LastName, Type: &info.Type}}, nil
}

func (s *state) UserEmail(ctx context.Context, req zoomapi.UserEmailRequestObject) (zoomapi.UserEmailResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	taken := s.byEmail[strings.ToLower(req.Params.Email)] != nil
	return zoomapi.UserEmail200JSONResponse{Body: zoomapi.EmailCheck{ExistedEmail: &taken}}, nil
}

func (s *state) BulkUpdateFeature(ctx context.Context, req zoomapi.BulkUpdateFeatureRequestObject) (zoomapi.BulkUpdateFeatureResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ok []string
	var failed []string
	for _, ref := range req.Body.Users {
		u := s.lookup(deref(ref.Id))
		if u == nil {
			u = s.lookup(deref(ref.Email))
		}
		if u == nil {
			failed = append(failed, deref(ref.Id)+deref(ref.Email))
			continue
		}
		if req.Body.FeatureType == zoomapi.BulkFeatureUpdateFeatureTypeUserType {
			var t zoomapi.UserType
			if _, err := fmt.Sscan(req.Body.FeatureValue, &t); err != nil {
				return nil, apiError(http.StatusBadRequest, 300, "Invalid feature_value for user_type: %s", req.Body.FeatureValue)
			}
			u.Type = t
		}
		ok = append(ok, u.id)
	}
	body := zoomapi.BulkFeatureResult{SuccessUserIds: &ok}
	if len(failed) > 0 {
		body.FailDetails = &[]struct {
			Reason  *string   `json:"reason,omitempty"`
			UserIds *[]string `json:"user_ids,omitempty"`
		}{{Reason: ptr("User does not exist."), UserIds: &failed}}
	}
	return zoomapi.BulkUpdateFeature201JSONResponse{Body: body}, nil
}

func (s *state) UserZak(ctx context.Context, req zoomapi.UserZakRequestObject) (zoomapi.UserZakResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, "me")
	if err != nil {
		return nil, err
	}
	return zoomapi.UserZak200JSONResponse{Body: zoomapi.Token{Token: ptr("zak-" + u.id)}}, nil
}

func (s *state) UserSummary(ctx context.Context, req zoomapi.UserSummaryRequestObject) (zoomapi.UserSummaryResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var licensed, basic, pending int
	for _, u := range s.users {
		switch {
		case *u.Status == zoomapi.UserStatusPending:
			pending++
		case u.Type == zoomapi.UserTypeLicensed:
			licensed++
		default:
			basic++
		}
	}
	total := licensed + basic + pending
	return zoomapi.UserSummary200JSONResponse{Body: zoomapi.UserSummary{LicensedUsersCount: &licensed, BasicUsersCount: &basic,
		PendingUsersCount: &pending, TotalUsersCount: &total, OnPremUsersCount: ptr(0), RoomUsersCount: ptr(0), JoinOnlyUsersCount: ptr(0)}}, nil
}

func (s *state) UserVanityName(ctx context.Context, req zoomapi.UserVanityNameRequestObject) (zoomapi.UserVanityNameResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	taken := false
	for _, u := range s.users {
		if u.VanityUrl != nil && strings.HasSuffix(*u.VanityUrl, "/my/"+req.Params.VanityName) {
			taken = true
		}
	}
	return zoomapi.UserVanityName200JSONResponse{Body: zoomapi.VanityNameCheck{Existed: &taken}}, nil
}

func (s *state) User(ctx context.Context, req zoomapi.UserRequestObject) (zoomapi.UserResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	return zoomapi.User200JSONResponse{Body: u.User}, nil
}

func (s *state) UserDelete(ctx context.Context, req zoomapi.UserDeleteRequestObject) (zoomapi.UserDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	if deref(u.Email) == OwnerEmail {
		return nil, apiError(http.StatusBadRequest, 1117, "Can not delete the account owner.")
	}
	action := zoomapi.UserDeleteParamsActionDisassociate
	if req.Params.Action != nil {
		action = *req.Params.Action
	}
	if *u.Status == zoomapi.UserStatusPending && action == zoomapi.UserDeleteParamsActionDelete {
		return nil, apiError(http.StatusBadRequest, 300, "Pending users can only be disassociated.")
	}
	if t := req.Params.TransferEmail; t != nil && s.lookup(*t) == nil {
		return nil, apiError(http.StatusNotFound, 1001, "User does not exist: %s.", *t)
	}
	s.users = slices.DeleteFunc(s.users, func(x *user) bool { return x == u })
	delete(s.byID, u.id)
	delete(s.byEmail, strings.ToLower(deref(u.Email)))
	return zoomapi.UserDelete204Response{}, nil
}

func (s *state) UserUpdate(ctx context.Context, req zoomapi.UserUpdateRequestObject) (zoomapi.UserUpdateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	b := req.Body
	set := func(dst **string, src *string) {
		if src != nil {
			*dst = src
		}
	}
	set(&u.FirstName, b.FirstName)
	set(&u.LastName, b.LastName)
	set(&u.DisplayName, b.DisplayName)
	set(&u.Timezone, b.Timezone)
	set(&u.Language, b.Language)
	set(&u.Dept, b.Dept)
	set(&u.JobTitle, b.JobTitle)
	set(&u.Company, b.Company)
	set(&u.Location, b.Location)
	set(&u.Manager, b.Manager)
	set(&u.Pronouns, b.Pronouns)
	set(&u.CostCenter, b.CostCenter)
	if b.Pmi != nil {
		u.Pmi = b.Pmi
	}
	if b.UsePmi != nil {
		u.UsePmi = b.UsePmi
	}
	if b.Type != nil {
		u.Type = *b.Type
	}
	if b.VanityName != nil {
		u.VanityUrl = ptr("https://zoom.us/my/" + *b.VanityName)
	}
	return zoomapi.UserUpdate204Response{}, nil
}

func (s *state) UserStatus(ctx context.Context, req zoomapi.UserStatusRequestObject) (zoomapi.UserStatusResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	switch req.Body.Action {
	case zoomapi.UserStatusUpdateActionActivate:
		if *u.Status == zoomapi.UserStatusPending {
			return nil, apiError(http.StatusBadRequest, 1120, "A valid invitation to join the Zoom account was not found for this user.")
		}
		u.Status = ptr(zoomapi.UserStatusActive)
	case zoomapi.UserStatusUpdateActionDeactivate:
		if deref(u.Email) == OwnerEmail {
			return nil, apiError(http.StatusBadRequest, 1117, "Can not deactivate the account owner.")
		}
		u.Status = ptr(zoomapi.UserStatusInactive)
	}
	return zoomapi.UserStatus204Response{}, nil
}

func (s *state) UserEmailUpdate(ctx context.Context, req zoomapi.UserEmailUpdateRequestObject) (zoomapi.UserEmailUpdateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	email := req.Body.Email
	if s.byEmail[strings.ToLower(email)] != nil {
		return nil, apiError(http.StatusConflict, 1005, "Email %s has already been used.", email)
	}
	now := s.now()
	recent := slices.DeleteFunc(u.emailChangedAt, func(t time.Time) bool { return now.Sub(t) >= 24*time.Hour })
	if len(recent) >= maxEmailChanges {
		u.emailChangedAt = recent
		return nil, apiError(http.StatusTooManyRequests, 429, "A user's email can be changed at most %d times in 24 hours.", maxEmailChanges)
	}
	u.emailChangedAt = append(recent, now)
	delete(s.byEmail, strings.ToLower(deref(u.Email)))
	u.Email = &email
	s.byEmail[strings.ToLower(email)] = u
	return zoomapi.UserEmailUpdate204Response{}, nil
}

func (s *state) UserPassword(ctx context.Context, req zoomapi.UserPasswordRequestObject) (zoomapi.UserPasswordResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	p := req.Body.Password
	if !strings.ContainsAny(p, "0123456789") || strings.ToLower(p) == p || strings.ToUpper(p) == p {
		return nil, apiError(http.StatusBadRequest, 300, "The password must contain a number and both upper and lower case letters.")
	}
	u.password = p
	return zoomapi.UserPassword204Response{}, nil
}

func (s *state) UserPermission(ctx context.Context, req zoomapi.UserPermissionRequestObject) (zoomapi.UserPermissionResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	perms := []string{"Meeting:Read", "Meeting:Edit", "Recording:Read"}
	if deref(u.RoleId) == "0" {
		perms = append(perms, "User:Read", "User:Edit", "AccountSetting:Edit")
	}
	return zoomapi.UserPermission200JSONResponse{Body: zoomapi.UserPermissions{Permissions: &perms}}, nil
}

func (s *state) UserAssistants(ctx context.Context, req zoomapi.UserAssistantsRequestObject) (zoomapi.UserAssistantsResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	list := slices.Clone(u.assistants)
	if list == nil {
		list = []zoomapi.Assistant{}
	}
	return zoomapi.UserAssistants200JSONResponse{Body: zoomapi.AssistantList{Assistants: &list}}, nil
}

func (s *state) UserAssistantCreate(ctx context.Context, req zoomapi.UserAssistantCreateRequestObject) (zoomapi.UserAssistantCreateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, a := range deref(req.Body.Assistants) {
		target := s.lookup(deref(a.Id))
		if target == nil {
			target = s.lookup(deref(a.Email))
		}
		if target == nil {
			return nil, apiError(http.StatusNotFound, 1001, "User does not exist: %s%s.", deref(a.Id), deref(a.Email))
		}
		if target.Type != zoomapi.UserTypeLicensed {
			return nil, apiError(http.StatusBadRequest, 200, "Assistants must be licensed users: %s.", deref(target.Email))
		}
		if !slices.ContainsFunc(u.assistants, func(x zoomapi.Assistant) bool { return deref(x.Id) == target.id }) {
			u.assistants = append(u.assistants, zoomapi.Assistant{Id: ptr(target.id), Email: target.Email})
			target.schedulers = append(target.schedulers, zoomapi.Scheduler{Id: ptr(u.id), Email: u.Email, Pmi: u.Pmi})
		}
		ids = append(ids, target.id)
	}
	if len(u.assistants) > 30 {
		return nil, apiError(http.StatusBadRequest, 300, "A user can have at most 30 assistants.")
	}
	now := s.now().UTC().Truncate(time.Second)
	return zoomapi.UserAssistantCreate201JSONResponse{Body: zoomapi.AssistantsAdded{Ids: ptr(strings.Join(ids, ",")), AddAt: &now}}, nil
}

func (s *state) UserAssistantsDelete(ctx context.Context, req zoomapi.UserAssistantsDeleteRequestObject) (zoomapi.UserAssistantsDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	for _, a := range u.assistants {
		s.unlinkScheduler(deref(a.Id), u.id)
	}
	u.assistants = nil
	return zoomapi.UserAssistantsDelete204Response{}, nil
}

func (s *state) UserAssistantDelete(ctx context.Context, req zoomapi.UserAssistantDeleteRequestObject) (zoomapi.UserAssistantDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(u.assistants, func(a zoomapi.Assistant) bool {
		return deref(a.Id) == req.AssistantId || strings.EqualFold(deref(a.Email), req.AssistantId)
	})
	if i < 0 {
		return nil, apiError(http.StatusNotFound, 1001, "Assistant does not exist: %s.", req.AssistantId)
	}
	s.unlinkScheduler(deref(u.assistants[i].Id), u.id)
	u.assistants = slices.Delete(u.assistants, i, i+1)
	return zoomapi.UserAssistantDelete204Response{}, nil
}

// unlinkScheduler removes schedulerID from the schedulers of assistantID.
func (s *state) unlinkScheduler(assistantID, schedulerID string) {
	if a := s.byID[assistantID]; a != nil {
		a.schedulers = slices.DeleteFunc(a.schedulers, func(x zoomapi.Scheduler) bool { return deref(x.Id) == schedulerID })
	}
}

func (s *state) UserSchedulers(ctx context.Context, req zoomapi.UserSchedulersRequestObject) (zoomapi.UserSchedulersResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	list := slices.Clone(u.schedulers)
	if list == nil {
		list = []zoomapi.Scheduler{}
	}
	return zoomapi.UserSchedulers200JSONResponse{Body: zoomapi.SchedulerList{Schedulers: &list}}, nil
}

func (s *state) UserSchedulersDelete(ctx context.Context, req zoomapi.UserSchedulersDeleteRequestObject) (zoomapi.UserSchedulersDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	for _, sc := range u.schedulers {
		if owner := s.byID[deref(sc.Id)]; owner != nil {
			owner.assistants = slices.DeleteFunc(owner.assistants, func(a zoomapi.Assistant) bool { return deref(a.Id) == u.id })
		}
	}
	u.schedulers = nil
	return zoomapi.UserSchedulersDelete204Response{}, nil
}

func (s *state) UserSchedulerDelete(ctx context.Context, req zoomapi.UserSchedulerDeleteRequestObject) (zoomapi.UserSchedulerDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(u.schedulers, func(x zoomapi.Scheduler) bool {
		return deref(x.Id) == req.SchedulerId || strings.EqualFold(deref(x.Email), req.SchedulerId)
	})
	if i < 0 {
		return nil, apiError(http.StatusNotFound, 1001, "Scheduler does not exist: %s.", req.SchedulerId)
	}
	if owner := s.byID[deref(u.schedulers[i].Id)]; owner != nil {
		owner.assistants = slices.DeleteFunc(owner.assistants, func(a zoomapi.Assistant) bool { return deref(a.Id) == u.id })
	}
	u.schedulers = slices.Delete(u.schedulers, i, i+1)
	return zoomapi.UserSchedulerDelete204Response{}, nil
}

// collaborationDevice is the one Zoom Rooms device every fake user has paired.
func collaborationDevice(u *user) zoomapi.CollaborationDevice {
	return zoomapi.CollaborationDevice{Id: ptr("device-" + u.id), DeviceName: ptr("Huddle Room Display"),
		RoomName: ptr("Huddle 1"), RoomUserId: ptr("room-" + u.id), Status: ptr(zoomapi.CollaborationDeviceStatusOnline)}
}

func (s *state) ListCollaborationDevices(ctx context.Context, req zoomapi.ListCollaborationDevicesRequestObject) (zoomapi.ListCollaborationDevicesResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	list := []zoomapi.CollaborationDevice{collaborationDevice(u)}
	return zoomapi.ListCollaborationDevices200JSONResponse{Body: zoomapi.CollaborationDeviceList{CollaborationDevices: &list, TotalRecords: ptr(1)}}, nil
}

func (s *state) GetCollaborationDevice(ctx context.Context, req zoomapi.GetCollaborationDeviceRequestObject) (zoomapi.GetCollaborationDeviceResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	d := collaborationDevice(u)
	if req.CollaborationDeviceId != *d.Id {
		return nil, apiError(http.StatusNotFound, 3001, "Device does not exist: %s.", req.CollaborationDeviceId)
	}
	return zoomapi.GetCollaborationDevice200JSONResponse{Body: d}, nil
}

func (s *state) GetUserMeetingTemplates(ctx context.Context, req zoomapi.GetUserMeetingTemplatesRequestObject) (zoomapi.GetUserMeetingTemplatesResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	if req.MeetingTemplateId != "template-"+u.id {
		return nil, apiError(http.StatusNotFound, 3001, "Meeting template does not exist: %s.", req.MeetingTemplateId)
	}
	var t zoomapi.MeetingTemplate
	json.Unmarshal([]byte(`{"settings":{"in_meeting":{"entry_exit_chime":"host","polling":true},"recording":{"auto_recording":"cloud"},"meeting_security":{"waiting_room":true}}}`), &t)
	t.Id, t.Name = &req.MeetingTemplateId, ptr("Team standup")
	return zoomapi.GetUserMeetingTemplates200JSONResponse{Body: t}, nil
}

func (s *state) GetUserPresenceStatus(ctx context.Context, req zoomapi.GetUserPresenceStatusRequestObject) (zoomapi.GetUserPresenceStatusResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	return zoomapi.GetUserPresenceStatus200JSONResponse{Body: zoomapi.PresenceStatus{Status: u.presence}}, nil
}

func (s *state) UpdatePresenceStatus(ctx context.Context, req zoomapi.UpdatePresenceStatusRequestObject) (zoomapi.UpdatePresenceStatusResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !u.presenceAt.IsZero() && now.Sub(u.presenceAt) < presenceChangeEvery {
		return nil, apiError(http.StatusTooManyRequests, 429, "Too many requests. A user's presence status can change once a minute.")
	}
	if req.Body.Duration != nil && req.Body.Status != zoomapi.PresenceStatusUpdateStatusDoNotDisturb {
		return nil, apiError(http.StatusBadRequest, 300, "duration applies to Do_Not_Disturb only.")
	}
	u.presence, u.presenceAt = zoomapi.PresenceStatusValue(req.Body.Status), now
	return zoomapi.UpdatePresenceStatus204Response{}, nil
}

// readUpload reads the one file part of a multipart upload, at most limit+1 bytes of it.
func readUpload(body *multipart.Reader, field string, limit int64) (name, contentType string, size int64, err error) {
	for {
		part, perr := body.NextPart()
		if perr == io.EOF {
			return "", "", 0, apiError(http.StatusBadRequest, 120, "No file uploaded.")
		}
		if perr != nil {
			return "", "", 0, apiError(http.StatusBadRequest, 300, "Malformed multipart body: %v", perr)
		}
		if part.FormName() != field {
			continue
		}
		head := make([]byte, 512)
		n, _ := io.ReadFull(part, head)
		rest, _ := io.Copy(io.Discard, io.LimitReader(part, limit+1))
		size = int64(n) + rest
		if size == 0 {
			return "", "", 0, apiError(http.StatusBadRequest, 120, "The uploaded file is empty.")
		}
		if size > limit {
			return "", "", 0, apiError(http.StatusBadRequest, 120, "File size cannot exceed %d MB.", limit>>20)
		}
		ct := http.DetectContentType(head[:n])
		if i := strings.IndexByte(ct, ';'); i >= 0 {
			ct = ct[:i]
		}
		if ct == "application/octet-stream" && bytes.Contains(head[:n], []byte("ftypqt")) {
			ct = "video/quicktime"
		}
		return part.FileName(), ct, size, nil
	}
}

func (s *state) UserPicture(ctx context.Context, req zoomapi.UserPictureRequestObject) (zoomapi.UserPictureResponseObject, error) {
	_, ct, _, err := readUpload(req.Body, "pic_file", maxPictureBytes)
	if err != nil {
		return nil, err
	}
	if ct != "image/jpeg" && ct != "image/png" {
		return nil, apiError(http.StatusBadRequest, 120, "Only JPEG and PNG pictures are accepted, not %s.", ct)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	u.picture = true
	u.PicUrl = ptr("https://fake.zoom.us/p/" + u.id)
	return zoomapi.UserPicture201JSONResponse{Body: zoomapi.PictureUploaded{}}, nil
}

func (s *state) UserPictureDelete(ctx context.Context, req zoomapi.UserPictureDeleteRequestObject) (zoomapi.UserPictureDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	u.picture, u.PicUrl = false, nil
	return zoomapi.UserPictureDelete204Response{}, nil
}

func (s *state) UploadVBuser(ctx context.Context, req zoomapi.UploadVBuserRequestObject) (zoomapi.UploadVBuserResponseObject, error) {
	name, ct, size, err := readUpload(req.Body, "file", maxBackgroundBytes)
	if err != nil {
		return nil, err
	}
	kind := zoomapi.VirtualBackgroundFileTypeImage
	switch ct {
	case "image/jpeg", "image/png", "image/gif":
	case "video/mp4", "video/quicktime":
		kind = zoomapi.VirtualBackgroundFileTypeVideo
	default:
		return nil, apiError(http.StatusBadRequest, 120, "Unsupported virtual background file type %s.", ct)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	if len(u.backgrounds) >= maxBackgrounds {
		return nil, apiError(http.StatusBadRequest, 120, "A user can have at most %d virtual background files.", maxBackgrounds)
	}
	f := zoomapi.VirtualBackgroundFile{Id: ptr(randomToken("vb-")), Name: &name, Size: ptr(int(size)), Type: &kind, IsDefault: ptr(false)}
	u.backgrounds = append(u.backgrounds, f)
	return zoomapi.UploadVBuser201JSONResponse{Body: f}, nil
}

func (s *state) DelUserVB(ctx context.Context, req zoomapi.DelUserVBRequestObject) (zoomapi.DelUserVBResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	for _, id := range strings.Split(deref(req.Params.FileIds), ",") {
		i := slices.IndexFunc(u.backgrounds, func(f zoomapi.VirtualBackgroundFile) bool { return deref(f.Id) == id })
		if i < 0 {
			return nil, apiError(http.StatusBadRequest, 300, "Invalid virtual background file ID: %s.", id)
		}
		u.backgrounds = slices.Delete(u.backgrounds, i, i+1)
	}
	return zoomapi.DelUserVB204Response{}, nil
}

func (s *state) UserToken(ctx context.Context, req zoomapi.UserTokenRequestObject) (zoomapi.UserTokenResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	kind := "token"
	if req.Params.Type != nil {
		kind = string(*req.Params.Type)
	}
	return zoomapi.UserToken200JSONResponse{Body: zoomapi.Token{Token: ptr(kind + "-" + u.id)}}, nil
}

func (s *state) UserSSOTokenDelete(ctx context.Context, req zoomapi.UserSSOTokenDeleteRequestObject) (zoomapi.UserSSOTokenDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	u.ssoRevoked++
	return zoomapi.UserSSOTokenDelete204Response{}, nil
}

func (s *state) SwitchUserAccount(ctx context.Context, req zoomapi.SwitchUserAccountRequestObject) (zoomapi.SwitchUserAccountResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.AccountId != AccountID {
		return nil, apiError(http.StatusNotFound, 2001, "Account does not exist: %s.", req.AccountId)
	}
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	if deref(u.RoleId) == "0" || deref(u.RoleId) == "1" {
		return nil, apiError(http.StatusBadRequest, 1117, "Can not move an admin user.")
	}
	u.accountID = req.Body.AccountId
	return zoomapi.SwitchUserAccount204Response{}, nil
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
