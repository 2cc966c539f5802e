package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
)

// `agora serve` runs the webhook sender: a notice queued in the database
// reaches a receiver on loopback once the operator allows private
// addresses, and not without (the worker checks again at send time).
func TestServeSendsWebhooks(t *testing.T) {
	got := make(chan string, 10)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r.Header.Get("Agora-Webhook-Type") + " " + string(b)
	}))
	defer rcv.Close()
	for _, allow := range []bool{false, true} {
		t.Run(fmt.Sprintf("allow private %v", allow), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "agora.db")
			addr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
			if err := cmdMigrate([]string{"--db", db}, io.Discard); err != nil {
				t.Fatal(err)
			}
			withDB(t, db, func(g *gorm.DB) {
				org, err := models.FindOrCreateOrganization(g, "Hooks")
				if err != nil {
					t.Fatal(err)
				}
				_, ep, err := models.CreateWebhookEndpoint(g, nil, models.NewWebhookInput{OrganizationID: org.ID, URL: rcv.URL,
					EventTypes: []string{models.WebhookOrderPlaced}}, models.AuditEntry{Action: models.AuditWebhookCreated})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := models.QueueTestWebhook(g, org.ID, ep.ID, time.Now()); err != nil {
					t.Fatal(err)
				}
			})
			env := []string{"AGORA_DB=" + db}
			if allow {
				env = append(env, "AGORA_WEBHOOKS_ALLOW_PRIVATE=true")
			}
			s := startServe(t, "http://"+addr, env, "--addr", addr)
			select {
			case b := <-got:
				if !allow {
					t.Fatalf("delivered to loopback without the operator's permission: %s", b)
				}
				if !strings.HasPrefix(b, "ping ") || !strings.Contains(b, `"type":"ping"`) {
					t.Fatalf("received %q", b)
				}
			case <-time.After(5 * time.Second):
				if allow {
					t.Fatalf("nothing received within 5 s\n%s", s.out.String())
				}
			}
			s.stop()
		})
	}
}
