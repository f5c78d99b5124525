package test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// The benchmarks compare zoomusers with a baseline measured in the same run; see
// BENCHMARKS.md for the command and the ratios.

// baselineUser is what a hand-written client decodes a user into: the fields of
// zoomusers.User, as plain values.
type baselineUser struct {
	AccountID        string    `json:"account_id"`
	AccountNumber    int64     `json:"account_number"`
	Cluster          string    `json:"cluster"`
	CmsUserID        string    `json:"cms_user_id"`
	Company          string    `json:"company"`
	CostCenter       string    `json:"cost_center"`
	CreatedAt        time.Time `json:"created_at"`
	CustomAttributes []struct {
		Key   string `json:"key"`
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"custom_attributes"`
	Dept               string    `json:"dept"`
	DisplayName        string    `json:"display_name"`
	Email              string    `json:"email"`
	EmployeeUniqueID   string    `json:"employee_unique_id"`
	FirstName          string    `json:"first_name"`
	GroupIDs           []string  `json:"group_ids"`
	HostKey            string    `json:"host_key"`
	ID                 string    `json:"id"`
	ImGroupIDs         []string  `json:"im_group_ids"`
	JID                string    `json:"jid"`
	JobTitle           string    `json:"job_title"`
	Language           string    `json:"language"`
	LastClientVersion  string    `json:"last_client_version"`
	LastLoginTime      time.Time `json:"last_login_time"`
	LastName           string    `json:"last_name"`
	Location           string    `json:"location"`
	LoginTypes         []int     `json:"login_types"`
	Manager            string    `json:"manager"`
	PersonalMeetingURL string    `json:"personal_meeting_url"`
	PhoneCountry       string    `json:"phone_country"`
	PhoneNumber        string    `json:"phone_number"`
	PhoneNumbers       []struct {
		Code     string `json:"code"`
		Country  string `json:"country"`
		Label    string `json:"label"`
		Number   string `json:"number"`
		Verified bool   `json:"verified"`
	} `json:"phone_numbers"`
	PicURL         string    `json:"pic_url"`
	PlanUnitedType string    `json:"plan_united_type"`
	PMI            int64     `json:"pmi"`
	Pronouns       string    `json:"pronouns"`
	PronounsOption int       `json:"pronouns_option"`
	RoleID         string    `json:"role_id"`
	RoleName       string    `json:"role_name"`
	Status         string    `json:"status"`
	Timezone       string    `json:"timezone"`
	Type           int       `json:"type"`
	UsePMI         bool      `json:"use_pmi"`
	UserCreatedAt  time.Time `json:"user_created_at"`
	VanityURL      string    `json:"vanity_url"`
	Verified       int       `json:"verified"`
	ZoomOneType    int       `json:"zoom_one_type"`
}

// baselinePage is a page of the listing, decoded by hand.
type baselinePage struct {
	NextPageToken string         `json:"next_page_token"`
	PageCount     int            `json:"page_count"`
	PageNumber    int            `json:"page_number"`
	PageSize      int            `json:"page_size"`
	TotalRecords  int            `json:"total_records"`
	Users         []baselineUser `json:"users"`
}

// baselineGet is the hand-written call the client is measured against: net/http and
// encoding/json, decoding into a plain typed struct.
func baselineGet(ctx context.Context, hc *http.Client, url, token string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// BenchmarkGetUser: a GET user through zoomusers (Client) against a hand-written
// net/http + encoding/json call into a typed struct (Baseline). Both ask the same
// server, which answers every request with the same bytes, as Zoom does (the body, its
// Content-Type and tracking ID), and does nothing else: what the two columns differ by
// is the clients alone. Two answers: Zoom's documented example of a user, all of its
// fields set (answer=zoom), and the dozen fields zoomtest answers for its account owner
// (answer=sparse), where a client's fixed cost per request weighs most.
func BenchmarkGetUser(b *testing.B) {
	zoom, err := os.ReadFile("testdata/corpus/zoom2025.user.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, answer := range []struct {
		name string
		body []byte
	}{{"zoom", zoom}, {"sparse", zoomtestOwner(b)}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			w.Header().Set("X-Zm-Trackingid", "v=2.0;clid=us06;rid=WEB_0123456789abcdef")
			w.Write(answer.body)
		}))
		b.Cleanup(srv.Close)
		var want baselineUser
		if err := json.Unmarshal(answer.body, &want); err != nil || want.Email == "" {
			b.Fatalf("answer %s: email %q, %v", answer.name, want.Email, err)
		}
		c, err := zoomusers.New(zoomusers.WithAccessToken("bench"), zoomusers.WithBaseURL(srv.URL+"/v2"))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.Run("answer="+answer.name+"/impl=Client", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u, err := c.User(want.Email).Get(ctx, nil)
				if err != nil || u.GetEmail() != want.Email {
					b.Fatal(u.GetEmail(), err)
				}
			}
		})
		b.Run("answer="+answer.name+"/impl=Baseline", func(b *testing.B) {
			hc := &http.Client{}
			b.ReportAllocs()
			for b.Loop() {
				var u baselineUser
				if err := baselineGet(ctx, hc, srv.URL+"/v2/users/"+want.Email, "bench", &u); err != nil || u.Email != want.Email {
					b.Fatal(u.Email, err)
				}
			}
		})
	}
}

// zoomtestOwner returns the body zoomtest answers to GET /users/me.
func zoomtestOwner(b *testing.B) []byte {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.BaseURL()+"/users/me", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+fetchToken(b, srv))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("zoomtest answered %s: %s %v", resp.Status, body, err)
	}
	return body
}

func fetchToken(b *testing.B, srv *zoomtest.Server) string {
	req, _ := http.NewRequest(http.MethodPost, srv.TokenURL()+"?grant_type=account_credentials&account_id="+zoomtest.AccountID, nil)
	req.SetBasicAuth(zoomtest.ClientID, zoomtest.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&t)
	return t.AccessToken
}

// BenchmarkListUsers lists every user through zoomusers (Client) and by hand
// (Baseline: net/http + encoding/json into baselinePage, following next_page_token). It
// reports allocations per user listed, and the peak heap growth while listing, which
// must stay flat as the number of users grows (1,000 against 100,000). The pages come
// from a stateless generator rather than zoomtest, so that the heap measured is the
// client's and not a 100,000-user fake's; the generator runs in the same process, so its
// allocations count in both columns alike.
func BenchmarkListUsers(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		srv := httptest.NewServer(generatedPages(n))
		b.Cleanup(srv.Close)
		c, err := zoomusers.New(zoomusers.WithAccessToken("bench"), zoomusers.WithBaseURL(srv.URL+"/v2"))
		if err != nil {
			b.Fatal(err)
		}
		client := func() int {
			count := 0
			for _, err := range c.ListUsers(context.Background(), &zoomusers.ListUsersParams{PageSize: 1000}).All() {
				if err != nil {
					b.Fatal(err)
				}
				count++
			}
			return count
		}
		hc := &http.Client{}
		baseline := func() int {
			count, next := 0, ""
			for {
				var page baselinePage
				url := srv.URL + "/v2/users?page_size=1000&next_page_token=" + next
				if err := baselineGet(context.Background(), hc, url, "bench", &page); err != nil {
					b.Fatal(err)
				}
				count += len(page.Users)
				if next = page.NextPageToken; next == "" {
					return count
				}
			}
		}
		for _, run := range []struct {
			name string
			list func() int
		}{{"Client", client}, {"Baseline", baseline}} {
			b.Run(fmt.Sprintf("users=%d/impl=%s", n, run.name), func(b *testing.B) {
				var peak, mallocs uint64
				listings := 0
				for b.Loop() {
					runtime.GC()
					var before, after runtime.MemStats
					runtime.ReadMemStats(&before)
					stop := sampleHeap(&peak, before.HeapAlloc)
					count := run.list()
					stop()
					runtime.ReadMemStats(&after)
					mallocs += after.Mallocs - before.Mallocs
					listings++
					if count != n {
						b.Fatalf("listed %d, want %d", count, n)
					}
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(mallocs)/float64(listings*n), "allocs/user")
			})
		}
	}
}

// generatedPages serves n users in pages, making each page when it is asked for.
func generatedPages(n int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		size, _ := strconv.Atoi(q.Get("page_size"))
		start, _ := strconv.Atoi(q.Get("next_page_token"))
		end := min(start+size, n)
		w.Header().Set("Content-Type", "application/json")
		next := ""
		if end < n {
			next = strconv.Itoa(end)
		}
		fmt.Fprintf(w, `{"page_size":%d,"total_records":%d,"next_page_token":%q,"users":[`, size, n, next)
		for i := start; i < end; i++ {
			if i > start {
				w.Write([]byte(","))
			}
			fmt.Fprintf(w, `{"id":"user%d","email":"user%d@example.com","first_name":"User","last_name":"Number%d","type":1,"status":"active","pmi":%d,"timezone":"UTC","dept":"Engineering","user_created_at":"2024-01-02T03:04:05Z"}`, i, i, i, 3000000000+i)
		}
		w.Write([]byte("]}"))
	})
}

// sampleHeap records the largest heap growth over base until stopped. The fake Zoom
// runs in the same process, so its pages count too: both sizes pay for it alike.
func sampleHeap(peak *uint64, base uint64) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > *peak {
				*peak = m.HeapAlloc - base
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// BenchmarkUpload15MB uploads a 15 MB virtual background from a stream through the
// client (Client) and through a hand-written streaming multipart request (Baseline), to a
// server that discards the upload. Bytes allocated per upload (B/op) show that neither
// holds the file in memory.
func BenchmarkUpload15MB(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		part, err := mr.NextPart()
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		n, _ := io.Copy(io.Discard, part)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"id":"vb","size":%d,"type":"video"}`, n)
	}))
	b.Cleanup(srv.Close)
	const size = zoomusers.MaxVirtualBackgroundSize
	header := []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
	b.Run("Client", func(b *testing.B) {
		c, _ := zoomusers.New(zoomusers.WithAccessToken("bench"), zoomusers.WithBaseURL(srv.URL+"/v2"))
		u := c.User("u1")
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := u.UploadVirtualBackground(context.Background(), "bg.mp4", newZeroStream(header, size)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Baseline", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				part, _ := mw.CreateFormFile("file", "bg.mp4")
				io.Copy(part, newZeroStream(header, size))
				mw.Close()
				pw.Close()
			}()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v2/users/u1/settings/virtual_backgrounds", pr)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer bench")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// zeroStream is an unseekable stream of a header and zeros, made as it is read.
type zeroStream struct {
	header []byte
	left   int64
	off    int
}

func newZeroStream(header []byte, size int64) *zeroStream {
	return &zeroStream{header: header, left: size}
}

func (z *zeroStream) Read(p []byte) (int, error) {
	if z.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), z.left)
	clear(p[:n])
	if z.off < len(z.header) {
		z.off += copy(p[:n], z.header[z.off:])
	}
	z.left -= n
	return int(n), nil
}

// BenchmarkTokenRenewal: 1,000 concurrent callers on a client whose token has just
// expired; each round must make one token request.
func BenchmarkTokenRenewal(b *testing.B) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits(), zoomtest.WithTokenLifetime(time.Hour))
	b.Cleanup(srv.Close)
	var tokenRequests atomic.Int64
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/oauth/token" {
			tokenRequests.Add(1)
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	rounds := 0
	for b.Loop() {
		// A fresh client per round: its first calls all need the token at once.
		c, _ := zoomusers.New(append(srv.ClientOptions(), zoomusers.WithHTTPClient(hc))...)
		var wg sync.WaitGroup
		for range 1000 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Summary(context.Background()); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
		rounds++
	}
	b.ReportMetric(float64(tokenRequests.Load())/float64(rounds), "token-requests/round")
}

// BenchmarkPacedThroughput runs a bulk job (200 settings reads, Medium: 20 a second on
// Pro, from 16 goroutines) against zoomtest enforcing Pro's limits over a sliding
// one-second window. The baseline is the plan's own rate: limit-ratio is the calls a
// second the job achieved over that rate. 429-ratio is the share of requests Zoom refused,
// failed-calls the calls that returned an error. pacing=plan gives WithPacing(PlanPro, 1);
// pacing=learned gives no pacing option and learns the limit from the first 429s.
func BenchmarkPacedThroughput(b *testing.B) {
	const calls, workers = 200, 16
	limit := float64(zoomusers.PlanPro.RateLimit(zoomusers.LabelMedium))
	for _, tc := range []struct {
		name string
		opts []zoomusers.Option
	}{
		{"pacing=plan", []zoomusers.Option{zoomusers.WithPacing(zoomusers.PlanPro, 1)}},
		{"pacing=learned", nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var ratio, refused, failed float64
			for b.Loop() {
				srv := zoomtest.NewServer(zoomtest.WithPlan(zoomusers.PlanPro), zoomtest.WithUsers(calls))
				counter := &statusCounter{next: http.DefaultTransport}
				c, err := zoomusers.New(append(srv.ClientOptions(), append(tc.opts, zoomusers.WithHTTPClient(&http.Client{Transport: counter}))...)...)
				if err != nil {
					b.Fatal(err)
				}
				// Fetch the token first: the job measures the API's pace, not the token's.
				if _, err := c.Summary(context.Background()); err != nil {
					b.Fatal(err)
				}
				counter.reset()
				time.Sleep(time.Second) // the window forgets the Summary call
				jobs := make(chan int)
				var failures atomic.Int64
				var wg sync.WaitGroup
				start := time.Now()
				for range workers {
					wg.Go(func() {
						for i := range jobs {
							if _, err := c.User(fmt.Sprintf("u%d@example.com", i)).Settings(context.Background(), nil); err != nil {
								failures.Add(1)
								b.Log(err)
							}
						}
					})
				}
				for i := range calls {
					jobs <- i
				}
				close(jobs)
				wg.Wait()
				elapsed := time.Since(start)
				srv.Close()
				ratio += float64(calls) / elapsed.Seconds() / limit
				refused += float64(counter.count(http.StatusTooManyRequests)) / float64(counter.total())
				failed += float64(failures.Load())
			}
			n := float64(b.N)
			b.ReportMetric(ratio/n, "limit-ratio")
			b.ReportMetric(refused/n, "429-ratio")
			b.ReportMetric(failed/n, "failed-calls")
			b.ReportMetric(0, "ns/op") // a job's time is its pace, reported as limit-ratio
		})
	}
}

// statusCounter counts the answers a client gets, by status.
type statusCounter struct {
	next   http.RoundTripper
	mu     sync.Mutex
	counts map[int]int
}

func (s *statusCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err == nil && strings.HasSuffix(r.URL.Path, "/settings") {
		s.mu.Lock()
		if s.counts == nil {
			s.counts = map[int]int{}
		}
		s.counts[resp.StatusCode]++
		s.mu.Unlock()
	}
	return resp, err
}

func (s *statusCounter) reset() { s.mu.Lock(); s.counts = nil; s.mu.Unlock() }

func (s *statusCounter) count(status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[status]
}

func (s *statusCounter) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.counts {
		n += c
	}
	return n
}
