// Command loadgen puts a local CPIMS+ under load and reports throughput and
// latency per request kind. It signs a demo user in through Kratos (API login
// flow), then runs a fixed mix of public and signed-in requests from several
// workers for a bounded time. It only targets loopback addresses.
//
//	go tool task load      # starts `cpims dev`, runs this, stops everything
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/cpims-hosted/cpims/internal/kratostest"
)

type kind struct {
	name, path string
	signedIn   bool
}

var kinds = []kind{
	{"public system settings", "/api/v2/system_settings", false},
	{"signed in: own account", "/api/v2/users/me", true},
	{"signed in: list users", "/api/v2/users?per=20", true},
}

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the cpims server (loopback only)")
	tenant := flag.String("tenant", "demo", "tenant code (sent as the Host <tenant>.localhost)")
	kratos := flag.String("kratos", "http://127.0.0.1:4433", "Kratos public URL (loopback only)")
	email := flag.String("email", "case-manager@demo.example.org", "demo user to sign in as")
	password := flag.String("password", "demo-password-change-me", "the demo user's password")
	duration := flag.Duration("duration", 10*time.Second, "how long to send requests (at most 5 minutes)")
	workers := flag.Int("concurrency", 8, "concurrent workers (at most 256)")
	maxRequests := flag.Int("max-requests", 200_000, "stop after this many requests")
	flag.Parse()
	if err := run(*base, *tenant, *kratos, *email, *password, min(*duration, 5*time.Minute), min(*workers, 256), *maxRequests); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func loopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address: loadgen only loads this machine", raw)
	}
	return nil
}

func run(base, tenant, kratos, email, password string, duration time.Duration, workers, maxRequests int) error {
	for _, u := range []string{base, kratos} {
		if err := loopback(u); err != nil {
			return err
		}
	}
	token, err := (&kratostest.Server{PublicURL: kratos}).Login(context.Background(), email, password)
	if err != nil {
		return fmt.Errorf("signing in %s (is `cpims dev` running?): %w", email, err)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	type sample struct {
		kind    int
		latency time.Duration
		ok      bool
	}
	samples := make([][]sample, workers)
	var sent sync.WaitGroup
	var mu sync.Mutex
	total := 0
	start := time.Now()
	for w := range workers {
		sent.Go(func() {
			for i := w; ctx.Err() == nil; i += workers {
				mu.Lock()
				if total >= maxRequests {
					mu.Unlock()
					return
				}
				total++
				mu.Unlock()
				k := i % len(kinds)
				req, _ := http.NewRequestWithContext(ctx, "GET", base+kinds[k].path, nil)
				req.Host = tenant + ".localhost"
				if kinds[k].signedIn {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				ok := err == nil && res.StatusCode == http.StatusOK
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				if ctx.Err() != nil {
					return // finished after the deadline: not counted
				}
				samples[w] = append(samples[w], sample{k, time.Since(t0), ok})
			}
		})
	}
	sent.Wait()
	elapsed := time.Since(start)

	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "request\trequests\terrors\treq/s\tp50\tp95\tp99\t\n")
	var all int
	for k, kd := range kinds {
		var lat []time.Duration
		errs := 0
		for _, ws := range samples {
			for _, s := range ws {
				if s.kind == k {
					lat = append(lat, s.latency)
					if !s.ok {
						errs++
					}
				}
			}
		}
		all += len(lat)
		slices.Sort(lat)
		pct := func(p float64) time.Duration {
			if len(lat) == 0 {
				return 0
			}
			return lat[min(len(lat)-1, int(float64(len(lat))*p))].Round(10 * time.Microsecond)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t\n", kd.name, len(lat), errs, float64(len(lat))/elapsed.Seconds(), pct(.5), pct(.95), pct(.99))
	}
	_ = tw.Flush()
	fmt.Printf("total: %d requests in %s with %d workers: %.0f req/s\n", all, elapsed.Round(time.Millisecond), workers, float64(all)/elapsed.Seconds())
	return nil
}
