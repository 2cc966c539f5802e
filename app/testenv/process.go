package testenv

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago. It
// picks below Linux's ephemeral range (32768–60999), where the kernel also
// takes the source ports of the tests' own outgoing connections, so a port
// handed out here is far less likely to be taken before a component binds it.
func FreePort(t testing.TB) int {
	t.Helper()
	for i := 0; i < 200; i++ {
		port := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			l.Close()
			return port
		}
	}
	t.Fatal("free port: none found")
	return 0
}

// lockedBuffer collects a child's output for the failure message.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startOnFreePorts starts a component on nPorts fresh ports and waits until
// ready says it answers. Another process may take a port between FreePort
// and the component binding it; then the component exits, and this tries
// again on new ports.
func startOnFreePorts(t testing.TB, what string, nPorts int, args func(ports []int) (string, []string),
	ready func(ports []int) func(ctx context.Context) error) []int {
	t.Helper()
	var lastOut string
	for attempt := 0; attempt < 5; attempt++ {
		ports := make([]int, nPorts)
		for i := range ports {
			ports[i] = FreePort(t)
		}
		bin, argv := args(ports)
		out := &lockedBuffer{}
		cmd := exec.Command(bin, argv...)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", what, err)
		}
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		check := ready(ports)
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := check(ctx)
			cancel()
			if err == nil {
				t.Cleanup(func() {
					_ = cmd.Process.Signal(syscall.SIGTERM)
					select {
					case <-done:
					case <-time.After(5 * time.Second):
						_ = cmd.Process.Kill()
						<-done
					}
				})
				return ports
			}
			select {
			case <-done: // it exited: most likely a port was taken
				deadline = time.Time{}
			case <-time.After(100 * time.Millisecond):
			}
		}
		_ = cmd.Process.Kill()
		<-done
		lastOut = out.String()
	}
	t.Fatalf("%s did not become ready after 5 attempts; last output:\n%s", what, lastOut)
	return nil
}

// tcpOpen reports whether something accepts connections at addr.
func tcpOpen(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}

// httpOK reports whether GET url answers with status want.
func httpStatus(ctx context.Context, url string, header http.Header, want int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != want {
		return fmt.Errorf("GET %s: status %d, want %d", url, res.StatusCode, want)
	}
	return nil
}
