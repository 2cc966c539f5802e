package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
)

// server is a running `agora serve`.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	out    *lockedBuffer
	exited chan error
	done   bool
}

// startServe starts the binary with a clean AGORA_* environment plus env and
// waits until base answers /healthz.
func startServe(t *testing.T, base string, env []string, args ...string) *server {
	t.Helper()
	s := &server{t: t, cmd: exec.Command(agoraBin, append([]string{"serve"}, args...)...), out: &lockedBuffer{}, exited: make(chan error, 1)}
	s.cmd.Env = append(cleanEnv(), env...)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if !s.done {
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exited:
			s.done = true
			t.Fatalf("agora serve exited early: %v\n%s", err, s.out.String())
		default:
		}
		if body, status := tryGet(base + "/healthz"); status == 200 && strings.Contains(body, "ok") {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("agora serve not healthy after 30s\n%s", s.out.String())
	return nil
}

func tryGet(url string) (string, int) {
	c := &http.Client{Timeout: 2 * time.Second}
	res, err := c.Get(url)
	if err != nil {
		return "", 0
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return string(body), res.StatusCode
}

// stop sends SIGTERM and wants a clean exit.
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-s.exited:
		s.done = true
		if err != nil {
			s.t.Fatalf("after SIGTERM the server exited with %v\n%s", err, s.out.String())
		}
	case <-time.After(25 * time.Second):
		s.t.Fatalf("server still running 25s after SIGTERM\n%s", s.out.String())
	}
}

// After a clean stop (SIGTERM), agora.db alone holds the schema and the
// data: someone who copies only that file, without agora.db-wal, loses
// nothing. Before, the database was never closed and everything stayed in
// the write-ahead log.
func TestServeStopLeavesDataInMainFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "agora.db")
	addr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	s := startServe(t, "http://"+addr, nil, "--demo", "--db", db, "--addr", addr)
	s.stop()
	if !strings.Contains(s.out.String(), "shutting down") {
		t.Errorf("no shutdown line in the log:\n%s", s.out.String())
	}

	alone := filepath.Join(t.TempDir(), "copy.db")
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("agora.db-wal still holds %d bytes after a clean stop", fi.Size())
	}
	withDB(t, alone, func(g *gorm.DB) {
		var version int
		if err := g.Raw("SELECT MAX(version) FROM schema_versions").Scan(&version).Error; err != nil || version == 0 {
			t.Fatalf("the copied agora.db has no schema: version %d, %v", version, err)
		}
		var forum models.Event
		if err := g.Where("slug = ?", demo.ForumSlug).Take(&forum).Error; err != nil {
			t.Fatalf("the copied agora.db lacks the demo forum: %v", err)
		}
	})
}

// A taken port is an error at start-up: the process exits non-zero and
// never says it is running (nor prints the demo password).
func TestServePortTaken(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	db := filepath.Join(t.TempDir(), "agora.db")
	out, err := agora(t, nil, "serve", "--demo", "--db", db, "--addr", ln.Addr().String())
	if err == nil {
		t.Fatalf("serve on a taken port exited 0:\n%s", out)
	}
	if strings.Contains(out, "running at") || strings.Contains(out, demo.OrganizerPassword) {
		t.Errorf("serve on a taken port claimed to be running:\n%s", out)
	}
	if !strings.Contains(out, "listen on "+ln.Addr().String()) {
		t.Errorf("the error does not name the address:\n%s", out)
	}
}

// `serve --demo` publishes a known password, so without --addr or
// AGORA_ADDR it listens on loopback only; AGORA_ADDR and --addr still win.
func TestServeDemoListensOnLoopback(t *testing.T) {
	// The SQLite and PostgreSQL passes run at the same time and both come
	// here: one at a time holds the demo's fixed port.
	holdDemoPort(t)
	// The demo's default port must be free on every interface for this check.
	probe, err := net.Listen("tcp4", ":3000")
	if err != nil {
		t.Skipf("port 3000 is in use on this machine (%v): cannot check the demo's default address", err)
	}
	probe.Close()
	s := startServe(t, "http://127.0.0.1:3000", nil, "--demo", "--db", filepath.Join(t.TempDir(), "agora.db"))
	if !strings.Contains(s.out.String(), "msg=listening addr=127.0.0.1:3000") {
		t.Errorf("the demo does not listen on 127.0.0.1:3000 only:\n%s", s.out.String())
	}
	// From another address of this machine the demo is out of reach.
	if ip := nonLoopbackIP(); ip != "" {
		if c, err := net.DialTimeout("tcp4", ip+":3000", 2*time.Second); err == nil {
			c.Close()
			t.Errorf("the demo answers on %s:3000, not only on loopback", ip)
		}
	} else {
		t.Log("no non-loopback IPv4 address here: checked the bound address from the log only")
	}
	s.stop()

	addr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	s = startServe(t, "http://"+addr, []string{"AGORA_ADDR=" + addr}, "--demo", "--db", filepath.Join(t.TempDir(), "agora.db"))
	if !strings.Contains(s.out.String(), "running at http://"+addr) {
		t.Errorf("the demo ignored AGORA_ADDR:\n%s", s.out.String())
	}
	s.stop()
}

// nonLoopbackIP is an IPv4 address of this machine other than 127.0.0.1, or "".
func nonLoopbackIP() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			return n.IP.String()
		}
	}
	return ""
}

// holdDemoPort takes a lock, shared by every test process on this machine,
// on the demo's default port 3000 until t ends.
func holdDemoPort(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "agora-test-port-3000.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() }) // closing releases the lock
}
