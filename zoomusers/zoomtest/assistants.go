package zoomtest

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
)

// Assistants and schedulers are the two ends of one scheduling privilege: when B is A's
// assistant, A is B's scheduler. Each user keeps the other ends' IDs; lists are built
// from the users as they are now, so an email change shows everywhere.

func (s *state) UserAssistants(ctx context.Context, req zoomserver.UserAssistantsRequestObject) (zoomserver.UserAssistantsResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	list := s.assistantsOf(u)
	return zoomserver.UserAssistants200JSONResponse{Body: gen.AssistantList{Assistants: &list}}, nil
}

func (s *state) assistantsOf(u *user) []gen.Assistant {
	list := []gen.Assistant{}
	for _, id := range u.assistants {
		if a := s.byID[id]; a != nil {
			list = append(list, gen.Assistant{ID: zoomusers.Ptr(a.id), Email: a.Email})
		}
	}
	return list
}

func (s *state) schedulersOf(u *user) []gen.Scheduler {
	list := []gen.Scheduler{}
	for _, id := range u.schedulers {
		if sc := s.byID[id]; sc != nil {
			list = append(list, gen.Scheduler{ID: zoomusers.Ptr(sc.id), Email: sc.Email, PMI: sc.PMI})
		}
	}
	return list
}

// UserAssistantCreate grants scheduling privilege, all or nothing, with the refusals of
// Zoom's 2021 spec (code 200): a free account, an unlicensed user or assistant, an
// unknown assistant, the user itself, an assistant already granted.
func (s *state) UserAssistantCreate(ctx context.Context, req zoomserver.UserAssistantCreateRequestObject) (zoomserver.UserAssistantCreateResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	if s.plan == zoomusers.PlanFree {
		// Evidence: Zoom 2021 spec, POST /users/{userId}/assistants 400 "200" (paid account).
		return nil, apiError(http.StatusBadRequest, 200, "Current account must be paid account: %s", req.UserID)
	}
	if u.Type != gen.UserTypeLicensed {
		// Evidence: Zoom 2021 spec, POST /users/{userId}/assistants 400 "200" (licensed user).
		return nil, apiError(http.StatusBadRequest, 200, "The user must either be a Licensed user or an On-prem user : %s.", req.UserID)
	}
	var add []*user
	for _, a := range req.Body.GetAssistants() {
		name := a.GetEmail()
		if name == "" {
			name = a.GetID()
		}
		target := s.lookup(a.GetID())
		if target == nil {
			target = s.lookup(a.GetEmail())
		}
		switch {
		case target == nil:
			// Evidence: Zoom 2021 spec, POST /users/{userId}/assistants 400 "200" (can't find user).
			return nil, apiError(http.StatusBadRequest, 200, "Can't find user %s.", name)
		case target == u:
			// Evidence: Zoom 2021 spec, POST /users/{userId}/assistants 400 "200" (yourself).
			return nil, apiError(http.StatusBadRequest, 200, "Can't assign scheduling privilege to yourself.")
		case slices.Contains(u.assistants, target.id) || slices.Contains(add, target):
			// Evidence: Zoom 2021 spec, POST /users/{userId}/assistants 400 "200" (already granted).
			return nil, apiError(http.StatusBadRequest, 200, "User %s has already granted scheduling privilege.", name)
		case target.Type != gen.UserTypeLicensed:
			// Evidence: Zoom 2021 spec, POST /users/{userId}/assistants 400 "200" (licensed assistant).
			return nil, apiError(http.StatusBadRequest, 200, "The user must either be a Licensed user or an On-prem user : %s.", name)
		}
		add = append(add, target)
	}
	// No evidence of a refusal: accepted. The spec's limit of 30 is on the request's list
	// (the validator checks it); nothing documents a limit on a user's assistants in all.
	ids := make([]string, 0, len(add))
	if injected(ctx).NoEffect {
		add = nil // the injected field behaviour: success, nothing added (faults.go)
	}
	for _, target := range add {
		u.assistants = append(u.assistants, target.id)
		target.schedulers = append(target.schedulers, u.id)
		ids = append(ids, target.id)
	}
	now := s.now().UTC().Truncate(time.Second)
	return zoomserver.UserAssistantCreate201JSONResponse{Body: gen.AssistantsAdded{IDs: zoomusers.Ptr(strings.Join(ids, ",")), AddAt: &now}}, nil
}

func (s *state) UserAssistantsDelete(ctx context.Context, req zoomserver.UserAssistantsDeleteRequestObject) (zoomserver.UserAssistantsDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	for _, id := range u.assistants {
		s.unlinkScheduler(id, u.id)
	}
	u.assistants = nil
	return zoomserver.UserAssistantsDelete204Response{}, nil
}

func (s *state) UserAssistantDelete(ctx context.Context, req zoomserver.UserAssistantDeleteRequestObject) (zoomserver.UserAssistantDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	// No evidence of a refusal: accepted. Zoom documents only 1001 for an unknown {userId};
	// an assistantId that is not the user's assistant changes nothing.
	if a := s.lookup(req.AssistantID); a != nil {
		s.unlinkScheduler(a.id, u.id)
		s.unlinkAssistant(u.id, a.id)
	}
	return zoomserver.UserAssistantDelete204Response{}, nil
}

// unlinkScheduler removes schedulerID from the schedulers of assistantID.
func (s *state) unlinkScheduler(assistantID, schedulerID string) {
	if a := s.byID[assistantID]; a != nil {
		a.schedulers = slices.DeleteFunc(a.schedulers, func(id string) bool { return id == schedulerID })
	}
}

// unlinkAssistant removes assistantID from the assistants of schedulerID.
func (s *state) unlinkAssistant(schedulerID, assistantID string) {
	if sc := s.byID[schedulerID]; sc != nil {
		sc.assistants = slices.DeleteFunc(sc.assistants, func(id string) bool { return id == assistantID })
	}
}

func (s *state) UserSchedulers(ctx context.Context, req zoomserver.UserSchedulersRequestObject) (zoomserver.UserSchedulersResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	list := s.schedulersOf(u)
	return zoomserver.UserSchedulers200JSONResponse{Body: gen.SchedulerList{Schedulers: &list}}, nil
}

func (s *state) UserSchedulersDelete(ctx context.Context, req zoomserver.UserSchedulersDeleteRequestObject) (zoomserver.UserSchedulersDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	for _, id := range u.schedulers {
		s.unlinkAssistant(id, u.id)
	}
	u.schedulers = nil
	return zoomserver.UserSchedulersDelete204Response{}, nil
}

func (s *state) UserSchedulerDelete(ctx context.Context, req zoomserver.UserSchedulerDeleteRequestObject) (zoomserver.UserSchedulerDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	// No evidence of a refusal: accepted, as for assistants above.
	if sc := s.lookup(req.SchedulerID); sc != nil {
		s.unlinkAssistant(sc.id, u.id)
		s.unlinkScheduler(u.id, sc.id)
	}
	return zoomserver.UserSchedulerDelete204Response{}, nil
}
