package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// measureStartup starts `bin serve --db db --addr addr` and reports the time
// from starting the process to the first answered /healthz, polling every
// millisecond from this process (a shell loop of curl would add its own
// process start-ups to the figure). runs times, each on the same database.
func measureStartup(bin, db, addr string, runs int) error {
	var all []time.Duration
	for i := 0; i < runs; i++ {
		cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr)
		cmd.Env = append(os.Environ(), "AGORA_LOG_FORMAT=json")
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		c := &http.Client{Timeout: 100 * time.Millisecond}
		for {
			res, err := c.Get("http://" + addr + "/healthz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					break
				}
			}
			if time.Since(start) > 10*time.Second {
				_ = cmd.Process.Kill()
				return fmt.Errorf("no answer after 10s")
			}
			time.Sleep(time.Millisecond)
		}
		all = append(all, time.Since(start))
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}
	parts := make([]string, len(all))
	for i, d := range all {
		parts[i] = d.Round(time.Millisecond).String()
	}
	fmt.Printf("start-up to first served request (existing database, %d runs): %s\n", runs, strings.Join(parts, " "))
	return nil
}
