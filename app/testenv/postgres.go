package testenv

import (
	"os"
	"testing"
)

// PostgresDSNEnv names the variable that points the suite at a PostgreSQL
// server (each test gets a database of its own, copied from a migrated template; see models/modeltest).
const PostgresDSNEnv = "AGORA_TEST_POSTGRES_DSN"

// EngineEnv, set to "sqlite" by .ci/test for its SQLite pass, says that no
// PostgreSQL is meant to be there, even in CI.
const EngineEnv = "AGORA_TEST_ENGINE"

// PostgresDSN returns the DSN of the test PostgreSQL server.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(PostgresDSNEnv); dsn != "" {
		return dsn
	}
	if os.Getenv(EngineEnv) == "sqlite" {
		// .ci/test runs the suite twice; the SQLite pass has no server on purpose.
		t.Skip("this pass of the suite runs on SQLite only (" + EngineEnv + "=sqlite)")
	}
	Missing(t, "PostgreSQL", "set "+PostgresDSNEnv+"=postgres://USER@127.0.0.1:PORT/DB?sslmode=disable (bash .ci/test-all starts one)")
	return ""
}
