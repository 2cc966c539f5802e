package testenv

import "testing"

// ChromiumEnv names the variable that points the browser tests at a browser.
const ChromiumEnv = "AGORA_CHROMIUM"

// Chromium returns the path of a Chromium or Chrome binary for headless tests.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := findBinary(ChromiumEnv, "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"); p != "" {
		return p
	}
	Missing(t, "Chromium", "install it (apt-get install chromium) or set "+ChromiumEnv)
	return ""
}
