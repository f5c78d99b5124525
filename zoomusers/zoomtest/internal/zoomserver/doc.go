// Package zoomserver is the server side that oapi-codegen generates from api/openapi.yaml
// for the fake Zoom in package zoomtest: the strict server interface, its request and
// response types, and the embedded spec. The models are gen's, not a copy. Do not edit
// server.gen.go: run `go generate ./...`.
package zoomserver

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config codegen.yaml ../../../../api/openapi.yaml
