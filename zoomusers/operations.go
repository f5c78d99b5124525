package zoomusers

import "slices"

// OperationID names an operation of Zoom's Users API by its operationId in
// api/openapi.yaml, such as OpUserCreate ("userCreate"). The constants are generated from
// the spec, so a misspelt operation does not compile.
type OperationID string

// Valid reports whether op is one of the spec's operations.
func (op OperationID) Valid() bool {
	_, ok := operations[op]
	return ok
}

// Label returns the operation's rate-limit label, or "" for an unknown operation.
func (op OperationID) Label() RateLimitLabel {
	return operations[op].Label
}

// operation is one row of the spec's operation table (operations_gen.go).
type operation struct {
	ID           OperationID
	Method, Path string
	Label        RateLimitLabel
	Scopes       []string // any one of them lets a token call it
}

// Method returns the operation's HTTP method, such as "GET", or "" for an unknown
// operation.
func (op OperationID) Method() string { return operations[op].Method }

// Path returns the operation's path template below the base URL, such as
// "/users/{userId}", or "" for an unknown operation.
func (op OperationID) Path() string { return operations[op].Path }

// Scopes returns the OAuth scopes the spec lists for the operation, classic and granular:
// a token holding any one of them may call it (Zoom answers 4700 or 4711 otherwise).
func (op OperationID) Scopes() []string { return slices.Clone(operations[op].Scopes) }

// Operations returns every operation of the spec, sorted by ID.
func Operations() []OperationID {
	ops := make([]OperationID, 0, len(operations))
	for op := range operations {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	return ops
}
