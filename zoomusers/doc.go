// Package zoomusers is a client for Zoom's Users API: provisioning, profiles, status,
// assistants and schedulers, settings, uploads, presence and tokens.
//
// Create one Client per set of credentials and share it:
//
//	c, err := zoomusers.New(zoomusers.WithServerToServer(accountID, clientID, clientSecret))
//
// New takes Options (type Option): credentials (WithServerToServer, WithUserOAuth,
// WithTokenSource, WithAccessToken), endpoints (WithBaseURL, WithTokenURL: a fake such
// as zoomtest), transport and limits (WithHTTPClient, WithRetryPolicy, WithPacing,
// WithLimiter, WithTokenStore, WithMaxResponseBytes, WithHeader, WithUserAgent) and
// observation (WithLogger, WithHooks, WithDriftHandler).
//
// Every operation method takes Options after its arguments too, for that call alone:
// WithResponseInto captures the HTTP answer (status, rate-limit headers, tracking ID,
// body) of a success or a failure, WithHeader adds a header, WithRetryPolicy replaces the
// retry policy, so that WithRetryPolicy(NoRetries) sends one POST once:
//
//	var resp zoomusers.Response
//	u, err := c.User(id).Get(ctx, nil, zoomusers.WithResponseInto(&resp))
//	remaining := resp.RateLimit.Remaining
//
// Account-wide operations are methods of Client; operations on one user are methods of
// the handle c.User(idOrEmail), or c.Me() for the user behind a user-level OAuth token.
// Lists are iterated with range over a pager's All or Pages.
//
// Errors from Zoom are *Error values; match them with errors.Is against ErrNotFound,
// ErrUnauthorized, ErrForbidden, ErrConflict and ErrRateLimited, or reach Zoom's code,
// message and tracking ID with errors.As. Transient failures are retried as
// DefaultRetryPolicy describes. A per-second 429 teaches the client to pace that rate-limit
// label from then on, and a daily-limit 429 is remembered until Zoom's Retry-After;
// WithPacing paces from the start. Replicas sharing one account share a Limiter and a
// TokenStore (package zoomredis). WithHooks reports every call, attempt, wait and token
// fetch (package zoomotel turns them into OpenTelemetry spans and metrics).
//
// Model types are those generated from api/openapi.yaml into package gen, under the
// aliases declared here; optional fields have accessors (u.GetEmail()) and Ptr builds
// pointers for requests. An enum's constants are listed under its type (UserType,
// UserTypeBasic, ...).
//
// # Files
//
// Where things live, for a reader of the source:
//
//	client.go      Client, New, the options, and the attempt loop every call goes through
//	option.go      per-call options: WithResponseInto, WithHeader, Response
//	auth.go        tokens: Server-to-Server, user OAuth, TokenStore, TokenError
//	pacing.go      rate-limit labels, plans, Limiter and the local one; WithPacing
//	retry.go       RetryPolicy and DefaultRetryPolicy
//	errors.go      Error, FieldError, RateLimit and the sentinel errors
//	hooks.go       Hooks: what a call, an attempt, a wait and a token fetch report
//	users.go       account-wide calls and the UserHandle calls on one user
//	settings.go    settings, their variants, and PatchSettings's read-back
//	obf.go         On-Behalf-Of tokens for Meeting SDK apps (Me().OnBehalfToken)
//	pager.go       ListUsers and its pager (All, Pages)
//	upload.go      picture and virtual background uploads, streamed
//	answer.go      reading an answer: size bound, empty body, drift reported
//	drift.go       Drift, DriftAction and WithDriftHandler
//	undeclared.go  Undeclared: keys of an answer the model does not declare
//	tokeninfo.go   TokenInfo: the token's region (api_url) and granted scopes
//	operations.go  OperationID and the operation table (operations_gen.go, generated)
//	models.go      the model aliases over gen (models_gen.go, generated)
//	params.go      parameters of calls that take some
//	request.go     the first attempt's request; path.go builds path-only requests
//	ids.go         user ID checks; origin.go credential URL checks; ptr.go Ptr
//
// Decoding itself (encoding/json/v2 and the repair pass that turns values which do not
// fit the model into Drift) is in the internal package internal/decoding.
package zoomusers

//go:generate go run ../internal/cmd/genops -spec ../api/openapi.yaml -out operations_gen.go
//go:generate go run ../internal/cmd/genmodels -spec ../api/openapi.yaml -in ../gen/zoom.gen.go -roots models.go -aliases models_gen.go
