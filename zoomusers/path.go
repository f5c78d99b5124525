package zoomusers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Requests of operations called with path parameters alone.
//
// The generated builders (gen.New*Request) parse the server URL, format the path with
// fmt, parse the result against the server, print it and parse it once more inside
// http.NewRequest: a dozen allocations before the request exists, for a GET whose URL
// is the base URL and the operation's path. pathRequest builds that URL in one string
// from the operation table (operations_gen.go) and escapes each parameter as the
// generated code does (the simple style: url.PathEscape), so the request is the same;
// TestPathRequestMatchesGenerated holds the two to it. Calls with query parameters or a
// body keep the generated builders.

// pathRequest returns the request of op (a method without body) with its path's
// parameters, in order, set to args.
func (c *Client) pathRequest(ctx context.Context, op OperationID, args ...string) (*http.Request, error) {
	o, ok := operations[op]
	if !ok {
		return nil, fmt.Errorf("zoomusers: unknown operation %q", op)
	}
	tmpl := strings.TrimPrefix(o.Path, "/")
	size := len(c.api.Server) + len(tmpl)
	for _, a := range args {
		size += 3 * len(a) // an escaped byte takes three at most
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(c.api.Server) // ends in "/"
	for _, a := range args {
		open := strings.IndexByte(tmpl, '{')
		end := strings.IndexByte(tmpl, '}')
		if open < 0 || end < open {
			return nil, fmt.Errorf("zoomusers: %s (%s) has fewer path parameters than %d", op, o.Path, len(args))
		}
		b.WriteString(tmpl[:open])
		b.WriteString(url.PathEscape(a))
		tmpl = tmpl[end+1:]
	}
	if strings.IndexByte(tmpl, '{') >= 0 {
		return nil, fmt.Errorf("zoomusers: %s (%s) has more path parameters than %d", op, o.Path, len(args))
	}
	b.WriteString(tmpl)
	return http.NewRequestWithContext(ctx, o.Method, b.String(), nil)
}

// sendPath sends the request of the operation call marked ctx with, args as its path
// parameters, through the same attempts as every other call.
func (c *Client) sendPath(ctx context.Context, args ...string) (*http.Response, error) {
	req, err := c.pathRequest(ctx, operationOf(ctx), args...)
	if err != nil {
		return nil, err
	}
	return c.do(req)
}
