package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// VnuEnv names the variable that holds the path of vnu.jar (the Nu HTML
// Checker), which .ci/fetch-vnu downloads into a cache directory.
const VnuEnv = "AGORA_VNU_JAR"

// VnuVersion is the vnu-jar release the HTML validity test uses.
const VnuVersion = "26.9.27"

// Vnu returns the java binary and the path of vnu.jar: the jar from
// AGORA_VNU_JAR, else from the cache directory .ci/fetch-vnu fills. Without
// either it skips the test (fails it in CI).
func Vnu(t testing.TB) (java, jar string) {
	t.Helper()
	java = findBinary("AGORA_JAVA", "java")
	if java == "" {
		Missing(t, "Java", "install it (apt-get install default-jre-headless) or set AGORA_JAVA")
	}
	paths := []string{os.Getenv(VnuEnv)}
	if c := os.Getenv("AGORA_CACHE"); c != "" {
		paths = append(paths, filepath.Join(c, "vnu-jar-"+VnuVersion, "vnu.jar"))
	}
	if c, err := os.UserCacheDir(); err == nil {
		paths = append(paths, filepath.Join(c, "agora", "vnu-jar-"+VnuVersion, "vnu.jar"))
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); p != "" && err == nil && fi.Size() > 0 {
			return java, p
		}
	}
	Missing(t, "the Nu HTML Checker", "run `bash .ci/fetch-vnu` (needs npm) or set "+VnuEnv+" to vnu.jar")
	return "", ""
}
