// Package browsertest starts a real headless Chromium (Debian's chromium
// package, /usr/bin/chromium) for tests, driven through the DevTools
// protocol with chromedp. Nothing downloads a browser.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireEnv names the variable that makes a missing Chromium a failure
// rather than a skip (.ci/run sets it, after installing Chromium).
const RequireEnv = "CPIMS_REQUIRE_BROWSER"

// Path finds Chromium: $CHROMIUM, else chromium or chromium-browser on PATH.
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a fresh headless Chromium (its own empty profile) for t and
// returns a context that drives one tab of it; both end with the test. Without
// Chromium the test is skipped, or fails when RequireEnv is set.
func New(t testing.TB) context.Context {
	t.Helper()
	path := Path()
	if path == "" {
		msg := "Chromium is not installed (sudo apt-get install chromium, or set CHROMIUM to its path)"
		if os.Getenv(RequireEnv) != "" {
			t.Fatal(msg)
		}
		t.Skip(msg + ": browser test skipped")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox, // tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// This machine's network is closed: no background calls to Google.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	// The first run starts the browser, which lives as long as that run's
	// context: no timeout on it, only on what follows.
	if err := chromedp.Do(ctx); err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	return tctx
}
