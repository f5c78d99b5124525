// Package zoomusers is a client for Zoom's Users API: provisioning, profiles, status,
// assistants and schedulers, settings, uploads, presence and tokens.
//
// Create one Client per set of credentials and share it:
//
//	c, err := zoomusers.New(zoomusers.WithServerToServer(accountID, clientID, clientSecret))
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
// pointers for requests.
package zoomusers

//go:generate go run ../internal/cmd/genops -spec ../api/openapi.yaml -out operations_gen.go
//go:generate go run ../internal/cmd/genmodels -spec ../api/openapi.yaml -in ../gen/zoom.gen.go -roots models.go -aliases models_gen.go
