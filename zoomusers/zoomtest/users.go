package zoomtest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomapi"
)

type pageToken struct {
	offset int
	filter string // the filters the token was issued for; a page asked with others is refused
	issued time.Time
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
	if p.PageSize != nil {
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

func (s *state) User(ctx context.Context, req zoomapi.UserRequestObject) (zoomapi.UserResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	return zoomapi.User200JSONResponse{Body: u.User}, nil
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
