package zoomusers_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Keys newer than the spec: WithResponseInto keeps the answer's body, and Undeclared
// lists the keys the model has no field for, with their values as Zoom sent them. The
// fake's wild answers add settings Zoom sends and the spec does not declare.
func ExampleUndeclared() {
	fake := zoomtest.NewServer(zoomtest.WithWildAnswers())
	defer fake.Close()
	c, err := zoomusers.New(fake.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	var resp zoomusers.Response
	settings, err := c.User(zoomtest.OwnerEmail).Settings(context.Background(), nil, zoomusers.WithResponseInto(&resp))
	if err != nil {
		log.Fatal(err)
	}
	extra, err := zoomusers.Undeclared(resp.Body, settings)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range extra {
		fmt.Printf("%s = %s\n", k.Path, k.Value)
	}
	// Output:
	// in_meeting.wild_undocumented_setting = true
	// zoom_ai_companion = {"enable":true,"auto_start":false}
}
