package test

import (
	"net/http"
	"sync"
)

// countingClient counts requests to tokenURL.
func countingClient(tokenURL string, mu *sync.Mutex, n *int) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.String() == tokenURL {
			mu.Lock()
			*n++
			mu.Unlock()
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
