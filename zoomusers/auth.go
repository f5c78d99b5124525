package zoomusers

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// DefaultTokenURL is Zoom's OAuth token endpoint.
const DefaultTokenURL = "https://zoom.us/oauth/token"

// TokenError is a failed request to the OAuth token endpoint. It carries Zoom's reason
// and never the credentials that were sent.
type TokenError struct {
	StatusCode int    // the token endpoint's HTTP status
	ErrorCode  string // the OAuth error, such as "invalid_client"
	Reason     string // Zoom's explanation
	Code       int    // Zoom's numeric code, when given (4735, 4740, 4741: re-authorize)
}

// Error describes the failure with Zoom's reason.
func (e *TokenError) Error() string {
	msg := fmt.Sprintf("zoomusers: token request failed: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.ErrorCode != "" {
		msg += ": " + e.ErrorCode
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Is makes a rejected token request match ErrUnauthorized.
func (e *TokenError) Is(target error) bool {
	return target == ErrUnauthorized && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusBadRequest)
}

// tokenError turns a failed token request into an error that carries Zoom's reason and
// none of the credentials: a hostile or broken token endpoint may echo what it was sent,
// so every text that came from it is scrubbed of the secrets. Context errors and
// ErrRedirectRefused stay reachable with errors.Is.
func tokenError(err error, secrets []string) error {
	if errors.Is(err, errSaveToken) {
		return err // the token came; keeping it failed
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		msg := redact(err.Error(), secrets)
		for _, cause := range []error{context.DeadlineExceeded, context.Canceled, ErrRedirectRefused} {
			if errors.Is(err, cause) {
				return fmt.Errorf("zoomusers: token request failed: %s: %w", msg, cause)
			}
		}
		return fmt.Errorf("zoomusers: token request failed: %s", msg)
	}
	te := &TokenError{StatusCode: re.Response.StatusCode, ErrorCode: re.ErrorCode, Reason: re.ErrorDescription}
	var body struct {
		Reason string `json:"reason"`
		Error  string `json:"error"`
		Code   int    `json:"code"`
	}
	if json.Unmarshal(re.Body, &body) == nil {
		if body.Reason != "" {
			te.Reason = body.Reason
		}
		if te.ErrorCode == "" {
			te.ErrorCode = body.Error
		}
		te.Code = body.Code
	}
	te.ErrorCode = truncate(redact(te.ErrorCode, secrets), maxReasonLen)
	te.Reason = truncate(redact(te.Reason, secrets), maxReasonLen)
	return te
}

// maxReasonLen bounds the texts kept from a token endpoint's answer.
const maxReasonLen = 512

// redact replaces every occurrence of a secret in s.
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// tokenFetcher asks the token endpoint for a new token. It lists the secrets it holds
// so that errors can be scrubbed of them.
type tokenFetcher struct {
	// name says where tokens come from, for errors: "the token endpoint", "the token source".
	name    string
	fetch   func(ctx context.Context) (*oauth2.Token, error)
	secrets func() []string
	// adopt, when set, hands the source a token another client stored, so that its next
	// fetch starts from there (user OAuth refreshes with the latest refresh token).
	adopt func(*oauth2.Token)
}

// TokenStore keeps the access token where every Client that uses the same credentials
// reads it, and lets one of them at a time fetch a new one. The Client consults it only
// when it has no usable token: its own copy serves every call until then. The default,
// NewMemoryTokenStore, serves one Client; package zoomredis has one that replicas share.
//
// With Server-to-Server OAuth replicas then share one token. With user OAuth exactly one
// replica refreshes: it holds the lock while it refreshes, stores the rotated token before
// anything uses it, and the others read that token. A stored token wins over the one given
// to WithUserOAuth; clear the store when a user authorizes the app again.
type TokenStore interface {
	// Load returns the stored token, or nil and no error when there is none.
	Load(ctx context.Context) (*oauth2.Token, error)
	// Save stores tok in place of the stored token.
	Save(ctx context.Context, tok *oauth2.Token) error
	// Lock waits until the caller alone may fetch a new token, or until ctx is done.
	// unlock ends that; it must be safe to call after the lock has expired.
	Lock(ctx context.Context) (unlock func(), err error)
}

// WithTokenStore keeps tokens in s, shared with every Client that uses the same store and
// credentials; see TokenStore. Errors of the store fail the call that needed a token, with
// an error that names the store, and the next call tries again.
func WithTokenStore(s TokenStore) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("zoomusers: WithTokenStore needs a TokenStore")
		}
		c.tokenStore = s
		return nil
	}
}

// NewMemoryTokenStore returns a TokenStore in this process's memory, for Clients of one
// process that use the same credentials.
func NewMemoryTokenStore() TokenStore {
	return &memoryTokenStore{lock: make(chan struct{}, 1)}
}

type memoryTokenStore struct {
	mu   sync.Mutex
	tok  *oauth2.Token
	lock chan struct{} // holds a value while a caller holds the lock
}

// Load implements TokenStore.
func (m *memoryTokenStore) Load(context.Context) (*oauth2.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tok, nil
}

// Save implements TokenStore.
func (m *memoryTokenStore) Save(_ context.Context, tok *oauth2.Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tok = tok
	return nil
}

// Lock implements TokenStore.
func (m *memoryTokenStore) Lock(ctx context.Context) (func(), error) {
	select {
	case m.lock <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-m.lock }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// tokenCache hands out one token to every concurrent caller, fetches a new one shortly
// before expiry, and drops a token the API rejected. At most one fetch is in flight; each
// caller waits for it only as long as its own context allows.
type tokenCache struct {
	src     tokenFetcher
	store   TokenStore
	timeout time.Duration // bounds one fetch, whoever waits for it
	logger  *slog.Logger
	now     func() time.Time

	mu       sync.Mutex
	tok      *oauth2.Token
	renewAt  time.Time // when tok is replaced; zero for a token without expiry
	rejected string    // the access token the API last refused, never taken from the store again
	inflight *tokenFetch
	// work is the newest obtain, while it runs. Its callers may have given up on it (a
	// source, save function or store that ignores its context can hang): the next fetch
	// then starts one obtain of its own, since a source that hung once (a dead connection)
	// may answer the next request; while maxHungObtains abandoned obtains still run, fetches
	// join the newest instead, so a source that always hangs costs two goroutines, not one
	// per timeout.
	work *tokenFetch
	hung int // obtains abandoned by their fetches and still running

	// pending is a fetched token the store has not taken yet: it is offered to the store
	// again before anything else is fetched, since with user OAuth the refresh token it
	// replaced is dead.
	pending *oauth2.Token
}

// maxHungObtains is how many abandoned obtains may run at once before fetches join the
// newest instead of starting another.
const maxHungObtains = 2

// tokenFetch is the outcome of one fetch and the channel closed when it is known.
type tokenFetch struct {
	done      chan struct{}
	tok       *oauth2.Token
	err       error
	abandoned bool // under tokenCache.mu: a fetch gave up waiting for this obtain
}

// defaultTokenTimeout bounds one token request, so that a token endpoint that never
// answers cannot hold back every later call.
const defaultTokenTimeout = 30 * time.Second

func newTokenCache(src tokenFetcher, logger *slog.Logger, store TokenStore) *tokenCache {
	if store == nil {
		store = NewMemoryTokenStore()
	}
	return &tokenCache{src: src, store: store, timeout: defaultTokenTimeout, logger: logger, now: time.Now}
}

// earlyRenewal is how long before expiry a token is replaced: a tenth of its life,
// at most a minute, so that a token never expires in flight.
func earlyRenewal(lifetime time.Duration) time.Duration {
	return min(lifetime/10, time.Minute)
}

// Token returns the cached token, fetching a new one when it is missing or due for
// renewal. It stops waiting when ctx is done; the fetch itself goes on for the callers
// that still wait, and its token is kept for the next ones.
func (c *tokenCache) Token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	if c.tok != nil && (c.renewAt.IsZero() || c.now().Before(c.renewAt)) {
		tok := c.tok
		c.mu.Unlock()
		return tok, nil
	}
	f := c.inflight
	if f == nil {
		f = &tokenFetch{done: make(chan struct{})}
		c.inflight = f
		go c.run(context.WithoutCancel(ctx), f)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("zoomusers: waiting for an access token: %w", ctx.Err())
	}
}

// run performs one fetch and hands its outcome to every waiting caller.
func (c *tokenCache) run(ctx context.Context, f *tokenFetch) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	tok, err := c.await(ctx)
	c.mu.Lock()
	c.inflight = nil
	c.mu.Unlock()
	f.tok, f.err = tok, err
	if err != nil {
		f.tok = nil
		if c.logger != nil {
			// err carries Zoom's reason and never a credential (tokenError scrubbed it).
			c.logger.LogAttrs(ctx, slog.LevelWarn, "zoomusers: getting an access token failed", slog.String("error", err.Error()))
		}
	}
	close(f.done)
}

// await returns the outcome of the running obtain, or of one it starts, and gives up when
// ctx ends even if the obtain does not: a caller's oauth2.TokenSource takes no context, and
// a save function or store may ignore theirs. An abandoned obtain goes on in the background,
// and a token it brings is kept (with user OAuth the save function has already persisted
// it, and its refresh token is the only live one); the next fetch asks again (see work).
func (c *tokenCache) await(ctx context.Context) (*oauth2.Token, error) {
	for {
		c.mu.Lock()
		w := c.work
		joined := w != nil
		if w == nil || (w.abandoned && c.hung < maxHungObtains) {
			w = &tokenFetch{done: make(chan struct{})}
			c.work = w
			joined = false
			go c.perform(ctx, w)
		}
		c.mu.Unlock()
		if !ready(ctx, w.done) {
			c.mu.Lock()
			if !w.abandoned {
				w.abandoned = true
				c.hung++
			}
			c.mu.Unlock()
			if joined {
				return nil, c.timedOut("has not answered a request started earlier", ctx.Err())
			}
			return nil, c.timedOut("did not answer", ctx.Err())
		}
		if w.err != nil && joined && ctx.Err() == nil {
			// The earlier obtain failed, perhaps on the deadline of the fetch that started
			// it: this fetch asks again with its own.
			continue
		}
		if errors.Is(w.err, context.DeadlineExceeded) && ctx.Err() != nil {
			// A source that heeds ctx gave up on the bound, as late as this wait would.
			return nil, c.timedOut("did not answer", w.err)
		}
		return w.tok, w.err
	}
}

// timedOut is the error of a fetch that ran out of c.timeout: it names the source.
func (c *tokenCache) timedOut(what string, err error) error {
	return fmt.Errorf("zoomusers: %s (or the token store) %s within %s: %w", c.src.name, what, c.timeout, err)
}

// ready waits for done or for ctx to end, and reports whether done was closed. When both
// happen together the answer wins: it may be a rotated token already persisted.
func ready(ctx context.Context, done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	case <-ctx.Done():
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
}

// perform runs one obtain into w and keeps its token, whether or not anyone still waits.
func (c *tokenCache) perform(ctx context.Context, w *tokenFetch) {
	tok, renewAt, err := c.obtain(ctx)
	c.mu.Lock()
	if err == nil {
		c.tok, c.renewAt = tok, renewAt
	}
	if w.abandoned {
		c.hung--
	}
	if c.work == w {
		c.work = nil
	}
	c.mu.Unlock()
	w.tok, w.err = tok, err
	close(w.done)
}

// obtain returns a token and when to replace it: the store's when it is usable, else a
// new one fetched under the store's lock and stored before it is returned.
func (c *tokenCache) obtain(ctx context.Context) (*oauth2.Token, time.Time, error) {
	if tok, renewAt, err := c.load(ctx); tok != nil || err != nil {
		return tok, renewAt, err
	}
	unlock, err := c.store.Lock(ctx)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("zoomusers: token store: waiting for the refresh lock: %w", err)
	}
	defer unlock()
	// Another client may have stored a token while this one waited for the lock.
	stored, err := c.store.Load(ctx)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("zoomusers: token store: loading the token: %w", err)
	}
	if renewAt, ok := c.usable(stored); ok {
		return stored, renewAt, nil
	}
	started := c.now()
	pending := c.pendingToken()
	if pending == nil {
		if stored != nil && c.src.adopt != nil {
			c.src.adopt(stored)
		}
		fetchStart := time.Now()
		tok, err := c.src.fetch(ctx)
		if err == nil && (tok == nil || tok.AccessToken == "") {
			err = errors.New("zoomusers: token endpoint returned no access token")
		}
		if err != nil {
			// Scrubbed of credentials here, where the token endpoint answered: the store's
			// errors stay as they are, for errors.As.
			err = tokenError(err, c.src.secrets())
			tokenFetched(ctx, fetchStart, err)
			return nil, time.Time{}, err
		}
		tokenFetched(ctx, fetchStart, nil)
		if tok.ExpiresIn == 0 && !tok.Expiry.IsZero() {
			// Record the lifetime for the clients that read the token from the store: they
			// renew it as early as this one will (x/oauth2 leaves expires_in out of
			// client-credentials tokens).
			cp := *tok
			cp.ExpiresIn = int64(tok.Expiry.Sub(started).Round(time.Second) / time.Second)
			tok = &cp
		}
		pending = tok
		c.setPending(tok)
	}
	if err := c.store.Save(ctx, pending); err != nil {
		return nil, time.Time{}, fmt.Errorf("%w: token store: %w", errSaveToken, err)
	}
	tok := pending
	c.clearPending(tok)
	// A token without a usable lifetime (none, or one already over) is kept until the API
	// rejects it, rather than fetched again for every request.
	var renewAt time.Time
	if lifetime := tok.Expiry.Sub(started); !tok.Expiry.IsZero() && lifetime > 0 {
		renewAt = tok.Expiry.Add(-earlyRenewal(lifetime))
	}
	return tok, renewAt, nil
}

// pendingToken, setPending and clearPending guard pending: two obtains may run at once
// when one hangs.
func (c *tokenCache) pendingToken() *oauth2.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending
}

func (c *tokenCache) setPending(tok *oauth2.Token) {
	c.mu.Lock()
	c.pending = tok
	c.mu.Unlock()
}

// clearPending forgets tok once the store took it, unless another obtain has put a newer
// token there since.
func (c *tokenCache) clearPending(tok *oauth2.Token) {
	c.mu.Lock()
	if c.pending == tok {
		c.pending = nil
	}
	c.mu.Unlock()
}

// load returns the store's token if it is usable.
func (c *tokenCache) load(ctx context.Context) (*oauth2.Token, time.Time, error) {
	if c.pendingToken() != nil {
		return nil, time.Time{}, nil // a token of ours waits to be stored
	}
	tok, err := c.store.Load(ctx)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("zoomusers: token store: loading the token: %w", err)
	}
	if renewAt, ok := c.usable(tok); ok {
		return tok, renewAt, nil
	}
	return nil, time.Time{}, nil
}

// usable reports whether a stored token may serve calls, and until when: not one the API
// refused, nor one due for renewal. Its lifetime is the expires_in it came with, or else
// what is left of it.
func (c *tokenCache) usable(tok *oauth2.Token) (time.Time, bool) {
	if tok == nil || tok.AccessToken == "" {
		return time.Time{}, false
	}
	c.mu.Lock()
	rejected := tok.AccessToken == c.rejected
	c.mu.Unlock()
	if rejected {
		return time.Time{}, false
	}
	if tok.Expiry.IsZero() {
		return time.Time{}, true
	}
	now := c.now()
	lifetime := tok.Expiry.Sub(now)
	if tok.ExpiresIn > 0 {
		lifetime = time.Duration(tok.ExpiresIn) * time.Second
	}
	renewAt := tok.Expiry.Add(-earlyRenewal(lifetime))
	return renewAt, now.Before(renewAt)
}

// invalidate drops tok if it is still the cached token, so the next Token call fetches,
// and keeps the store from handing it out again.
func (c *tokenCache) invalidate(tok *oauth2.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tok != nil {
		c.rejected = tok.AccessToken
	}
	if c.tok != nil && tok != nil && c.tok.AccessToken == tok.AccessToken {
		c.tok = nil
	}
}

// serverToServerSource fetches tokens with Zoom's Server-to-Server OAuth: client
// credentials in the Basic header, grant_type=account_credentials and account_id in the
// form body. x/oauth2 lets the client-credentials flow override grant_type for exactly
// this kind of grant. cfg.TokenSource would cache behind tokenCache's back.
func serverToServerSource(accountID, clientID, clientSecret, tokenURL string, hc *http.Client) tokenFetcher {
	cfg := &clientcredentials.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		TokenURL:     tokenURL,
		AuthStyle:    oauth2.AuthStyleInHeader,
		EndpointParams: url.Values{
			"grant_type": {"account_credentials"},
			"account_id": {accountID},
		},
	}
	return tokenFetcher{
		name: "the token endpoint",
		fetch: func(ctx context.Context) (*oauth2.Token, error) {
			return cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, hc))
		},
		secrets: func() []string { return []string{clientSecret, basicAuth(clientID, clientSecret)} },
	}
}

// staticSource adapts a caller's oauth2.TokenSource, which takes no context: callers
// still stop waiting on their own contexts, and tokenCache.await bounds it like any source.
func staticSource(ts oauth2.TokenSource) tokenFetcher {
	return tokenFetcher{
		name:    "the token source (WithTokenSource)",
		fetch:   func(context.Context) (*oauth2.Token, error) { return ts.Token() },
		secrets: func() []string { return nil },
	}
}

// TokenSaver persists a rotated user OAuth token. It is called with every new token
// before the token is used; the refresh token it replaces is already dead.
type TokenSaver func(ctx context.Context, tok *oauth2.Token) error

// rotatingSource refreshes user OAuth tokens, handing each new one to save before it is
// used: Zoom invalidates a refresh token as soon as it is used. tokenCache calls it only
// when a new access token is needed, so every call but the first refreshes.
type rotatingSource struct {
	cfg        *oauth2.Config
	httpClient *http.Client
	save       TokenSaver

	mu      sync.Mutex
	current *oauth2.Token
	initial bool // current is the caller's token, not yet handed out
	unsaved bool // current was refreshed but saving it failed

	// known lists the secrets of current, replaced with it: read without mu, so that an
	// error can be scrubbed while a refresh holds mu (a save function may hang).
	known atomic.Pointer[[]string]
}

func newRotatingSource(cfg *oauth2.Config, hc *http.Client, save TokenSaver, tok *oauth2.Token) *rotatingSource {
	s := &rotatingSource{cfg: cfg, httpClient: hc, save: save, initial: true}
	s.setCurrent(tok)
	return s
}

func (s *rotatingSource) fetcher() tokenFetcher {
	return tokenFetcher{name: "the token endpoint", fetch: s.token, secrets: s.secrets, adopt: s.adopt}
}

// setCurrent makes tok the token to refresh from; s.mu is held, or s is not shared yet.
func (s *rotatingSource) setCurrent(tok *oauth2.Token) {
	s.current = tok
	known := []string{s.cfg.ClientSecret, basicAuth(s.cfg.ClientID, s.cfg.ClientSecret), tok.RefreshToken, tok.AccessToken}
	s.known.Store(&known)
}

// adopt makes tok, which another client refreshed and stored, the one to refresh from,
// unless this source holds a newer token of its own that could not be saved yet.
// tokenCache calls it only from obtain, never while a refresh of its own is running.
func (s *rotatingSource) adopt(tok *oauth2.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unsaved || tok.RefreshToken == "" {
		return
	}
	s.setCurrent(tok)
	s.initial = false
}

// secrets lists what must never appear in an error: the app's secret and the tokens.
func (s *rotatingSource) secrets() []string {
	return *s.known.Load()
}

// basicAuth is the credential of an Authorization: Basic header as x/oauth2 writes it,
// so that an endpoint echoing the header cannot leak the secret in that form either.
func basicAuth(id, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}

func (s *rotatingSource) token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.httpClient)
	if s.unsaved {
		// A refreshed token could not be saved earlier: save it before anything uses it.
		if err := s.save(ctx, s.current); err != nil {
			return nil, fmt.Errorf("%w: %w", errSaveToken, err)
		}
		s.unsaved = false
		return s.current, nil
	}
	if s.initial {
		s.initial = false
		if s.current.AccessToken != "" && (s.current.Expiry.IsZero() || time.Until(s.current.Expiry) > time.Minute) {
			return s.current, nil
		}
	}
	if s.current.RefreshToken == "" {
		return nil, errors.New("zoomusers: user OAuth access token is no longer valid and there is no refresh token")
	}
	expired := &oauth2.Token{RefreshToken: s.current.RefreshToken, Expiry: time.Unix(1, 0)}
	tok, err := s.cfg.TokenSource(ctx, expired).Token()
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = s.current.RefreshToken
	}
	s.setCurrent(tok)
	if err := s.save(ctx, tok); err != nil {
		s.unsaved = true
		return nil, fmt.Errorf("%w: %w", errSaveToken, err)
	}
	return tok, nil
}

// errSaveToken marks a failure of the caller's TokenSaver.
var errSaveToken = errors.New("zoomusers: saving rotated token")

// errNoCredentials is returned by New when no way to authenticate was given.
var errNoCredentials = errors.New("zoomusers: no credentials: use WithServerToServer, WithUserOAuth, WithTokenSource or WithAccessToken")
