package zoomtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
)

type pageToken struct {
	offset int
	issued time.Time
}

// Users lists one page, by next_page_token when given, else by page_number (counted
// from 1; a page past the end is empty).
func (s *state) Users(ctx context.Context, req zoomserver.UsersRequestObject) (zoomserver.UsersResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := req.Params
	status := gen.UserStatusActive
	if p.Status != nil {
		status = *p.Status
	}
	// No evidence of a refusal: accepted. Neither spec gives page_size or page_number a
	// lower bound, so a page_size under 1 is read as the default (30) and a page_number
	// under 1 as the first page.
	size := 30
	if p.PageSize != nil && *p.PageSize >= 1 {
		size = *p.PageSize
	}
	pageNumber := max(deref(p.PageNumber), 1)
	offset := 0
	if tok := deref(p.NextPageToken); tok != "" {
		pt, ok := s.pages[tok]
		if !ok || s.now().Sub(pt.issued) > pageTokenLifetime {
			// Evidence: ZOOM_FACTS.md "Pagination" (300, "The next page token is either invalid or has expired.").
			return nil, apiError(http.StatusBadRequest, 300, "The next page token is either invalid or has expired.")
		}
		// No evidence of a refusal: accepted. A token asked with filters other than its
		// first page's (ZOOM_FACTS.md "Pagination" says to repeat them, not what Zoom does
		// otherwise) continues where it left off, with the filters asked now.
		offset = pt.offset
	} else if p.PageNumber != nil {
		// Past the last user every page is empty; clamping first keeps a huge page
		// number from overflowing.
		offset = min(pageNumber-1, len(s.users)) * size
	}
	var matched []*user
	for _, u := range s.users {
		if *u.Status == status && (p.RoleID == nil || u.GetRoleID() == *p.RoleID) {
			matched = append(matched, u)
		}
	}
	start, end := min(offset, len(matched)), min(offset+size, len(matched))
	list := make([]gen.User, 0, end-start)
	page := matched[start:end]
	if injected(ctx).RepeatUser && start > 0 {
		page = append([]*user{matched[start-1]}, page...) // the injected field behaviour (faults.go)
	}
	for _, u := range page {
		out := u.User
		if p.IncludeFields != nil && *p.IncludeFields == gen.IncludeFieldHostKey {
			out.HostKey = zoomusers.Ptr(u.hostKeyOrDefault())
		}
		if u.pending() {
			// Evidence: ZOOM_FACTS.md "Behaviour seen in the field" ("A pending user has no
			// id in list answers; get by email returns one"): only list items lack it.
			out.ID = nil
		}
		list = append(list, out)
	}
	body := gen.UserList{Users: &list, PageSize: &size, TotalRecords: zoomusers.Ptr(len(matched)),
		PageCount: zoomusers.Ptr((len(matched) + size - 1) / size), PageNumber: zoomusers.Ptr(offset/size + 1), NextPageToken: zoomusers.Ptr("")}
	if p.PageNumber != nil && deref(p.NextPageToken) == "" {
		body.PageNumber = &pageNumber
	}
	if end < len(matched) {
		tok := randomToken("page-")
		s.pages[tok] = pageToken{offset: end, issued: s.now()}
		body.NextPageToken = &tok
	}
	return zoomserver.Users200JSONResponse{Body: body}, nil
}

// hostKeyOrDefault is the user's host key: the one set, or six digits of the PMI.
func (u *user) hostKeyOrDefault() string {
	if u.hostKey != "" {
		return u.hostKey
	}
	return fmt.Sprintf("%06d", u.GetPMI()%1_000_000)
}

func (s *state) UserCreate(ctx context.Context, req zoomserver.UserCreateRequestObject) (zoomserver.UserCreateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info, action := req.Body.UserInfo, req.Body.Action
	if s.byEmail[strings.ToLower(info.Email)] != nil {
		// Evidence: Zoom 2021 spec, POST /users 409 "1005".
		return nil, apiError(http.StatusConflict, 1005, "Email %s has already been used.", info.Email)
	}
	if info.Type == gen.UserTypeNone && action != gen.CreateUserActionSSOCreate {
		// Evidence: Zoom 2025 spec, POST /users user_info.type ("99 ... can only be set with
		// ssoCreate"); no code given, so Zoom's answer to an invalid field (errors page).
		return nil, validationFailed(fieldError{Field: "user_info.type", Message: invalidField})
	}
	if info.Password != nil && checkPassword(*info.Password) != nil {
		// Evidence: Zoom 2021 spec, POST /users 400 "300" ("Invalid parameter: password"); the
		// rules are those Zoom documents for PUT /users/{userId}/password (checkPassword).
		return nil, apiError(http.StatusBadRequest, 300, "Invalid parameter: password")
	}
	status := gen.UserStatusActive
	if action == gen.CreateUserActionCreate {
		day := s.now().UTC().Truncate(24 * time.Hour).Unix()
		if s.created.start != day {
			s.created = window{start: day}
		}
		limit := createCap(s.plan)
		if s.created.n >= limit {
			// Evidence: ZOOM_FACTS.md "Rate limits" (action=create per day and plan) and the
			// daily limit's 429 headers there.
			return nil, tooMany(zoomusers.LabelLight, "Daily-limit", limit, nextMidnight(day),
				fmt.Sprintf("You have reached the daily limit of %d users created with action create.", limit))
		}
		s.created.n++
		status = gen.UserStatusPending // waits for the confirmation email
	}
	u := s.add(info.Email, info.GetFirstName(), info.GetLastName(), info.Type, status)
	u.createAction = string(action)
	u.password = info.GetPassword()
	u.DisplayName = info.DisplayName
	u.PlanUnitedType = info.PlanUnitedType
	if f := info.Feature; f != nil {
		u.extras = map[string]any{"feature": toJSONMap(f)}
		u.ZoomOneType = f.ZoomOneType
	}
	s.emitCreated(ctx, u)
	body := zoomserver.UserCreate201JSONResponse{Body: gen.CreatedUser{ID: &u.id, Email: &info.Email, FirstName: info.FirstName, LastName: info.LastName, Type: &info.Type}}
	return userCreated{body, "/v2/users/" + u.id}, nil
}

// userCreated is Zoom's 201 to userCreate: the new user, and its location in
// Content-Location (2021 spec).
type userCreated struct {
	zoomserver.UserCreate201JSONResponse
	location string
}

func (c userCreated) VisitUserCreateResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Location", c.location)
	return c.UserCreate201JSONResponse.VisitUserCreateResponse(w)
}

func (s *state) UserEmail(ctx context.Context, req zoomserver.UserEmailRequestObject) (zoomserver.UserEmailResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if checkEmail(req.Params.Email) != nil {
		// Evidence: Zoom 2021 spec, GET /users/email 400 "300"; an address that is not one
		// is an invalid field as in Zoom's errors page (developers.zoom.us/docs/api/errors).
		return nil, validationFailed(fieldError{Field: "email", Message: invalidField})
	}
	taken := s.byEmail[strings.ToLower(req.Params.Email)] != nil
	return zoomserver.UserEmail200JSONResponse{Body: gen.EmailCheck{ExistedEmail: &taken}}, nil
}

func (s *state) UserVanityName(ctx context.Context, req zoomserver.UserVanityNameRequestObject) (zoomserver.UserVanityNameResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	taken := s.vanityOwner(req.Params.VanityName) != nil
	return zoomserver.UserVanityName200JSONResponse{Body: gen.VanityNameCheck{Existed: &taken}}, nil
}

// vanityOwner is the user whose personal meeting room has this name, or nil.
func (s *state) vanityOwner(name string) *user {
	for _, u := range s.users {
		if u.VanityURL != nil && strings.EqualFold(*u.VanityURL, vanityURL(name)) {
			return u
		}
	}
	return nil
}

func vanityURL(name string) string { return "https://zoom.us/my/" + name }

func (s *state) UserSummary(ctx context.Context, req zoomserver.UserSummaryRequestObject) (zoomserver.UserSummaryResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var licensed, basic, pending int
	for _, u := range s.users {
		switch {
		case u.pending():
			pending++
		case u.Type == gen.UserTypeLicensed:
			licensed++
		default:
			basic++
		}
	}
	total := licensed + basic + pending
	return zoomserver.UserSummary200JSONResponse{Body: gen.UserSummary{LicensedUsersCount: &licensed, BasicUsersCount: &basic,
		PendingUsersCount: &pending, TotalUsersCount: &total, OnPremUsersCount: zoomusers.Ptr(0), RoomUsersCount: zoomusers.Ptr(0), JoinOnlyUsersCount: zoomusers.Ptr(0)}}, nil
}

// BulkUpdateFeature sets one feature for up to 30 users (the spec's maxItems, checked by
// the validator). A value the feature does not take fails the whole request; users that
// do not exist are reported in fail_details and the others change.
func (s *state) BulkUpdateFeature(ctx context.Context, req zoomserver.BulkUpdateFeatureRequestObject) (zoomserver.BulkUpdateFeatureResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	featureType, value := string(req.Body.FeatureType), req.Body.FeatureValue
	if !checkFeature(featureType, value) {
		// Evidence: Zoom 2025 spec, POST /users/features feature_value (the values of each
		// feature_type, an enum in all but name); 300 as for any value outside an enum.
		return nil, apiError(http.StatusBadRequest, 300, "Invalid feature_value for %s: %s", featureType, value)
	}
	var ok, failed []string
	for _, ref := range req.Body.Users {
		u := s.lookup(ref.GetID())
		if u == nil {
			u = s.lookup(ref.GetEmail())
		}
		if u == nil {
			failed = append(failed, ref.GetID()+ref.GetEmail())
			continue
		}
		defer s.emitUpdated(ctx, u, u.User)
		switch featureType {
		case "user_type":
			var t gen.UserType
			fmt.Sscan(value, &t) // checkFeature allowed only numbers
			u.Type = t
		default:
			if u.features == nil {
				u.features = map[string]string{}
			}
			u.features[featureType] = value
		}
		ok = append(ok, u.id)
	}
	body := gen.BulkFeatureResult{SuccessUserIDs: &ok}
	if len(failed) > 0 {
		body.FailDetails = &[]gen.BulkFeatureFailure{{Reason: zoomusers.Ptr("User does not exist."), UserIDs: &failed}}
	}
	return zoomserver.BulkUpdateFeature201JSONResponse{Body: body}, nil
}

func (s *state) User(ctx context.Context, req zoomserver.UserRequestObject) (zoomserver.UserResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	if u.invitationExpired() {
		// Evidence: Zoom 2021 spec, GET /users/{userId} 400 "1120" (an expired invitation; invitations.go).
		return nil, errInvitationExpired(http.StatusBadRequest)
	}
	return zoomserver.User200JSONResponse{Body: u.User}, nil
}

// userFields are the JSON names of the User schema: an update's fields outside it are
// kept as the user's extras.
var userFields = sync.OnceValue(func() map[string]bool {
	fields := map[string]bool{}
	t := reflect.TypeFor[gen.User]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		fields[name] = true
	}
	return fields
})

// UserUpdate applies every field of the body: fields of the profile by name, vanity_name
// as the vanity URL, host_key and the fields Zoom does not return (about_me, group_id,
// feature, ...) as state that UserState shows.
func (s *state) UserUpdate(ctx context.Context, req zoomserver.UserUpdateRequestObject) (zoomserver.UserUpdateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	if u.invitationExpired() {
		// Evidence: Zoom 2021 spec, PATCH /users/{userId} 400 "1120" (an expired invitation; invitations.go).
		return nil, errInvitationExpired(http.StatusBadRequest)
	}
	defer s.emitUpdated(ctx, u, u.User)
	b := req.Body
	var invalid []fieldError
	if b.Timezone != nil && !checkTimezone(*b.Timezone) {
		// Evidence: Zoom 2021 spec, PATCH /users/{userId} timezone (an ID of Zoom's time zone
		// list, IANA names); an invalid field as in Zoom's errors page.
		invalid = append(invalid, fieldError{Field: "timezone", Message: invalidField})
	}
	if b.Type != nil && *b.Type == gen.UserTypeNone && u.createAction != string(gen.CreateUserActionSSOCreate) {
		// Evidence: Zoom 2025 spec, PATCH /users/{userId} type ("99 ... only if the user was
		// created using ssoCreate"); no code given, so Zoom's answer to an invalid field.
		invalid = append(invalid, fieldError{Field: "type", Message: invalidField})
	}
	if len(invalid) > 0 {
		// Not a refusal: sends the fields appended above, each with its evidence.
		return nil, validationFailed(invalid...)
	}
	if b.VanityName != nil {
		if owner := s.vanityOwner(*b.VanityName); owner != nil && owner != u {
			// Evidence: Zoom 2021 spec, PATCH /users/{userId} 400 "4100".
			return nil, apiError(http.StatusBadRequest, 4100, "User is already taken by a user from your account. Choose another Personal Link Name and try again.")
		}
	}

	patch := toJSONMap(b)
	current := toJSONMap(u.User)
	for k, v := range patch {
		switch {
		case k == "vanity_name":
			current["vanity_url"] = vanityURL(v.(string))
		case k == "host_key":
			u.hostKey = v.(string)
		case userFields()[k]:
			current[k] = v
		default:
			if u.extras == nil {
				u.extras = map[string]any{}
			}
			u.extras[k] = v
		}
	}
	var updated gen.User
	raw, _ := json.Marshal(current)
	if err := json.Unmarshal(raw, &updated); err != nil {
		// Not a refusal: the body passed the spec, so this is the fake's own failure (a 500).
		return nil, fmt.Errorf("zoomtest: applying the update: %w", err)
	}
	if u.notApplied() {
		return zoomserver.UserUpdate204Response{}, nil // success, nothing applied: invitations.go
	}
	u.User = updated
	return zoomserver.UserUpdate204Response{}, nil
}

// toJSONMap is v as its JSON object, numbers kept as json.Number (see decodeNumbers).
func toJSONMap(v any) map[string]any {
	raw, _ := json.Marshal(v)
	var m map[string]any
	decodeNumbers(raw, &m)
	return m
}

// decodeNumbers decodes raw into v keeping every number as the json.Number of its digits:
// the fake's maps carry Zoom's bitmasks (license_option, zoom_one_type), which reach 2^59
// and must never pass through a float64 (ZOOM_FACTS.md "Zoom keeps moving").
func decodeNumbers(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

// UserStatus moves a user between active and inactive, or clocks them in or out. Zoom
// refuses admins (code 200, 2021 spec); a pending user's change succeeds unapplied
// (invitations.go).
func (s *state) UserStatus(ctx context.Context, req zoomserver.UserStatusRequestObject) (zoomserver.UserStatusResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	defer s.emitStatus(ctx, u, u.GetStatus())
	action := req.Body.Action
	status := u.GetStatus()
	switch {
	case u.notApplied():
		return zoomserver.UserStatus204Response{}, nil // success, nothing applied: invitations.go
	case u.isAdmin() && (action == gen.UserStatusActionActivate || action == gen.UserStatusActionDeactivate):
		// Evidence: Zoom 2021 spec, PUT /users/{userId}/status 400 "200".
		return nil, apiError(http.StatusBadRequest, 200, "Zoom Room and Admin users' status cannot be activated or deactivated.")
	}
	// Zoom's userStatus errors (2021 spec: 200 for admins, 300 for upcoming Zoom Events, 2033
	// and 3412 for license caps) name no refusal of a user already in the asked status, nor
	// of clocking an inactive user in or out: the fake accepts those and changes nothing.
	switch action {
	case gen.UserStatusActionActivate:
		u.Status = zoomusers.Ptr(gen.UserStatusActive)
	case gen.UserStatusActionDeactivate:
		u.Status = zoomusers.Ptr(gen.UserStatusInactive)
		u.clockedIn = false
	case gen.UserStatusActionClockIn, gen.UserStatusActionClockOut:
		if status == gen.UserStatusActive {
			u.clockedIn = action == gen.UserStatusActionClockIn
		}
	}
	return zoomserver.UserStatus204Response{}, nil
}

// UserEmailUpdate changes a user's email, at most maxEmailChanges times in 24 hours.
func (s *state) UserEmailUpdate(ctx context.Context, req zoomserver.UserEmailUpdateRequestObject) (zoomserver.UserEmailUpdateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	defer s.emitUpdated(ctx, u, u.User)
	email := req.Body.Email
	if s.byEmail[strings.ToLower(email)] != nil {
		// Evidence: ZOOM_FACTS.md "Errors" (1005, email already used; 409 as in the 2021
		// spec's POST /users). PUT /users/{userId}/email documents no code for it.
		return nil, apiError(http.StatusConflict, 1005, "Email %s has already been used.", email)
	}
	now := s.now()
	recent := 0
	for _, c := range u.emailChanges {
		if now.Sub(c.At) < emailChangeWindow {
			recent++
		}
	}
	if recent >= maxEmailChanges {
		// Evidence: ZOOM_FACTS.md "Rate limits" (email change 3 per 24 h per user) and
		// "Behaviour seen in the field" (per user).
		return nil, apiError(http.StatusTooManyRequests, 429, "A user's email can be changed at most %d times in 24 hours.", maxEmailChanges)
	}
	old := u.GetEmail()
	u.emailChanges = append(u.emailChanges, EmailChange{From: old, To: email, At: now})
	delete(s.byEmail, strings.ToLower(old))
	u.Email = &email
	s.byEmail[strings.ToLower(email)] = u
	return zoomserver.UserEmailUpdate204Response{}, nil
}

// UserPassword sets a password that meets Zoom's rules (checkPassword) and differs from
// the current one; admins' passwords are theirs to change (1117).
func (s *state) UserPassword(ctx context.Context, req zoomserver.UserPasswordRequestObject) (zoomserver.UserPasswordResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	p := req.Body.Password
	if u.isAdmin() {
		// Evidence: Zoom 2021 spec, PUT /users/{userId}/password 400 "1117".
		return nil, apiError(http.StatusBadRequest, 1117, "Can not update Admin's password")
	}
	if p == u.password {
		// Evidence: Zoom 2021 spec, PUT /users/{userId}/password 400 "300" (the old password).
		return nil, apiError(http.StatusBadRequest, 300, "Your new password can not match the old password.")
	}
	if err := checkPassword(p); err != nil {
		return nil, err
	}
	u.password = p
	u.passwordChanges++
	s.emitOperation(ctx, u, "change_password")
	return zoomserver.UserPassword204Response{}, nil
}

func (s *state) UserPermission(ctx context.Context, req zoomserver.UserPermissionRequestObject) (zoomserver.UserPermissionResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	perms := []string{"Meeting:Read", "Meeting:Edit", "Recording:Read"}
	if u.isAdmin() {
		perms = append(perms, "User:Read", "User:Edit", "AccountSetting:Edit")
	}
	return zoomserver.UserPermission200JSONResponse{Body: gen.UserPermissions{Permissions: &perms}}, nil
}

// UserDelete disassociates (the default) or deletes a user, transferring what the query
// names to transfer_email. Admins cannot be removed (1117), pending users only
// disassociated, and assets cannot go to the user who leaves.
func (s *state) UserDelete(ctx context.Context, req zoomserver.UserDeleteRequestObject) (zoomserver.UserDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	p := req.Params
	action := gen.DeleteActionDisassociate
	if p.Action != nil {
		action = *p.Action
	}
	if u.invitationExpired() {
		// Evidence: Zoom 2021 spec, DELETE /users/{userId} 400 "1120" (an expired invitation; invitations.go).
		return nil, errInvitationExpired(http.StatusBadRequest)
	}
	defer s.emitRemoved(ctx, u, action)
	if u.isAdmin() {
		// Evidence: Zoom 2021 spec, DELETE /users/{userId} 400 "1117".
		return nil, apiError(http.StatusBadRequest, 1117, "You can not disassociate an Admin user.")
	}
	// No evidence of a refusal: accepted. Zoom's specs say to use disassociate for a pending
	// user, not what action=delete does to one: the fake removes the user either way.
	// Nor do they document a transfer_email that names nobody: the fake records it as asked.
	if t := p.TransferEmail; t != nil && strings.EqualFold(*t, u.GetEmail()) {
		// Evidence: Zoom 2021 spec, DELETE /users/{userId} 400 "300" (transfer to the same user).
		return nil, apiError(http.StatusBadRequest, 300, "The transfer-to email address cannot be the same as the unlinked or deleted user's email address.")
	}
	d := &Deletion{ID: u.id, Email: u.GetEmail(), Action: string(action), TransferEmail: deref(p.TransferEmail), At: s.now()}
	for name, on := range map[string]*bool{"meeting": p.TransferMeeting, "webinar": p.TransferWebinar, "recording": p.TransferRecording,
		"whiteboard": p.TransferWhiteboard, "clipfiles": p.TransferClipfiles, "notes": p.TransferNotes, "visitors": p.TransferVisitors, "docs": p.TransferDocs} {
		if on != nil && *on {
			d.Transferred = append(d.Transferred, name)
		}
	}
	slices.Sort(d.Transferred)
	for _, id := range u.assistants {
		s.unlinkScheduler(id, u.id)
	}
	for _, id := range u.schedulers {
		s.unlinkAssistant(id, u.id)
	}
	s.users = slices.DeleteFunc(s.users, func(x *user) bool { return x == u })
	delete(s.byID, u.id)
	delete(s.byEmail, strings.ToLower(u.GetEmail()))
	s.deleted[u.id] = d
	s.deleted[strings.ToLower(d.Email)] = d
	return zoomserver.UserDelete204Response{}, nil
}

// SwitchUserAccount moves a user to another account of the master account. The fake
// keeps the user, with its account_id changed, so that the move can be read back.
func (s *state) SwitchUserAccount(ctx context.Context, req zoomserver.SwitchUserAccountRequestObject) (zoomserver.SwitchUserAccountResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.AccountID != AccountID {
		// Evidence: Zoom 2021 spec, PUT /accounts/{accountId}/users/{userId}/account 404
		// "1010" (user not found on this account).
		return nil, apiError(http.StatusNotFound, 1010, "User not found on this account: %s.", req.AccountID)
	}
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		// Evidence: Zoom 2021 spec, PUT /accounts/{accountId}/users/{userId}/account 404 "1001".
		return nil, apiError(http.StatusNotFound, 1001, "User %s does not exist or does not belong to this account.", req.UserID)
	}
	if u.invitationExpired() {
		// Evidence: Zoom 2021 spec, PUT /accounts/{accountId}/users/{userId}/account 404 "1120".
		return nil, errInvitationExpired(http.StatusNotFound)
	}
	if u.isAdmin() {
		// Evidence: Zoom 2021 spec, PUT /accounts/{accountId}/users/{userId}/account 400 "1117".
		return nil, apiError(http.StatusBadRequest, 1117, "Can not disassociate Admin user")
	}
	to := req.Body.AccountID
	if to == u.accountID {
		// No evidence of a refusal: accepted. A move to the account the user is in already
		// changes nothing and is not recorded.
		return zoomserver.SwitchUserAccount204Response{}, nil
	}
	u.accountMoves = append(u.accountMoves, AccountMove{From: u.accountID, To: to, At: s.now()})
	u.accountID = to
	u.AccountID = &u.accountID
	return zoomserver.SwitchUserAccount204Response{}, nil
}
