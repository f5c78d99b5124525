// Package zoomapi is the server side that oapi-codegen generates from api/openapi.yaml for
// the fake Zoom in package zoomtest. Do not edit zoomapi.gen.go: run `go generate ./...`.
package zoomapi

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config codegen.yaml ../../../../api/openapi.yaml
//go:generate go run ../../../../internal/cmd/genmodels -package zoomapi -params -in zoomapi.gen.go -accessors accessors_gen.go
