package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type countingBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	n  int // writes
}

func (l *countingBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	return l.b.Write(p)
}

func (l *countingBuffer) text() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.n
}

// Request lines are written together within a flush interval, in order;
// any other line goes out at once with everything before it; Close writes
// what waits.
func TestLogBufferGathersRequestLinesOnly(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			out := &countingBuffer{}
			logs := newLogBuffer(out)
			t.Setenv("AGORA_LOG_FORMAT", format)
			log := newLogger(logs)
			for i := 0; i < 100; i++ {
				log.Info("request", "n", i)
			}
			if s, _ := out.text(); s != "" {
				t.Fatalf("request lines written before the interval: %q", s[:min(len(s), 80)])
			}
			time.Sleep(3 * logFlushEvery)
			s, writes := out.text()
			if strings.Count(s, "request") != 100 || writes > 2 {
				t.Fatalf("%d lines in %d writes, want 100 in one or two", strings.Count(s, "request"), writes)
			}
			if strings.Index(s, "n=7") > strings.Index(s, "n=8") && strings.Index(s, `"n":7`) > strings.Index(s, `"n":8`) {
				t.Fatal("lines out of order")
			}
			log.Info("request", "n", 100)
			log.Info("listening", "addr", "127.0.0.1:3000")
			if s, _ := out.text(); !strings.Contains(s, "listening") || strings.Count(s, "request") != 101 {
				t.Fatal("a start-up line (and the request line before it) was held back")
			}
			log.Info("request", "n", 101)
			log.Error("database", "err", "gone")
			if s, _ := out.text(); !strings.Contains(s, "gone") {
				t.Fatal("an error was held back")
			}
			log.Info("request", "n", 102)
			if err := logs.Close(); err != nil {
				t.Fatal(err)
			}
			if s, _ := out.text(); strings.Count(s, "request") != 103 {
				t.Fatal("Close lost a waiting line")
			}
		})
	}
}
