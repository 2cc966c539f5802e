package app

import "strings"

// device names a browser and system in plain words from a User-Agent
// header ("Firefox", "Windows"), for the list of a person's sessions. An
// empty part is unknown. It looks for the usual markers only: the list
// helps a person recognise their own devices, it identifies nothing.
func device(ua string) (browser, system string) {
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has("Edg/"), has("Edge/"), has("EdgA/"), has("EdgiOS/"):
		browser = "Edge"
	case has("OPR/"), has("Opera"):
		browser = "Opera"
	case has("SamsungBrowser/"):
		browser = "Samsung Internet"
	case has("Firefox/"), has("FxiOS/"):
		browser = "Firefox"
	case has("Chrome/"), has("CriOS/"), has("Chromium/"):
		browser = "Chrome"
	case has("Safari/") && has("Version/"):
		browser = "Safari"
	case strings.HasPrefix(ua, "curl/"):
		browser = "curl"
	}
	switch {
	case has("iPhone"), has("iPod"):
		system = "iPhone"
	case has("iPad"):
		system = "iPad"
	case has("Android"):
		system = "Android"
	case has("CrOS"):
		system = "ChromeOS"
	case has("Windows"):
		system = "Windows"
	case has("Macintosh"), has("Mac OS X"):
		system = "macOS"
	case has("Linux"), has("X11"):
		system = "Linux"
	}
	return browser, system
}
