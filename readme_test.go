package main

import (
	"os"
	"strings"
	"testing"
)

// The README's block of commands is what `agora --help` prints: a flag added
// to one and not the other fails here, not a reader.
func TestReadmeCommandsMatchUsage(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "`agora --help` prints"
	text := string(readme)
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatalf("README.md has no %q", marker)
	}
	block := text[i:]
	start := strings.Index(block, "```\n")
	if start < 0 {
		t.Fatal("README.md: no code block after " + marker)
	}
	block = block[start+4:]
	block = block[:strings.Index(block, "```")]

	commands := usage[strings.Index(usage, "Usage:\n")+len("Usage:\n"):]
	commands = commands[:strings.Index(commands, "\n\n")]

	got, want := trimmedLines(block), trimmedLines(commands)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("README.md's commands differ from the usage in main.go:\nREADME:\n%s\n\nusage:\n%s",
			strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func trimmedLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		out = append(out, strings.Join(strings.Fields(l), " "))
	}
	return out
}
