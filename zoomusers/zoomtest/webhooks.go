package zoomtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
)

// Webhooks: the fake notifies subscribed endpoints of every change it makes to a user,
// as a Zoom app with Event Subscriptions for user.* events is notified, so that a team
// can test its receiver end to end:
//
//	recv := httptest.NewServer(myHandler)
//	srv := zoomtest.NewServer(zoomtest.WithWebhook(recv.URL, "secret-token"))
//	... change users through the API ...
//	srv.FlushWebhooks(ctx) // every delivery done, retries included
//	for _, d := range srv.WebhookDeliveries() { ... }
//
// As with Zoom, an endpoint must first pass URL validation (endpoint.url_validation,
// answered with the HMAC of a plain token under the secret) and receives nothing if it
// fails. Each request is signed (x-zm-signature, x-zm-request-timestamp) with the
// endpoint's secret at the time it is sent, by the fake's clock (WithClock). An answer
// other than 200 or 204 within WebhookTimeout is a failure, retried after the delays of
// WithWebhookRetries. Zoom retries three times, about 5, 20 and 60 minutes later; the
// fake's DefaultWebhookRetries are milliseconds so that tests stay fast.
//
// Deliveries are asynchronous: the API answers at once and events follow. They are
// ordered per user and endpoint: an event waits until the earlier events for the same
// user are delivered or have failed every retry. Zoom itself promises no order; a
// receiver that depends on one should compare Event.Time.
//
// What emits what:
//
//	userCreate                     user.created (creation_type is the action)
//	userUpdate, userEmailUpdate,   user.updated: the changed fields in object, their
//	userPicture(Delete),           old values in old_object
//	bulkUpdateFeature user_type
//	userPassword                   user.updated with operation change_password
//	userSSOTokenDelete             user.updated with operation sign_out_from_all_devices
//	userStatus activate/deactivate user.activated / user.deactivated (clock in/out: none)
//	userDelete                     user.disassociated or user.deleted, by action
//	userSettingsUpdate             user.settings_updated: the changed settings and old ones
//	updatePresenceStatus           user.presence_status_updated
//	AcceptInvitation               user.invitation_accepted
//
// Changes made through a user-level OAuth token name that user as the operator; those of
// Server-to-Server tokens name the account owner.

// DefaultWebhookRetries are the fake's delays between a failed delivery and its retries:
// three retries, as Zoom makes, in milliseconds instead of Zoom's 5, 20 and 60 minutes.
func DefaultWebhookRetries() []time.Duration {
	return []time.Duration{10 * time.Millisecond, 50 * time.Millisecond, 200 * time.Millisecond}
}

// DefaultWebhookTimeout is how long the fake waits for an endpoint's answer: Zoom's 3
// seconds.
const DefaultWebhookTimeout = 3 * time.Second

// hookConfig is what the webhook options set.
type hookConfig struct {
	endpoints []endpointConfig
	retries   []time.Duration
	timeout   time.Duration
	set       bool // retries set by WithWebhookRetries, even to none
}

type endpointConfig struct{ url, secret string }

// WithWebhook subscribes url to the fake's user.* events, signed with secret (the app's
// Secret Token). The fake validates the endpoint in the background when it starts, so
// the receiver must already be listening; AddWebhook adds one later and reports the
// validation's outcome.
func WithWebhook(url, secret string) Option {
	return func(c *config) { c.hooks.endpoints = append(c.hooks.endpoints, endpointConfig{url, secret}) }
}

// WithWebhookRetries sets the delays before each retry of a failed delivery
// (DefaultWebhookRetries when not given; none for no retries).
func WithWebhookRetries(delays ...time.Duration) Option {
	return func(c *config) { c.hooks.retries, c.hooks.set = slices.Clone(delays), true }
}

// WithWebhookTimeout sets how long the fake waits for each answer (DefaultWebhookTimeout).
func WithWebhookTimeout(d time.Duration) Option { return func(c *config) { c.hooks.timeout = d } }

// WebhookDelivery is one event sent, or to be sent, to one endpoint.
type WebhookDelivery struct {
	URL string
	// Event is the event type; "endpoint.url_validation" for the endpoint's validation.
	Event string
	// UserID is the user the event is about ("" for a validation).
	UserID string
	// Body is the JSON sent, the same in every attempt.
	Body []byte
	// Attempts are the requests made, first to last.
	Attempts []WebhookAttempt
	// Delivered reports an answer of 200 or 204 (for a validation: a correct one).
	Delivered bool
	// Err says why the delivery failed or was not attempted; "" while pending or delivered.
	Err string
}

// WebhookAttempt is one request of a delivery.
type WebhookAttempt struct {
	At time.Time
	// Status is the endpoint's answer, 0 when there was none (Err says why).
	Status int
	Err    string
}

// hooks delivers events to the subscribed endpoints.
type hooks struct {
	cfg    hookConfig
	now    func() time.Time
	client *http.Client
	ctx    context.Context // ended by close
	stop   context.CancelFunc
	wg     sync.WaitGroup // validations and drains, waited for by close

	mu         sync.Mutex
	changed    *sync.Cond // pending went down
	endpoints  []*endpoint
	deliveries []*WebhookDelivery
	pending    int // deliveries queued or in flight, validations included
}

type endpoint struct {
	endpointConfig
	validated chan struct{} // closed when the validation is over
	valid     bool          // set before validated is closed
	queues    map[string][]*WebhookDelivery
}

func newHooks(cfg hookConfig, now func() time.Time) *hooks {
	if !cfg.set {
		cfg.retries = DefaultWebhookRetries()
	}
	if cfg.timeout <= 0 {
		cfg.timeout = DefaultWebhookTimeout
	}
	ctx, stop := context.WithCancel(context.Background())
	h := &hooks{cfg: cfg, now: now, client: &http.Client{Timeout: cfg.timeout}, ctx: ctx, stop: stop}
	h.changed = sync.NewCond(&h.mu)
	for _, e := range cfg.endpoints {
		h.add(e)
	}
	return h
}

// close abandons the deliveries not yet made.
func (h *hooks) close() {
	h.stop()
	h.wg.Wait()
	h.client.CloseIdleConnections()
}

// active reports whether any endpoint listens, so that the API does not build events
// nobody receives.
func (h *hooks) active() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.endpoints) > 0
}

// AddWebhook subscribes url to the fake's user.* events, signed with secret, once it
// passes URL validation, as Zoom does when an app's endpoint is saved. An endpoint that
// fails validation is not added, and the error says what it answered.
func (s *Server) AddWebhook(ctx context.Context, url, secret string) error {
	ep := s.state.hooks.add(endpointConfig{url, secret})
	select {
	case <-ep.validated:
	case <-ctx.Done():
		return ctx.Err()
	}
	if ep.valid {
		return nil
	}
	h := s.state.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	h.endpoints = slices.DeleteFunc(h.endpoints, func(e *endpoint) bool { return e == ep })
	for _, d := range slices.Backward(h.deliveries) {
		if d.URL == url && d.Event == webhook.EventURLValidation {
			return fmt.Errorf("zoomtest: %s failed URL validation: %s", url, d.Err)
		}
	}
	return fmt.Errorf("zoomtest: %s failed URL validation", url)
}

// add starts an endpoint's validation and returns the endpoint.
func (h *hooks) add(cfg endpointConfig) *endpoint {
	ep := &endpoint{endpointConfig: cfg, validated: make(chan struct{}), queues: map[string][]*WebhookDelivery{}}
	plain := randomToken("plain-")
	body, _ := json.Marshal(map[string]any{"event": webhook.EventURLValidation, "event_ts": h.now().UnixMilli(),
		"payload": map[string]string{"plainToken": plain}})
	d := &WebhookDelivery{URL: cfg.url, Event: webhook.EventURLValidation, Body: body}
	h.mu.Lock()
	h.endpoints = append(h.endpoints, ep)
	h.deliveries = append(h.deliveries, d)
	h.pending++
	h.mu.Unlock()
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		defer close(ep.validated)
		status, answer, err := h.post(ep, body)
		h.mu.Lock()
		defer h.mu.Unlock()
		d.Attempts = append(d.Attempts, attempt(h.now(), status, err))
		var got struct{ PlainToken, EncryptedToken string }
		switch {
		case err != nil:
			d.Err = err.Error()
		case status != http.StatusOK:
			d.Err = fmt.Sprintf("answered %d, want 200", status)
		case json.Unmarshal(answer, &got) != nil || got.PlainToken != plain || got.EncryptedToken != webhook.EncryptToken(ep.secret, plain):
			d.Err = fmt.Sprintf("answer %.200q does not hold the plainToken and its HMAC-SHA256 under the secret token", answer)
		default:
			d.Delivered, ep.valid = true, true
		}
		h.pending--
		h.changed.Broadcast()
	}()
	return ep
}

// emit queues an event for every endpoint. The caller holds the state's lock, so events
// are queued in the order the changes were made.
func (h *hooks) emit(typ, userID string, payload map[string]any) {
	body, err := json.Marshal(map[string]any{"event": typ, "event_ts": h.now().UnixMilli(), "payload": payload})
	if err != nil {
		panic(fmt.Sprintf("zoomtest: encoding %s: %v", typ, err)) // only the fake's own maps are encoded
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ep := range h.endpoints {
		d := &WebhookDelivery{URL: ep.url, Event: typ, UserID: userID, Body: body}
		h.deliveries = append(h.deliveries, d)
		h.pending++
		ep.queues[userID] = append(ep.queues[userID], d)
		if len(ep.queues[userID]) == 1 {
			h.wg.Add(1)
			go func() { defer h.wg.Done(); h.drain(ep, userID) }()
		}
	}
}

// drain delivers one user's queue for one endpoint, in order, until it is empty.
func (h *hooks) drain(ep *endpoint, userID string) {
	<-ep.validated // ends early when the fake closes: the request uses h.ctx
	for {
		h.mu.Lock()
		d := ep.queues[userID][0]
		h.mu.Unlock()
		h.deliver(ep, d)
		h.mu.Lock()
		ep.queues[userID] = ep.queues[userID][1:]
		left := len(ep.queues[userID])
		if left == 0 {
			delete(ep.queues, userID)
		}
		h.pending--
		h.changed.Broadcast()
		h.mu.Unlock()
		if left == 0 {
			return
		}
	}
}

// deliver makes a delivery's attempts, waiting between them.
func (h *hooks) deliver(ep *endpoint, d *WebhookDelivery) {
	fail := func(msg string) {
		h.mu.Lock()
		d.Err = msg
		h.mu.Unlock()
	}
	if !ep.valid {
		fail("the endpoint has not passed URL validation, so Zoom sends it nothing")
		return
	}
	for i := 0; ; i++ {
		if h.ctx.Err() != nil {
			fail("the fake was closed before the delivery was made")
			return
		}
		status, _, err := h.post(ep, d.Body)
		h.mu.Lock()
		d.Attempts = append(d.Attempts, attempt(h.now(), status, err))
		d.Delivered = err == nil && (status == http.StatusOK || status == http.StatusNoContent)
		h.mu.Unlock()
		if d.Delivered {
			return
		}
		if i == len(h.cfg.retries) {
			fail(fmt.Sprintf("no answer of 200 or 204 in %d attempts", i+1))
			return
		}
		select {
		case <-time.After(h.cfg.retries[i]):
		case <-h.ctx.Done():
		}
	}
}

// post sends one signed request and reads the answer.
func (h *hooks) post(ep *endpoint, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, ep.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range webhook.Sign(ep.secret, h.now(), body) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Zoom Marketplace/1.0a (zoomtest)")
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, answer, err
}

func attempt(at time.Time, status int, err error) WebhookAttempt {
	a := WebhookAttempt{At: at, Status: status}
	if err != nil {
		a.Err = err.Error()
	}
	return a
}

// WebhookDeliveries lists every delivery, validations included, in the order they were
// queued: a copy, which may show deliveries still in progress (FlushWebhooks waits).
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	h := s.state.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]WebhookDelivery, len(h.deliveries))
	for i, d := range h.deliveries {
		out[i] = *d
		out[i].Attempts = slices.Clone(d.Attempts)
	}
	return out
}

// FlushWebhooks waits until every queued delivery is delivered or has failed its
// retries, or ctx ends.
func (s *Server) FlushWebhooks(ctx context.Context) error {
	h := s.state.hooks
	stop := context.AfterFunc(ctx, func() {
		h.mu.Lock()
		h.changed.Broadcast()
		h.mu.Unlock()
	})
	defer stop()
	h.mu.Lock()
	defer h.mu.Unlock()
	for h.pending > 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("zoomtest: %d webhook deliveries still pending: %w", h.pending, err)
		}
		h.changed.Wait()
	}
	return nil
}

// AcceptInvitation plays a pending user (one created with action "create") accepting
// Zoom's invitation: the user becomes active and user.invitation_accepted is sent.
func (s *Server) AcceptInvitation(idOrEmail string) error {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	u, err := st.pendingUser(idOrEmail)
	if err != nil {
		return err
	}
	if u.inviteExpired {
		return fmt.Errorf("zoomtest: the invitation of %s expired", idOrEmail)
	}
	u.Status = zoomusers.Ptr(gen.UserStatusActive)
	if st.hooks.active() {
		st.hooks.emit(webhook.EventUserInvitationAccepted, u.id, map[string]any{"account_id": u.accountID, "object": userObject(u)})
	}
	return nil
}

// The helpers below build events; the API's handlers call them with the state locked.

// operator names who made a change: the token's user, or the owner for
// Server-to-Server tokens.
func (s *state) operator(ctx context.Context) (email, id string) {
	u := s.byEmail[OwnerEmail]
	if uid, _ := ctx.Value(userKey{}).(string); uid != "" && s.byID[uid] != nil {
		u = s.byID[uid]
	}
	if u == nil {
		return "", ""
	}
	return u.GetEmail(), u.id
}

// changePayload is the payload of a change an operator made.
func (s *state) changePayload(ctx context.Context, u *user, object map[string]any) map[string]any {
	email, id := s.operator(ctx)
	return map[string]any{"account_id": u.accountID, "operator": email, "operator_id": id, "object": object}
}

// userObject is a user as user.created, .deleted, .activated and the like describe one.
func userObject(u *user) map[string]any {
	o := map[string]any{"id": u.id, "email": u.GetEmail(), "first_name": u.GetFirstName(), "last_name": u.GetLastName(), "type": u.Type}
	if u.DisplayName != nil {
		o["display_name"] = *u.DisplayName
	}
	return o
}

// emitCreated sends user.created for a new user.
func (s *state) emitCreated(ctx context.Context, u *user) {
	if !s.hooks.active() {
		return
	}
	p := s.changePayload(ctx, u, userObject(u))
	p["creation_type"] = u.createAction
	s.hooks.emit(webhook.EventUserCreated, u.id, p)
}

// emitUpdated sends user.updated with the profile fields that differ from before, if
// any. Handlers defer it with the profile as it was.
func (s *state) emitUpdated(ctx context.Context, u *user, before gen.User) {
	if !s.hooks.active() {
		return
	}
	old, cur := toJSONMap(before), toJSONMap(u.User)
	object, oldObject := map[string]any{"id": u.id}, map[string]any{"id": u.id}
	for k := range joinKeys(old, cur) {
		if k != "id" && !jsonEqual(old[k], cur[k]) {
			object[k], oldObject[k] = cur[k], old[k]
		}
	}
	if len(object) == 1 {
		return
	}
	p := s.changePayload(ctx, u, object)
	p["old_object"], p["time_stamp"] = oldObject, s.now().UnixMilli()
	s.hooks.emit(webhook.EventUserUpdated, u.id, p)
}

// emitOperation sends the user.updated Zoom sends for a password change or a sign-out
// from all devices, which change no profile field.
func (s *state) emitOperation(ctx context.Context, u *user, operation string) {
	if !s.hooks.active() {
		return
	}
	p := s.changePayload(ctx, u, map[string]any{"id": u.id, "email": u.GetEmail()})
	p["operation"], p["time_stamp"] = operation, s.now().UnixMilli()
	s.hooks.emit(webhook.EventUserUpdated, u.id, p)
}

// emitStatus sends user.activated or user.deactivated when the status changed between
// those two. Handlers defer it with the status as it was.
func (s *state) emitStatus(ctx context.Context, u *user, before gen.UserStatus) {
	if !s.hooks.active() {
		return
	}
	typ := map[string]string{"inactive>active": webhook.EventUserActivated, "active>inactive": webhook.EventUserDeactivated}[string(before)+">"+string(u.GetStatus())]
	if typ != "" {
		s.hooks.emit(typ, u.id, s.changePayload(ctx, u, userObject(u)))
	}
}

// emitRemoved sends user.deleted or user.disassociated once u has left the account.
// UserDelete defers it.
func (s *state) emitRemoved(ctx context.Context, u *user, action gen.DeleteAction) {
	if !s.hooks.active() || s.byID[u.id] == u {
		return
	}
	typ := webhook.EventUserDisassociated
	if action == gen.DeleteActionDelete {
		typ = webhook.EventUserDeleted
	}
	s.hooks.emit(typ, u.id, s.changePayload(ctx, u, userObject(u)))
}

// emitSettings sends user.settings_updated with the settings that differ from before
// (nested by section) and their old values. UserSettingsUpdate defers it with a copy.
func (s *state) emitSettings(ctx context.Context, u *user, before map[string]any) {
	if !s.hooks.active() {
		return
	}
	cur, old := diffJSON(settingsOf(u), before)
	if len(cur) == 0 && len(old) == 0 {
		return
	}
	p := s.changePayload(ctx, u, map[string]any{"id": u.id, "settings": cur})
	p["old_object"], p["time_stamp"] = map[string]any{"id": u.id, "settings": old}, s.now().UnixMilli()
	s.hooks.emit(webhook.EventUserSettingsUpdated, u.id, p)
}

// emitPresence sends user.presence_status_updated, which Zoom sends without an operator.
func (s *state) emitPresence(u *user) {
	if !s.hooks.active() {
		return
	}
	s.hooks.emit(webhook.EventUserPresenceStatusUpdated, u.id, map[string]any{"account_id": u.accountID, "object": map[string]any{
		"id": u.id, "email": u.GetEmail(), "presence_status": u.presence, "date_time": s.now().UTC().Format(time.RFC3339)}})
}

// diffJSON compares two JSON objects and returns, nested as they are, the members of a
// that differ from b and those members in b.
func diffJSON(a, b map[string]any) (inA, inB map[string]any) {
	inA, inB = map[string]any{}, map[string]any{}
	for k := range joinKeys(a, b) {
		am, aObj := a[k].(map[string]any)
		bm, bObj := b[k].(map[string]any)
		switch {
		case aObj && bObj:
			if x, y := diffJSON(am, bm); len(x)+len(y) > 0 {
				inA[k], inB[k] = x, y
			}
		case !jsonEqual(a[k], b[k]):
			if v, ok := a[k]; ok {
				inA[k] = v
			}
			if v, ok := b[k]; ok {
				inB[k] = v
			}
		}
	}
	return inA, inB
}

func joinKeys(a, b map[string]any) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

func jsonEqual(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errors.Join(errA, errB) == nil && bytes.Equal(x, y)
}
