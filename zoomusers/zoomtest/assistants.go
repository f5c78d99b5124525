package zoomtest

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomapi"
)

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
