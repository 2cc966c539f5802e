package main

import (
	"bytes"
	"io"
	"sync"
	"time"
)

// logBuffer gathers log lines and writes them out together, at most
// logFlushEvery after the first one waiting: one line per request written
// straight to stderr was a write system call per request, a tenth of the
// cached event page's cost (issue 17). Only the per-request lines wait:
// any other line (start-up, a job, a warning, an error) goes out at once
// with everything before it, so nothing that explains a failure or that a
// person waits to read is held back; Close writes the rest at exit.
type logBuffer struct {
	mu      sync.Mutex
	out     io.Writer
	buf     []byte
	pending bool // a flush is scheduled
	closed  bool
}

const (
	logFlushEvery = 50 * time.Millisecond
	logBufferMax  = 64 << 10 // written at once past this
)

func newLogBuffer(out io.Writer) *logBuffer { return &logBuffer{out: out} }

// Write takes one record (slog writes each in one call).
func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return l.out.Write(p)
	}
	l.buf = append(l.buf, p...)
	if len(l.buf) >= logBufferMax || !requestLogLine(p) {
		return len(p), l.flushLocked()
	}
	if !l.pending {
		l.pending = true
		time.AfterFunc(logFlushEvery, func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			_ = l.flushLocked()
		})
	}
	return len(p), nil
}

func (l *logBuffer) flushLocked() error {
	l.pending = false
	if len(l.buf) == 0 {
		return nil
	}
	_, err := l.out.Write(l.buf)
	l.buf = l.buf[:0]
	return err
}

// Close writes what is waiting; later lines are written straight through.
func (l *logBuffer) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	return l.flushLocked()
}

// requestLogLine: the line app.requestLog writes for each request, at
// level INFO, in slog's text or JSON form.
func requestLogLine(p []byte) bool {
	info := bytes.Contains(p, []byte("level=INFO")) || bytes.Contains(p, []byte(`"level":"INFO"`))
	return info && (bytes.Contains(p, []byte(" msg=request ")) || bytes.Contains(p, []byte(`"msg":"request"`)))
}
