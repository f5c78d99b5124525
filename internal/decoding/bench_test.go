package decoding

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/gen"
)

// The decode benchmarks compare the client's decoding (Unmarshal: encoding/json/v2,
// and the repair pass when a body drifts) with what decode did before it,
// encoding/json's Unmarshal into the same type, on the same body in the same run. See
// test/BENCHMARKS.md for the figures:
//
//	go test -run='^$' -bench='^BenchmarkDecode' -benchmem -count=5 ./internal/decoding > decode.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /decoder decode.txt

// filled returns a T with every field set, as a full answer from Zoom would be.
func filled[T any](seed int) T {
	var v T
	fillValue(reflect.ValueOf(&v).Elem(), seed)
	return v
}

func fillValue(v reflect.Value, seed int) {
	if v.Type() == reflect.TypeFor[json.RawMessage]() { // a settings object kept raw
		v.SetBytes(fmt.Appendf(nil, `{"key":"value-%d"}`, seed))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillValue(v.Elem(), seed)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(seed) * time.Minute)))
			return
		}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fillValue(v.Field(i), seed+i)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fillValue(v.Index(i), seed+i)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		elem := reflect.New(v.Type().Elem()).Elem()
		fillValue(elem, seed)
		if elem.Kind() == reflect.Interface {
			elem = reflect.ValueOf(fmt.Sprint("value-", seed))
		}
		v.SetMapIndex(reflect.ValueOf("key"), elem)
	case reflect.String:
		v.SetString(fmt.Sprintf("%s-%d@example.com", strings.ToLower(v.Type().Name()), seed))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(1 + seed%9))
	case reflect.Bool:
		v.SetBool(seed%2 == 0)
	}
}

func userBody(i int) gen.User {
	u := filled[gen.User](i)
	pmi := int64(3542471135 + i)
	u.PMI = &pmi
	return u
}

func pageBody(n int) gen.UserList {
	users := make([]gen.User, n)
	for i := range users {
		users[i] = userBody(i)
	}
	token := "next-token"
	return gen.UserList{Users: &users, NextPageToken: &token, PageSize: &n}
}

func marshal(b *testing.B, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// benchDecode runs the client's decoding (decoder=zoomusers) and encoding/json
// (decoder=encoding-json) on body; benchstat -col /decoder sets them side by side.
func benchDecode[T any](b *testing.B, body []byte, wantDrifts int) {
	b.Run("decoder=zoomusers", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			drifts, err := Unmarshal(body, new(T))
			if err != nil || len(drifts) != wantDrifts {
				b.Fatalf("%d drifts, %v; want %d", len(drifts), err, wantDrifts)
			}
		}
	})
	b.Run("decoder=encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			err := json.Unmarshal(body, new(T))
			if (err != nil) != (wantDrifts > 0) {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeUser: a full user, every field set.
func BenchmarkDecodeUser(b *testing.B) {
	benchDecode[gen.User](b, marshal(b, userBody(1)), 0)
}

// BenchmarkDecodePage300: a page of 300 full users.
func BenchmarkDecodePage300(b *testing.B) {
	benchDecode[gen.UserList](b, marshal(b, pageBody(300)), 0)
}

// BenchmarkDecodeSettings: the full settings, every field set.
func BenchmarkDecodeSettings(b *testing.B) {
	benchDecode[gen.UserSettings](b, marshal(b, filled[gen.UserSettings](1)), 0)
}

// BenchmarkDecodePage300Drift: the same page with one user's pmi sent as a string: the
// client repairs it and keeps all 300 users, encoding/json fails the page (its figure
// is the cost of failing).
func BenchmarkDecodePage300Drift(b *testing.B) {
	body := marshal(b, pageBody(300))
	drifted := strings.Replace(string(body), `"pmi":3542471285`, `"pmi":"3542471285"`, 1)
	if drifted == string(body) {
		b.Fatal("user 150's pmi not found in the page")
	}
	benchDecode[gen.UserList](b, []byte(drifted), 1)
}

// BenchmarkDecodeSettingsDrift: the full settings with tsp.call_out_countries sent as
// objects, the shape Zoom's 2025 spec declares where its examples send strings: dropped
// and reported, the rest kept.
func BenchmarkDecodeSettingsDrift(b *testing.B) {
	s := filled[gen.UserSettings](1)
	body := marshal(b, s)
	countries := marshal(b, s.TSP.CallOutCountries)
	drifted := strings.Replace(string(body), `"call_out_countries":`+string(countries), `"call_out_countries":[{"code":"USA"}]`, 1)
	if drifted == string(body) {
		b.Fatal("call_out_countries not found")
	}
	benchDecode[gen.UserSettings](b, []byte(drifted), 1)
}
