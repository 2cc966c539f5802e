package testenv

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/smtp"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func TestChromiumRuns(t *testing.T) {
	bin := Chromium(t)
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !strings.Contains(strings.ToLower(string(out)), "chrom") {
		t.Fatalf("%s --version: %v\n%s", bin, err, out)
	}
}

func TestPostgresAnswers(t *testing.T) {
	dsn := PostgresDSN(t)
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer func() {
		if s, err := db.DB(); err == nil {
			s.Close()
		}
	}()
	var version string
	if err := db.Raw("SHOW server_version").Scan(&version).Error; err != nil || version == "" {
		t.Fatalf("server_version: %q %v", version, err)
	}
}

func TestMailpitCatchesMail(t *testing.T) {
	smtpAddr, apiURL := StartMailpit(t)
	subject := fmt.Sprintf("testenv check %d", time.Now().UnixNano())
	msg := "From: agora@example.org\r\nTo: person@example.org\r\nSubject: " + subject + "\r\n\r\nHello from the test.\r\n"
	if err := smtp.SendMail(smtpAddr, nil, "agora@example.org", []string{"person@example.org"}, []byte(msg)); err != nil {
		t.Fatalf("send: %v", err)
	}
	var list struct {
		Messages []struct {
			Subject string
			To      []struct{ Address string }
		} `json:"messages"`
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := http.Get(apiURL + "/api/v1/messages")
		if err != nil {
			t.Fatalf("list messages: %v", err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if err := json.Unmarshal(body, &list); err != nil {
			t.Fatalf("decode %s: %v", body, err)
		}
		for _, m := range list.Messages {
			if m.Subject == subject && len(m.To) == 1 && m.To[0].Address == "person@example.org" {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail %q not in mailpit: %s", subject, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestStripeMockAnswers(t *testing.T) {
	base := StartStripeMock(t)
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/customers", nil)
	req.Header.Set("Authorization", "Bearer "+StripeTestKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET customers: %v", err)
	}
	defer res.Body.Close()
	var list struct {
		Object string `json:"object"`
		URL    string `json:"url"`
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil || res.StatusCode != 200 || list.Object != "list" || list.URL != "/v1/customers" {
		t.Fatalf("customers: status %d, %+v, %v", res.StatusCode, list, err)
	}
	// Without a key the mock refuses, as Stripe does: proves it is the real mock.
	res2, err := http.Get(base + "/v1/customers")
	if err != nil {
		t.Fatalf("GET without key: %v", err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no key: status %d, want 401", res2.StatusCode)
	}
}

func TestMissingSkipsOutsideCI(t *testing.T) {
	t.Setenv("CI", "")
	ran := false
	t.Run("inner", func(t *testing.T) {
		defer func() { ran = true }()
		Missing(t, "a thing", "install it")
		t.Error("Missing returned instead of skipping")
	})
	if !ran {
		t.Fatal("inner test did not run")
	}
}
