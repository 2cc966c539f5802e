package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// AxeEnv names the variable that holds the path of axe.min.js (axe-core),
// which .ci/fetch-axe downloads into a cache directory.
const AxeEnv = "AGORA_AXE_JS"

// AxeVersion is the axe-core release the accessibility tests use.
const AxeVersion = "4.10.3"

// AxeJS returns the source of axe-core: from AGORA_AXE_JS, else from the
// cache directory .ci/fetch-axe fills.
func AxeJS(t testing.TB) string {
	t.Helper()
	paths := []string{os.Getenv(AxeEnv)}
	if c := os.Getenv("AGORA_CACHE"); c != "" {
		paths = append(paths, filepath.Join(c, "axe-core-"+AxeVersion, "axe.min.js"))
	}
	if c, err := os.UserCacheDir(); err == nil {
		paths = append(paths, filepath.Join(c, "agora", "axe-core-"+AxeVersion, "axe.min.js"))
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil && len(b) > 0 {
			return string(b)
		}
	}
	Missing(t, "axe-core", "run `bash .ci/fetch-axe` (needs npm) or set "+AxeEnv+" to axe.min.js")
	return ""
}
