package zoomusers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/gen"
)

// Version is this library's version, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultBaseURL is Zoom's API endpoint.
const DefaultBaseURL = "https://api.zoom.us/v2"

// Client calls Zoom's Users API. It is safe for concurrent use; create one per set of
// credentials and share it.
type Client struct {
	api       *gen.Client
	http      *http.Client
	tokens    *tokenCache
	retry     RetryPolicy
	pacer     *pacer
	logger    *slog.Logger
	userAgent string // the User-Agent value of every request (request.go)
	maxBody   int64
	exchange  *exchangeTimeout // bounds one attempt, request to answer read; nil: the HTTP client's own bounds

	driftHandler func(context.Context, Drift)
	hooks        hooks

	auth authHeader // the Authorization value of the latest token (request.go)

	header http.Header // WithHeader's, on every request (option.go)
}

type config struct {
	baseURL, tokenURL string
	httpClient        *http.Client
	source            func(hc *http.Client, tokenURL string) (tokenFetcher, error)
	pacing            *pacingConfig
	limiter           Limiter
	tokenStore        TokenStore
	logger            *slog.Logger
	userAgent         string
	driftHandler      func(context.Context, Drift)
	hooks             hooks

	callConfig // what an Option may also set for one call (option.go)
}

type pacingConfig struct {
	plan  Plan
	share float64
}

// Option configures a Client, given to New, or one call, given after an operation
// method's arguments: c.User(id).Get(ctx, nil, zoomusers.WithResponseInto(&resp)).
// WithResponseInto, WithHeader, WithRetryPolicy and WithMaxResponseBytes work per call
// (WithResponseInto only per call); the others configure the client, and a call given
// one fails before sending.
type Option func(*config) error

// WithServerToServer authenticates with Zoom's Server-to-Server OAuth app credentials,
// the usual choice for back-end services.
func WithServerToServer(accountID, clientID, clientSecret string) Option {
	return func(c *config) error {
		if accountID == "" || clientID == "" || clientSecret == "" {
			return errors.New("zoomusers: WithServerToServer needs an account ID, a client ID and a client secret")
		}
		c.source = func(hc *http.Client, tokenURL string) (tokenFetcher, error) {
			return serverToServerSource(accountID, clientID, clientSecret, tokenURL, hc), nil
		}
		return nil
	}
}

// WithUserOAuth authenticates as the user who authorized cfg's app and granted tok.
// Zoom rotates the refresh token on every refresh, so each new token is passed to save
// before it is used; persist it there. If save fails, the call fails and the new token
// is offered to save again on the next call.
func WithUserOAuth(cfg *oauth2.Config, tok *oauth2.Token, save TokenSaver) Option {
	return func(c *config) error {
		if cfg == nil || tok == nil || save == nil {
			return errors.New("zoomusers: WithUserOAuth needs a config, a token and a save function")
		}
		c.source = func(hc *http.Client, tokenURL string) (tokenFetcher, error) {
			conf := *cfg
			if conf.Endpoint.TokenURL == "" {
				conf.Endpoint.TokenURL = tokenURL
			} else if _, err := parseCredentialURL(conf.Endpoint.TokenURL); err != nil {
				return tokenFetcher{}, fmt.Errorf("zoomusers: WithUserOAuth token URL: %w", err)
			}
			return newRotatingSource(&conf, hc, save, tok).fetcher(), nil
		}
		return nil
	}
}

// WithTokenSource authenticates with tokens from ts. After a 401 for an invalid token the
// client asks ts for a token again, once; a source that caches must then return a new one.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("zoomusers: WithTokenSource needs a token source")
		}
		c.source = func(*http.Client, string) (tokenFetcher, error) { return staticSource(ts), nil }
		return nil
	}
}

// WithAccessToken authenticates with a fixed access token obtained elsewhere.
func WithAccessToken(token string) Option {
	return func(c *config) error {
		if token == "" {
			return errors.New("zoomusers: WithAccessToken needs a token")
		}
		return WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"}))(c)
	}
}

// WithBaseURL sets the API's base URL; DefaultBaseURL when not given. Access tokens are
// sent only there, so it must be https, or plain http on a loopback address (for tests
// and fakes such as zoomtest).
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if _, err := parseCredentialURL(u); err != nil {
			return fmt.Errorf("zoomusers: WithBaseURL: %w", err)
		}
		c.baseURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithTokenURL sets the OAuth token endpoint; DefaultTokenURL when not given. Client
// secrets and refresh tokens are sent there, so it must be https, or plain http on a
// loopback address.
func WithTokenURL(u string) Option {
	return func(c *config) error {
		if _, err := parseCredentialURL(u); err != nil {
			return fmt.Errorf("zoomusers: WithTokenURL: %w", err)
		}
		c.tokenURL = u
		return nil
	}
}

// WithHTTPClient sets the HTTP client for API and token requests. Its Transport, Jar and
// Timeout are used as they are; authentication, retries and pacing are added by the
// Client, and so is a redirect policy that never carries credentials to another origin
// or to plain http (the client's own CheckRedirect, if any, is consulted after it).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("zoomusers: WithHTTPClient needs a client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetryPolicy replaces the retry policy (DefaultRetryPolicy{} when not given), of the
// client or of one call. Pass NoRetries to turn retrying off: per call,
// WithRetryPolicy(NoRetries) sends a write once while the client's other calls retry.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if p == nil {
			p = NoRetries
		}
		c.retry = p
		return nil
	}
}

// WithPacing spaces requests from the first one so that they stay under the account
// plan's rate limits for each operation's label. share is the fraction of the account's
// limits this client may use, in (0, 1]: the limits are shared by every app on the account
// (replicas sharing a Limiter count as one client). Without WithPacing a client paces a
// label from its first per-second 429 on, at the limit Zoom states. Either way the n
// requests a limit allows per second leave over 1.03 seconds, so that network jitter does
// not push one past Zoom's sliding window.
func WithPacing(plan Plan, share float64) Option {
	return func(c *config) error {
		if share <= 0 || share > 1 {
			return fmt.Errorf("zoomusers: WithPacing share %v is not in (0, 1]", share)
		}
		c.pacing = &pacingConfig{plan: plan, share: share}
		return nil
	}
}

// WithLogger logs every attempt at debug level: method, path, status, duration, tracking
// ID and attempt number. Tokens and secrets are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithUserAgent puts product, such as "my-service/1.2", before the library's own
// User-Agent.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		c.userAgent = product
		return nil
	}
}

// DefaultMaxResponseBytes bounds a successful answer's body unless WithMaxResponseBytes
// says otherwise: ten times the largest answer Zoom documents, a page of 2,000 users with
// custom attributes (about 3 MB).
const DefaultMaxResponseBytes = 32 << 20

// WithMaxResponseBytes bounds how much of a successful answer is read, by the client or
// for one call; a longer one fails with ErrResponseTooLarge instead of filling memory.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("zoomusers: WithMaxResponseBytes %d is not positive", n)
		}
		c.maxBody = n
		return nil
	}
}

// New returns a Client. One authentication option is required.
func New(opts ...Option) (*Client, error) {
	cfg := config{baseURL: DefaultBaseURL, tokenURL: DefaultTokenURL, callConfig: callConfig{retry: DefaultRetryPolicy{}, maxBody: DefaultMaxResponseBytes}}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.response != nil {
		return nil, errors.New("zoomusers: WithResponseInto captures one call's answer: give it to that call, not to New")
	}
	if cfg.source == nil {
		return nil, errNoCredentials
	}
	hc := cfg.httpClient
	var exchange *exchangeTimeout
	if hc == nil {
		hc, exchange = defaultHTTPClient(), Ptr(exchangeTimeout(defaultExchangeTimeout))
	}
	hc = withRedirectPolicy(hc)
	src, err := cfg.source(hc, cfg.tokenURL)
	if err != nil {
		return nil, err
	}
	ua := "go-zoomusers/" + Version
	if cfg.userAgent != "" {
		ua = cfg.userAgent + " " + ua
	}
	c := &Client{
		http:      hc,
		tokens:    newTokenCache(src, cfg.logger, cfg.tokenStore),
		retry:     cfg.retry,
		logger:    cfg.logger,
		userAgent: ua,
		header:    cfg.header,
		maxBody:   cfg.maxBody,
		exchange:  exchange,

		driftHandler: cfg.driftHandler,
		hooks:        cfg.hooks,
	}
	c.pacer = newPacer(cfg.pacing, cfg.limiter)
	api, err := gen.NewClient(cfg.baseURL, gen.WithHTTPClient(doer{c}))
	if err != nil {
		return nil, fmt.Errorf("zoomusers: %w", err)
	}
	c.api = api
	return c, nil
}

// defaultHTTPClient bounds the size of an answer's headers (Zoom's are a few kilobytes;
// net/http alone would accept 10 MB). The time a server can hold an exchange is bounded
// by the attempt loop (defaultExchangeTimeout), not by http.Client.Timeout, which costs
// a goroutine, two channels and a timer per request (about 8% of a GET) for the same
// bound.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxResponseHeaderBytes = 256 << 10
	return &http.Client{Transport: t}
}

// defaultExchangeTimeout bounds one attempt of the default HTTP client, from sending the
// request to reading the last byte of the answer: a server that stalls or trickles its
// answer fails the attempt, over HTTP/1.1 and HTTP/2 alike, and a call that may be
// retried is.
const defaultExchangeTimeout = 2 * time.Minute

// exchangeTimeout is the cause of an attempt that ran out of its exchange time. Like
// net/http's own timeouts, it is a timeout (net.Error) and context.DeadlineExceeded.
type exchangeTimeout time.Duration

func (e *exchangeTimeout) Error() string {
	return "no complete answer within " + time.Duration(*e).String()
}
func (*exchangeTimeout) Is(target error) bool { return target == context.DeadlineExceeded }
func (*exchangeTimeout) Timeout() bool        { return true }
func (*exchangeTimeout) Temporary() bool      { return true }

// bound returns ctx bounded by the exchange time of one attempt, and the function that
// releases it once the answer is read or dropped.
func (c *Client) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.exchange == nil {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, time.Duration(*c.exchange), c.exchange)
}

type opKey struct{}

// call marks ctx with the operation a request belongs to, for pacing, logs and decoding,
// and with the call's options (option.go).
func call(ctx context.Context, op OperationID, opts ...Option) context.Context {
	return withCallOptions(context.WithValue(ctx, opKey{}, op), opts)
}

// operationOf returns the operation that call marked ctx with.
func operationOf(ctx context.Context) OperationID {
	op, _ := ctx.Value(opKey{}).(OperationID)
	return op
}

// doer is the generated client's HTTP layer: every request of every operation passes
// through do, once per attempt.
type doer struct{ c *Client }

func (d doer) Do(req *http.Request) (*http.Response, error) { return d.c.do(req) }

// do sends one call's request, with as many attempts as it takes, and reports the call
// to the hooks; a successful answer's call ends when decode or done is through with it.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	co := callOptionsOf(req.Context())
	if co != nil && co.response != nil {
		*co.response = Response{} // nothing of an earlier call survives a failure before sending
	}
	if co != nil && co.err != nil {
		return nil, co.err
	}
	ctx, state := c.hooks.startCall(req.Context(), operationOf(req.Context()), req.Method)
	resp, err := c.attempt(ctx, req, state, co)
	if err != nil {
		endCall(ctx, err)
	}
	return resp, err
}

func (c *Client) attempt(ctx context.Context, req *http.Request, state *callState, co *callOptions) (*http.Response, error) {
	opID := operationOf(ctx)
	op := operations[opID]
	retry, maxBody := co.retryPolicy(c.retry), co.maxBodyOr(c.maxBody)
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	reauthorized := false
	if err := c.pacer.refuse(ctx, opID, req.Method, req.URL.Path); err != nil {
		return nil, err // a daily limit Zoom stated earlier still holds
	}
	for attempt := 1; ; attempt++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, err
		}
		// Pace only once the token is in hand: a slow token fetch must not release a
		// burst of requests that all waited for it.
		paceStart := time.Now()
		paced, err := c.pacer.wait(ctx, op.Label)
		if paced {
			state.waited(ctx, WaitPacing, paceStart)
		}
		if err != nil {
			return nil, fmt.Errorf("zoomusers: %s: %w", opID, err)
		}
		exchange, release := c.bound(ctx)
		r, err := c.prepare(exchange, req, attempt, tok.AccessToken)
		if err != nil {
			release()
			return nil, err
		}
		if c.header != nil || co != nil {
			setHeaders(r, c.header, co)
		}
		start := time.Now()
		resp, err := c.http.Do(r)
		c.logAttempt(ctx, r, opID, attempt, resp, start, err)
		if err != nil {
			if ctx.Err() == nil && exchange.Err() != nil && !errors.Is(err, c.exchange) {
				err = fmt.Errorf("%w: %w", c.exchange, err) // name the bound that ended it
			}
			release()
			state.attemptDone(ctx, r, attempt, nil, start, err)
			co.recordAttempts(attempt)
			err = fmt.Errorf("zoomusers: %s: %w", opID, err)
			if ctx.Err() != nil || errors.Is(err, ErrRedirectRefused) {
				return nil, err
			}
			wait, again := retry.Backoff(Attempt{Number: attempt, Method: req.Method, Replayable: replayable, Err: err})
			if !again {
				return nil, err
			}
			if err := c.sleep(ctx, state, wait, err); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			state.attemptDone(ctx, r, attempt, resp, start, nil)
			co.recordAnswer(resp, attempt, nil)
			resp.Body = &cappedBody{ReadCloser: resp.Body, left: maxBody, max: maxBody, release: release}
			return resp, nil
		}
		body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		release()
		if readErr != nil && ctx.Err() != nil {
			return nil, fmt.Errorf("zoomusers: %s: reading a %d answer: %w", opID, resp.StatusCode, ctx.Err())
		}
		apiErr := parseError(req.Method, req.URL.Path, resp.StatusCode, resp.Header, body)
		if apiErr.StatusCode == http.StatusTooManyRequests {
			apiErr.AccountCap = c.pacer.accountCap(ctx, op)
		}
		state.attemptDone(ctx, r, attempt, resp, start, apiErr)
		co.recordAnswer(resp, attempt, body)
		c.pacer.observe(ctx, op, apiErr)
		if resp.StatusCode == http.StatusUnauthorized && apiErr.Code == CodeInvalidToken && !reauthorized && replayable {
			// The token expired or was revoked early: fetch another and try once more.
			reauthorized = true
			c.tokens.invalidate(tok)
			continue
		}
		wait, again := retry.Backoff(Attempt{Number: attempt, Method: req.Method, Replayable: replayable, APIError: apiErr})
		if !again {
			return nil, apiErr
		}
		if err := c.sleep(ctx, state, wait, apiErr); err != nil {
			return nil, err
		}
	}
}

// sleep is the wait between attempts, reported to the hooks.
func (c *Client) sleep(ctx context.Context, state *callState, d time.Duration, last error) error {
	start := time.Now()
	err := sleep(ctx, d, last)
	state.waited(ctx, WaitRetry, start)
	return err
}

func (c *Client) logAttempt(ctx context.Context, r *http.Request, opID OperationID, attempt int, resp *http.Response, start time.Time, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", string(opID)),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("tracking_id", resp.Header.Get("X-Zm-Trackingid")))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "zoomusers: request", attrs...)
}
