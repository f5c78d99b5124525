package zoomusers

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// slowTokens answers every token request after a pause with a new token, and accepts any
// bearer token at the API: what counts is how often the token endpoint is asked.
func slowTokens(t *testing.T) *fakeZoom {
	f := newFakeZoom(t, okUser)
	var n atomic.Int64
	f.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		writeJSON(w, 200, map[string]any{"access_token": "tok-" + string(rune('a'+n.Add(1))), "token_type": "bearer", "expires_in": 3600})
	}
	return f
}

// TestClientsSharingAStoreFetchOnce: two clients on one TokenStore (two replicas) that
// both need a token at once ask the token endpoint once: the second, after the lock,
// finds the first one's token in the store.
func TestClientsSharingAStoreFetchOnce(t *testing.T) {
	f := slowTokens(t)
	store := NewMemoryTokenStore()
	clients := []*Client{f.client(WithTokenStore(store)), f.client(WithTokenStore(store))}
	var wg sync.WaitGroup
	for _, c := range clients {
		for range 5 {
			wg.Go(func() {
				if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if n := f.tokenRequests.Load(); n != 1 {
		t.Errorf("%d token requests for two clients sharing a store, want 1", n)
	}
}

// failingSave is a store whose Save fails the first n times.
type failingSave struct {
	TokenStore
	fail  atomic.Int64
	saved []string
	mu    sync.Mutex
}

func (s *failingSave) Save(ctx context.Context, tok *oauth2.Token) error {
	if s.fail.Add(-1) >= 0 {
		return errors.New("store unavailable")
	}
	s.mu.Lock()
	s.saved = append(s.saved, tok.AccessToken)
	s.mu.Unlock()
	return s.TokenStore.Save(ctx, tok)
}

// TestFailedStoreSaveKeepsTheToken: a token the store failed to take is offered to it
// again, not thrown away and fetched anew (with user OAuth, the fetch would have spent
// the rotated refresh token).
func TestFailedStoreSaveKeepsTheToken(t *testing.T) {
	f := slowTokens(t)
	store := &failingSave{TokenStore: NewMemoryTokenStore()}
	store.fail.Store(1)
	c := f.client(WithTokenStore(store))
	if _, err := c.User("u1").Get(context.Background(), nil); err == nil {
		t.Fatal("the call succeeded although its token could not be stored")
	}
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenRequests.Load(); n != 1 || len(store.saved) != 1 || store.saved[0] != "tok-b" {
		t.Errorf("%d token requests, saved %q; want the first token saved on the second try", n, store.saved)
	}
}

// storeDown is a store error of the caller's own type.
type storeDown struct{}

func (storeDown) Error() string { return "store down" }

type brokenStore struct{ TokenStore }

func (brokenStore) Load(context.Context) (*oauth2.Token, error) { return nil, storeDown{} }

// TestStoreErrorsStayReachable: a store's error is not scrubbed into text like a token
// endpoint's: errors.As finds it, and no token request was made.
func TestStoreErrorsStayReachable(t *testing.T) {
	f := slowTokens(t)
	c := f.client(WithTokenStore(brokenStore{NewMemoryTokenStore()}))
	_, err := c.User("u1").Get(context.Background(), nil)
	if !errors.As(err, new(storeDown)) || f.tokenRequests.Load() != 0 {
		t.Errorf("Get = %v after %d token requests; want the store's own error and none", err, f.tokenRequests.Load())
	}
}

// TestAnnouncedOversizedAnswerFailsAtOnce: an answer whose Content-Length is over the
// limit fails with ErrResponseTooLarge before anything is allocated for it.
func TestAnnouncedOversizedAnswerFailsAtOnce(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1073741824")
		w.WriteHeader(200)
		w.Write([]byte(`{"id":"u1"}`))
	})
	c := f.client()
	_, err := c.User("u1").Get(context.Background(), nil)
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("Get = %v, want ErrResponseTooLarge from the announced length", err)
	}
}
