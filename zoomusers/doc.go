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
// DefaultRetryPolicy describes; WithPacing keeps requests under the account's rate limits.
//
// Model types are those generated from api/openapi.yaml into package gen, under the
// aliases declared here.
package zoomusers

//go:generate go run ../internal/cmd/genops -spec ../api/openapi.yaml -out operations_gen.go
//go:generate go run ../internal/cmd/genmodels -spec ../api/openapi.yaml -in ../gen/zoom.gen.go -roots models.go -aliases models_gen.go
