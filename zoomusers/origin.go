package zoomusers

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ErrRedirectRefused is returned when Zoom, or something posing as it, redirects a request
// to another origin (scheme, host or port) or to plain http: the request carries an access
// token or the app's secret, which go only to the origin they were configured for.
var ErrRedirectRefused = errors.New("zoomusers: redirect refused")

// parseCredentialURL accepts the URL of an endpoint that credentials are sent to: https,
// or plain http on a loopback address where nothing crosses a network.
func parseCredentialURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", s)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%q would send credentials in clear text: use https (plain http is allowed only on loopback addresses)", s)
	}
	return u, nil
}

// isLoopback reports whether host names this machine: localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// origin is a URL's scheme, host and port, with the scheme's default port made explicit
// so that https://api.zoom.us and https://api.zoom.us:443 are one origin.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// withRedirectPolicy returns a copy of hc that follows a redirect only within the origin
// of the first request, and never to plain http off loopback. net/http drops the
// Authorization header on a redirect to another host, but keeps it across a change of
// scheme or port; refusing such redirects outright also keeps a form body holding a
// refresh token from being re-sent elsewhere on a 307 or 308.
func withRedirectPolicy(hc *http.Client) *http.Client {
	next := hc.CheckRedirect
	cp := *hc
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first, prev := via[0].URL, via[len(via)-1].URL
		if origin(req.URL) != origin(first) {
			return fmt.Errorf("%w: %s redirected to another origin (%s); credentials are sent only to %s",
				ErrRedirectRefused, prev.Redacted(), origin(req.URL), origin(first))
		}
		if req.URL.Scheme != "https" && !isLoopback(req.URL.Hostname()) {
			return fmt.Errorf("%w: %s redirected to plain http (%s); credentials are sent only over https",
				ErrRedirectRefused, prev.Redacted(), req.URL.Redacted())
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("zoomusers: stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}
