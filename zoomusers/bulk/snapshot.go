package bulk

import (
	"context"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// Snapshot lists every user with the given statuses (active, inactive and pending when
// none are given) and returns them once the listing is complete.
//
// A job that changes users as it lists them (deactivating while ranging over the active
// users, say) loses some: Zoom pages by position, and each change shifts the users behind
// it forward by one, past the loop. List first, then change: that is what Snapshot is for.
// A listing takes one Medium request per 2,000 users; page tokens live 15 minutes, long
// enough for any account.
func Snapshot(ctx context.Context, c *zoomusers.Client, statuses ...zoomusers.UserStatus) ([]zoomusers.User, error) {
	return snapshot(ctx, c, nil, statuses...)
}

// snapshot is Snapshot reporting each page's size and the total to onPage.
func snapshot(ctx context.Context, c *zoomusers.Client, onPage func(n, total int), statuses ...zoomusers.UserStatus) ([]zoomusers.User, error) {
	if len(statuses) == 0 {
		statuses = []zoomusers.UserStatus{zoomusers.UserStatusActive, zoomusers.UserStatusInactive, zoomusers.UserStatusPending}
	}
	var users []zoomusers.User
	for _, st := range statuses {
		for page, err := range c.ListUsers(ctx, &zoomusers.ListUsersParams{Status: st, PageSize: 2000}).Pages() {
			if err != nil {
				return nil, err
			}
			for _, u := range page.Users {
				if u.Status == nil { // Zoom omits it at times; the filter says what it is
					u.Status = &st
				}
				users = append(users, u)
			}
			if onPage != nil {
				onPage(len(page.Users), page.TotalRecords)
			}
		}
	}
	return users, nil
}
