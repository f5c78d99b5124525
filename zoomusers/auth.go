package zoomusers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
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

// tokenError turns x/oauth2's error into a *TokenError with Zoom's reason.
func tokenError(err error) error {
	if errors.Is(err, errSaveToken) {
		return err // the token came; keeping it failed
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return fmt.Errorf("zoomusers: token request failed: %w", err)
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
	return te
}

// tokenCache hands out one token to every concurrent caller, fetches a new one shortly
// before expiry, and drops a token the API rejected.
type tokenCache struct {
	src     oauth2.TokenSource
	mu      sync.Mutex
	tok     *oauth2.Token
	renewAt time.Time // when tok is replaced; zero for a token without expiry
	now     func() time.Time
}

func newTokenCache(src oauth2.TokenSource) *tokenCache {
	return &tokenCache{src: src, now: time.Now}
}

// earlyRenewal is how long before expiry a token is replaced: a tenth of its life,
// at most a minute, so that a token never expires in flight.
func earlyRenewal(lifetime time.Duration) time.Duration {
	return min(lifetime/10, time.Minute)
}

// Token returns the cached token, fetching a new one when it is missing or due for renewal.
func (c *tokenCache) Token() (*oauth2.Token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.tok != nil && (c.renewAt.IsZero() || now.Before(c.renewAt)) {
		return c.tok, nil
	}
	tok, err := c.src.Token()
	if err != nil {
		return nil, tokenError(err)
	}
	if tok.AccessToken == "" {
		return nil, errors.New("zoomusers: token endpoint returned no access token")
	}
	c.tok, c.renewAt = tok, time.Time{}
	if !tok.Expiry.IsZero() {
		c.renewAt = tok.Expiry.Add(-earlyRenewal(tok.Expiry.Sub(now)))
	}
	return c.tok, nil
}

// invalidate drops tok if it is still the cached token, so the next Token call fetches.
func (c *tokenCache) invalidate(tok *oauth2.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && tok != nil && c.tok.AccessToken == tok.AccessToken {
		c.tok = nil
	}
}

// serverToServerSource returns the token source of Zoom's Server-to-Server OAuth:
// client credentials in the Basic header, grant_type=account_credentials and account_id
// in the form body. x/oauth2 lets the client-credentials flow override grant_type for
// exactly this kind of grant.
func serverToServerSource(accountID, clientID, clientSecret, tokenURL string, hc *http.Client) oauth2.TokenSource {
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
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, hc)
	// cfg.TokenSource would cache behind our back; tokenCache must be able to force a fetch.
	return tokenSourceFunc(func() (*oauth2.Token, error) { return cfg.Token(ctx) })
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

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
}

func (s *rotatingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, s.httpClient)
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
	s.current = tok
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
