package zoomtest

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
)

func (s *state) GetUserPresenceStatus(ctx context.Context, req zoomserver.GetUserPresenceStatusRequestObject) (zoomserver.GetUserPresenceStatusResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	body := gen.PresenceStatus{Status: u.presence}
	if u.presence == gen.PresenceStatusValueDoNotDisturb && u.presenceMinutes > 0 {
		end := u.presenceAt.Add(time.Duration(u.presenceMinutes) * time.Minute)
		left := end.Sub(s.now())
		switch {
		case left <= 0:
			body.Status = gen.PresenceStatusValueAvailable // Do_Not_Disturb has run out
		case ctx.Value(userKey{}) == u.id:
			// Zoom shows when it ends only to the user themself.
			body.EndTime, body.RemainingTime = zoomusers.Ptr(end.UTC().Format(time.RFC3339)), zoomusers.Ptr(float32(left.Seconds()))
		}
	}
	return zoomserver.GetUserPresenceStatus200JSONResponse{Body: body}, nil
}

func (s *state) UpdatePresenceStatus(ctx context.Context, req zoomserver.UpdatePresenceStatusRequestObject) (zoomserver.UpdatePresenceStatusResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !u.presenceAt.IsZero() && now.Sub(u.presenceAt) < presenceChangeEvery {
		// Evidence: ZOOM_FACTS.md "Rate limits" (one change a minute per user); Zoom 2021 spec,
		// PUT /users/{userId}/presence_status 429.
		return nil, apiError(http.StatusTooManyRequests, 429, "Too many requests submitted to update the presence status of this user. Please wait for the request to be processed and try again later.")
	}
	// duration "applies to" Do_Not_Disturb (Zoom's docs); no refusal of it with another
	// status is documented, so the fake accepts it there and ignores it.
	minutes := 0
	if req.Body.Status == gen.PresenceStatusChoiceDoNotDisturb {
		minutes = req.Body.GetDuration()
	}
	if req.Body.Status == gen.PresenceStatusChoiceDoNotDisturb && minutes == 0 {
		minutes = defaultDoNotDisturbMinutes
	}
	u.presence, u.presenceMinutes, u.presenceAt = gen.PresenceStatusValue(req.Body.Status), minutes, now
	s.emitPresence(u)
	return zoomserver.UpdatePresenceStatus204Response{}, nil
}

// collaborationDevice is the one Zoom Rooms device every fake user has paired.
func collaborationDevice(u *user) gen.CollaborationDevice {
	return gen.CollaborationDevice{ID: zoomusers.Ptr("device-" + u.id), DeviceName: zoomusers.Ptr("Huddle Room Display"),
		RoomName: zoomusers.Ptr("Huddle 1"), RoomUserID: zoomusers.Ptr("room-" + u.id), Status: zoomusers.Ptr(gen.DeviceStatusOnline)}
}

func (s *state) ListCollaborationDevices(ctx context.Context, req zoomserver.ListCollaborationDevicesRequestObject) (zoomserver.ListCollaborationDevicesResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	list := []gen.CollaborationDevice{collaborationDevice(u)}
	return zoomserver.ListCollaborationDevices200JSONResponse{Body: gen.CollaborationDeviceList{CollaborationDevices: &list, TotalRecords: zoomusers.Ptr(1)}}, nil
}

func (s *state) GetCollaborationDevice(ctx context.Context, req zoomserver.GetCollaborationDeviceRequestObject) (zoomserver.GetCollaborationDeviceResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	d := collaborationDevice(u)
	if req.CollaborationDeviceID != *d.ID {
		// Evidence: none documented for the code (Zoom's errors page gives 404 for what does
		// not exist; 3001 is the fake's pick); kept: there is no device to answer with.
		return nil, apiError(http.StatusNotFound, 3001, "Device does not exist: %s.", req.CollaborationDeviceID)
	}
	return zoomserver.GetCollaborationDevice200JSONResponse{Body: d}, nil
}

func (s *state) GetUserMeetingTemplates(ctx context.Context, req zoomserver.GetUserMeetingTemplatesRequestObject) (zoomserver.GetUserMeetingTemplatesResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	if req.MeetingTemplateID != "template-"+u.id {
		// Evidence: none documented for the code (404 as for devices above; 3001 the fake's
		// pick); kept: there is no template to answer with.
		return nil, apiError(http.StatusNotFound, 3001, "Meeting template does not exist: %s.", req.MeetingTemplateID)
	}
	var t gen.MeetingTemplate
	json.Unmarshal([]byte(`{"settings":{"in_meeting":{"entry_exit_chime":"host","polling":true},"recording":{"auto_recording":"cloud"},"meeting_security":{"waiting_room":true}}}`), &t)
	t.ID, t.Name = &req.MeetingTemplateID, zoomusers.Ptr("Team standup")
	return zoomserver.GetUserMeetingTemplates200JSONResponse{Body: t}, nil
}
