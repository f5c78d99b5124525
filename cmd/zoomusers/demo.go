package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// demo runs a short admin session: list, create, get, update, settings, deactivate, delete.
func demo(ctx context.Context, e *env, args []string) error {
	if _, err := e.parse(flag.NewFlagSet("demo", flag.ContinueOnError), args); err != nil {
		return err
	}
	c, err := e.zoom()
	if err != nil {
		return err
	}
	step := func(title string) { fmt.Fprintf(e.stdout, "\n== %s\n", title) }
	const email = "demo.user@example.com"

	step("list the active users, five per request")
	if err := list(ctx, e, []string{"-page-size", "5"}); err != nil {
		return err
	}
	step("create " + email)
	if err := create(ctx, e, []string{"-email", email, "-first-name", "Demo", "-last-name", "User", "-type", "licensed", "-action", "autoCreate"}); err != nil {
		return err
	}
	step("get " + email)
	if err := get(ctx, e, []string{email}); err != nil {
		return err
	}
	step("update the job title and department")
	if err := update(ctx, e, []string{email, "-job-title", "Solutions Engineer", "-dept", "Field"}); err != nil {
		return err
	}
	if err := get(ctx, e, []string{email}); err != nil {
		return err
	}
	step("turn on host video for new meetings")
	if err := settings(ctx, e, []string{email, "-set", "schedule_meeting.host_video=true"}); err != nil {
		return err
	}
	s, err := c.User(email).Settings(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schedule_meeting.host_video is now %v\n", *s.ScheduleMeeting.HostVideo)
	step("deactivate, then delete for good")
	if err := setStatus(zoomusers.UserStatusActionDeactivate, "deactivated")(ctx, e, []string{email}); err != nil {
		return err
	}
	if err := deleteUser(ctx, e, []string{email, "-permanent", "-yes"}); err != nil {
		return err
	}
	step("get it again: Zoom's error, as the CLI prints it")
	_, err = c.User(email).Get(ctx, nil)
	fmt.Fprintln(e.stdout, describe(err))
	return nil
}
