package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// agoraBin is the real binary, built once for the smoke tests.
var agoraBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "agora-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	agoraBin = filepath.Join(dir, "agora")
	build := exec.Command("go", "build", "-o", agoraBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build agora:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// agora runs one command of the binary to completion with a clean AGORA_* environment.
func agora(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, agoraBin, args...)
	cmd.Env = append(cleanEnv(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// cleanEnv is the test's environment without AGORA_* variables, so a
// developer's own settings cannot change what the binary does here.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AGORA_") {
			env = append(env, kv)
		}
	}
	return env
}

// The binary serves the demo site: the three published demo events with
// their kinds and agendas, calendar files, health, a hidden draft, a light
// page; and SIGTERM stops it cleanly. Runs on the suite's engine.
func TestServeDemoSmoke(t *testing.T) {
	_, dsn := modeltest.NewDB(t)
	addr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	base := "http://" + addr

	cmd := exec.Command(agoraBin, "serve", "--demo", "--db", dsn, "--addr", addr)
	cmd.Env = cleanEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	waitHealthy(t, base, exited, &out)

	home := get(t, base+"/", 200)
	for _, want := range []string{"Health Innovation Forum", "Living Lab Symposium Brussels", "Living Lab Agora: Ageing at home",
		`kind-forum">Forum`, `kind-symposium">Symposium`, `kind-agora">Agora`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if strings.Contains(home, demo.DraftSlug) {
		t.Error("home page links the draft event")
	}

	for _, slug := range []string{demo.ForumSlug, demo.SymposiumSlug, demo.AgoraSlug} {
		page := get(t, base+"/events/"+slug, 200)
		if !strings.Contains(page, `id="agenda-h"`) || strings.Count(page, `class="session"`) < 3 {
			t.Errorf("%s: no agenda with sessions", slug)
		}
		checkCalendar(t, get(t, base+"/events/"+slug+".ics", 200), slug)
	}

	if body := get(t, base+"/healthz", 200); !strings.Contains(body, `"ok"`) {
		t.Errorf("healthz: %s", body)
	}
	get(t, base+"/events/"+demo.DraftSlug, 404)
	get(t, base+"/events/"+demo.DraftSlug+".ics", 404)

	weight := pageWeight(t, base, "/events/"+demo.ForumSlug)
	t.Logf("demo forum page weight: %d bytes (%.1f KB) with its CSS, JS and images", weight, float64(weight)/1024)
	if weight >= 50*1024 {
		t.Errorf("demo forum page weighs %d bytes with its assets, want under 50 KB", weight)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Fatalf("after SIGTERM the server exited with %v\n%s", err, out.String())
		}
	case <-time.After(25 * time.Second):
		t.Fatalf("server still running 25s after SIGTERM\n%s", out.String())
	}
	if !strings.Contains(out.String(), "shutting down") {
		t.Errorf("no shutdown line in the log:\n%s", out.String())
	}
}

// waitHealthy polls /healthz until the server answers, or fails if it exits.
func waitHealthy(t *testing.T, base string, exited <-chan error, out *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("agora serve exited early: %v\n%s", err, out.String())
		default:
		}
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("agora serve not healthy after 30s\n%s", out.String())
}

// get fetches url and fails unless the status is want.
func get(t *testing.T, url string, want int) string {
	t.Helper()
	body, status := fetch(t, url)
	if status != want {
		t.Fatalf("GET %s: status %d, want %d", url, status, want)
	}
	return string(body)
}

func fetch(t *testing.T, url string) ([]byte, int) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return body, res.StatusCode
}

// checkCalendar parses an .ics file and wants a VEVENT with a start.
func checkCalendar(t *testing.T, body, slug string) {
	t.Helper()
	if !strings.HasPrefix(body, "BEGIN:VCALENDAR") {
		t.Errorf("%s.ics does not start with BEGIN:VCALENDAR", slug)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Errorf("%s.ics does not parse: %v", slug, err)
		return
	}
	events := cal.Events()
	if len(events) == 0 {
		t.Errorf("%s.ics has no VEVENT", slug)
		return
	}
	start, err := events[0].GetStartAt()
	if err != nil || start.IsZero() {
		t.Errorf("%s.ics: VEVENT without a DTSTART: %v", slug, err)
	}
}

// assetRef finds the stylesheets, scripts, icons and images a page loads.
var assetRef = regexp.MustCompile(`<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/[^"]+)"`)

// pageWeight is the bytes of a page's HTML plus every local file it references,
// each counted once, as a first visit downloads them (without compression).
func pageWeight(t *testing.T, base, path string) int {
	t.Helper()
	html, _ := fetch(t, base+path)
	total := len(html)
	seen := map[string]bool{}
	for _, m := range assetRef.FindAllSubmatch(html, -1) {
		ref := string(m[1])
		if seen[ref] || !strings.HasPrefix(ref, "/static/") {
			continue
		}
		seen[ref] = true
		body, status := fetch(t, base+ref)
		if status != 200 {
			t.Errorf("asset %s: status %d", ref, status)
		}
		total += len(body)
	}
	if len(seen) == 0 {
		t.Error("the page references no stylesheet: the weight check would be meaningless")
	}
	return total
}

// The maintenance commands: seed is idempotent, user add makes an admin,
// backup writes a readable SQLite copy, and --help documents the variables.
func TestCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "agora.db")

	out, err := agora(t, nil, "seed", "--demo", "--db", db)
	if err != nil || !strings.Contains(out, "demo data added") {
		t.Fatalf("first seed: %v\n%s", err, out)
	}
	out, err = agora(t, []string{"AGORA_DB=" + db}, "seed", "--demo")
	if err != nil || !strings.Contains(out, "already present") {
		t.Fatalf("second seed (AGORA_DB): %v\n%s", err, out)
	}
	if n := countRows(t, db, &models.Event{}); n != 4 {
		t.Fatalf("after two seeds: %d events, want 4", n)
	}
	if n := countRows(t, db, &models.Organization{}); n != 1 {
		t.Fatalf("after two seeds: %d organizations, want 1", n)
	}

	out, err = agora(t, []string{"AGORA_PASSWORD=a-long-admin-password"}, "user", "add", "--admin", "--email", "admin@example.org", "--name", "Site Admin", "--db", db)
	if err != nil || !strings.Contains(out, "admin: true") {
		t.Fatalf("user add --admin: %v\n%s", err, out)
	}
	u := models.User{}
	withDB(t, db, func(g *gorm.DB) {
		if err := g.Where("email = ?", "admin@example.org").First(&u).Error; err != nil {
			t.Fatalf("admin not saved: %v", err)
		}
	})
	if !u.IsAdmin {
		t.Fatal("user add --admin saved a user who is not an admin")
	}
	if out, err := agora(t, nil, "user", "add", "--email", "x@example.org", "--db", db); err == nil {
		t.Fatalf("user add without name and password succeeded:\n%s", out)
	} else if !strings.Contains(out, "required") {
		t.Fatalf("user add without name: unclear message:\n%s", out)
	}
	if out, err := agora(t, nil, "user", "add", "--admin", "--email", "admin@example.org", "--name", "Again", "--password", "another-password", "--db", db); err == nil {
		t.Fatalf("user add with a taken e-mail succeeded:\n%s", out)
	}

	backup := filepath.Join(dir, "backup.db")
	out, err = agora(t, nil, "backup", backup, "--db", db)
	if err != nil || !strings.Contains(out, "backup written") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	withDB(t, backup, func(g *gorm.DB) {
		var check string
		if err := g.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
			t.Fatalf("backup integrity_check: %q %v", check, err)
		}
	})
	if n := countRows(t, backup, &models.Event{}); n != 4 {
		t.Fatalf("backup holds %d events, want 4", n)
	}
	if out, err := agora(t, nil, "backup", backup, "--db", db); err == nil {
		t.Fatalf("backup over an existing file succeeded:\n%s", out)
	}

	out, err = agora(t, nil, "--help")
	if err != nil {
		t.Fatalf("--help: %v\n%s", err, out)
	}
	for _, v := range []string{"AGORA_ADDR", "AGORA_DB", "AGORA_BASE_URL", "AGORA_SYNCHRONOUS", "AGORA_PASSWORD", "AGORA_LOG_FORMAT", "serve", "backup"} {
		if !strings.Contains(out, v) {
			t.Errorf("--help does not mention %s", v)
		}
	}
	if out, err := agora(t, nil, "no-such-command"); err == nil || !strings.Contains(out, "unknown command") {
		t.Errorf("unknown command: %v\n%s", err, out)
	}
}

// withDB opens a SQLite file for a check and closes it after.
func withDB(t *testing.T, path string, f func(g *gorm.DB)) {
	t.Helper()
	g, err := models.Open(path, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer func() {
		if s, err := g.DB(); err == nil {
			s.Close()
		}
	}()
	f(g)
}

func countRows(t *testing.T, path string, model any) int64 {
	t.Helper()
	var n int64
	withDB(t, path, func(g *gorm.DB) {
		if err := g.Model(model).Count(&n).Error; err != nil {
			t.Fatalf("count: %v", err)
		}
	})
	return n
}
