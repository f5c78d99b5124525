// Package gen holds the client and models that oapi-codegen generates from
// api/openapi.yaml, with the models' accessors and enum String methods that
// internal/cmd/genmodels adds. Do not edit the *.gen.go and *_gen.go files: change the
// spec or codegen.yaml and run `go generate ./...`. Applications use package zoomusers,
// not this one; its model types are aliases of these.
package gen

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config ../codegen.yaml ../api/openapi.yaml
//go:generate go run ../internal/cmd/genmodels -spec ../api/openapi.yaml -in zoom.gen.go -accessors accessors_gen.go -stringers enums_gen.go
