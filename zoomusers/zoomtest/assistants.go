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

// maxAssistants is how many assistants a user may have (the spec's maxItems on the list).
const maxAssistants = 30

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
	// The refusals below are userAssistantCreate's 400s in Zoom's 2021 spec (code 200, these
	// messages); the limit of assistants is the spec's maxItems on the list.
	if s.plan == zoomusers.PlanFree {
		return nil, apiError(http.StatusBadRequest, 200, "Current account must be paid account: %s", req.UserID)
	}
	if u.Type != gen.UserTypeLicensed {
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
			return nil, apiError(http.StatusBadRequest, 200, "Can't find user %s.", name)
		case target == u:
			return nil, apiError(http.StatusBadRequest, 200, "Can't assign scheduling privilege to yourself.")
		case slices.Contains(u.assistants, target.id) || slices.Contains(add, target):
			return nil, apiError(http.StatusBadRequest, 200, "User %s has already granted scheduling privilege.", name)
		case target.Type != gen.UserTypeLicensed:
			return nil, apiError(http.StatusBadRequest, 200, "The user must either be a Licensed user or an On-prem user : %s.", name)
		}
		add = append(add, target)
	}
	if len(u.assistants)+len(add) > maxAssistants {
		return nil, apiError(http.StatusBadRequest, 300, "A user can have at most %d assistants.", maxAssistants)
	}
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
	a := s.lookup(req.AssistantID)
	if a == nil || !slices.Contains(u.assistants, a.id) {
		return nil, apiError(http.StatusNotFound, 1001, "Assistant does not exist: %s.", req.AssistantID)
	}
	s.unlinkScheduler(a.id, u.id)
	s.unlinkAssistant(u.id, a.id)
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
	sc := s.lookup(req.SchedulerID)
	if sc == nil || !slices.Contains(u.schedulers, sc.id) {
		return nil, apiError(http.StatusNotFound, 1001, "Scheduler does not exist: %s.", req.SchedulerID)
	}
	s.unlinkAssistant(sc.id, u.id)
	s.unlinkScheduler(u.id, sc.id)
	return zoomserver.UserSchedulerDelete204Response{}, nil
}
