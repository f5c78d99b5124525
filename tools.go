//go:build tools

// Package tools pins the code generator in go.mod so that `go generate`
// always runs the same oapi-codegen version as the one that wrote gen/.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
