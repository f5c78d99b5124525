package zoomusers

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/zoomkit/go-zoomusers/gen"
)

// ListUsersParams filters a listing of users. The same filters are sent with every page.
type ListUsersParams struct {
	Status        UserStatus   // active (Zoom's default), inactive or pending
	RoleID        string       // only users with this role
	License       License      // only users with this license
	IncludeFields IncludeField // add custom_attributes or host_key to each user
	PageSize      int          // users per request, 1 to 2000; 0 means 300
}

// DefaultPageSize is the page size ListUsers asks for when none is given: fewer round
// trips than Zoom's default of 30, and a page of bounded size.
const DefaultPageSize = 300

// UserPage is one page of a listing, with Zoom's page metadata.
type UserPage struct {
	Users []User
	// NextPageToken fetches the next page for 15 minutes; empty on the last page.
	NextPageToken string
	PageSize      int
	PageCount     int // may be 0: Zoom does not always send it
	PageNumber    int
	TotalRecords  int // may be 0: Zoom does not always send it
	// Repeated counts the users of this page that the page before already listed (same ID,
	// or same email for pending users, who have no ID in listings). Zoom occasionally
	// repeats a user across pages (ZOOM_FACTS.md "Behaviour seen in the field"; folio-sec's
	// Terraform provider removes them too): Users leaves them out, so a listing yields each
	// such user once, also when it is repeated on several pages in a row. A user with
	// neither ID nor email is never counted here: nothing shows it is the same user.
	Repeated int
}

// UserPager lists users page by page. Nothing is fetched until All or Pages is ranged
// over, and fetching stops when the loop stops.
//
// Zoom pages by position: a loop that changes what it lists (deactivating while ranging
// over the active users, say) skips the users that each change shifts forward. Such jobs
// list first, with bulk.Snapshot (package zoomusers/bulk), then change.
type UserPager struct {
	c      *Client
	ctx    context.Context
	params gen.UsersParams
	opts   []Option // every page's request takes them
	err    error
}

// ListUsers lists the account's users. params may be nil. opts apply to the request of
// every page: WithResponseInto holds the latest page's answer.
func (c *Client) ListUsers(ctx context.Context, params *ListUsersParams, opts ...Option) *UserPager {
	p := &UserPager{c: c, ctx: ctx, opts: opts}
	var lp ListUsersParams
	if params != nil {
		lp = *params
	}
	switch {
	case lp.PageSize == 0:
		lp.PageSize = DefaultPageSize
	case lp.PageSize < 1 || lp.PageSize > 2000:
		p.err = fmt.Errorf("zoomusers: ListUsers page size %d is not in 1..2000", lp.PageSize)
	}
	p.params.PageSize = &lp.PageSize
	if lp.Status != "" {
		p.params.Status = &lp.Status
	}
	if lp.RoleID != "" {
		p.params.RoleID = &lp.RoleID
	}
	if lp.License != "" {
		p.params.License = &lp.License
	}
	if lp.IncludeFields != "" {
		p.params.IncludeFields = &lp.IncludeFields
	}
	return p
}

// Pages yields each page in turn. It stops after the page with no next token, and
// yields an error, then stops, when a request fails, Zoom repeats a token, or a token
// has expired (errors.Is(err, ErrPageTokenExpired)). A user the page before already
// listed is dropped and counted in Repeated; only the previous page is remembered, so
// memory stays flat in the size of the account.
func (p *UserPager) Pages() iter.Seq2[*UserPage, error] {
	return func(yield func(*UserPage, error) bool) {
		if p.err != nil {
			yield(nil, p.err)
			return
		}
		params := p.params // each listing starts from the first page
		seen := map[string]bool{}
		var previous map[string]bool // keys of the page before: see UserPage.Repeated
		for page := 1; ; page++ {
			ctx := call(p.ctx, OpUsers, p.opts...)
			out, err := decode[gen.UserList](p.c)(p.c.api.Users(ctx, &params))
			if err != nil {
				if errors.Is(err, ErrPageTokenExpired) {
					err = fmt.Errorf("zoomusers: listing users: the token for page %d expired (Zoom keeps them 15 minutes); start the listing again: %w", page, err)
				}
				yield(nil, err)
				return
			}
			users, keys, repeated := dropRepeated(out.GetUsers(), previous)
			previous = keys
			up := &UserPage{
				Users:         users,
				Repeated:      repeated,
				NextPageToken: out.GetNextPageToken(),
				PageSize:      out.GetPageSize(),
				PageCount:     out.GetPageCount(),
				PageNumber:    out.GetPageNumber(),
				TotalRecords:  out.GetTotalRecords(),
			}
			if !yield(up, nil) {
				return
			}
			next := up.NextPageToken
			if next == "" {
				return
			}
			if seen[next] {
				yield(nil, fmt.Errorf("zoomusers: listing users: Zoom repeated next_page_token %q after page %d; stopping to avoid a loop", next, page))
				return
			}
			seen[next] = true
			params.NextPageToken = &next
		}
	}
}

// dropRepeated returns users without those whose key (ID, else email) is in previous,
// the keys of this page's users, and how many were dropped. A dropped user's key is kept
// too: a user repeated on a third page is still the one the page before repeated. A user
// with neither ID nor email has no key and is never dropped: nothing says it is the same.
func dropRepeated(users []User, previous map[string]bool) (kept []User, keys map[string]bool, dropped int) {
	keys = make(map[string]bool, len(users))
	kept = users[:0]
	for _, u := range users {
		key := u.GetID()
		if key == "" && u.GetEmail() != "" {
			key = "email:" + strings.ToLower(u.GetEmail())
		}
		if key == "" {
			kept = append(kept, u)
			continue
		}
		keys[key] = true
		if previous[key] {
			dropped++
			continue
		}
		kept = append(kept, u)
	}
	return kept, keys, dropped
}

// All yields every user of every page. On an error it yields a zero User with the error
// and stops.
func (p *UserPager) All() iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		for page, err := range p.Pages() {
			if err != nil {
				yield(User{}, err)
				return
			}
			for _, u := range page.Users {
				if !yield(u, nil) {
					return
				}
			}
		}
	}
}
