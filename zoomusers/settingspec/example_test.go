package settingspec_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/settingspec"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// Check a settings change before any request, then send it and read it back key by key.
func Example() {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1)) // u0@example.com
	defer srv.Close()
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}

	// A misspelt key is refused locally, naming the nearest real ones.
	_, err = settingspec.Check(map[string]any{"schedule_meeting.host_vidoe": true})
	var unknown *settingspec.UnknownError
	fmt.Println("typo refused:", errors.As(err, &unknown))

	// A text value from a command line or a CSV cell, parsed to the type the spec declares.
	f, err := settingspec.Lookup("schedule_meeting.host_video")
	if err != nil {
		log.Fatal(err)
	}
	v, err := f.Parse("true")
	if err != nil {
		log.Fatal(err)
	}
	outcomes, err := settingspec.ApplyAndReadBack(context.Background(), c.User("u0@example.com"),
		map[string]any{f.Path: v}, settingspec.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range outcomes {
		fmt.Printf("%s = %v applied=%v\n", o.Path, o.Got, o.Applied)
	}
	// Output:
	// typo refused: true
	// schedule_meeting.host_video = true applied=true
}
