// Package gen holds the client and models that oapi-codegen generates from
// api/openapi.yaml. Do not edit zoom.gen.go: change the spec or codegen.yaml and
// run `go generate ./...`. Applications use package zoomusers, not this one.
package gen

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config ../codegen.yaml ../api/openapi.yaml
