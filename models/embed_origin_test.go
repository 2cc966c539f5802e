package models_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestNormaliseOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.livinglab.example":       "https://www.livinglab.example",
		"HTTPS://WWW.LivingLab.example/":      "https://www.livinglab.example",
		"https://lab.example:443":             "https://lab.example",
		"https://lab.example:8443":            "https://lab.example:8443",
		"http://localhost:8080":               "http://localhost:8080",
		"http://127.0.0.1":                    "http://127.0.0.1",
		"http://www.livinglab.example":        models.OriginBadScheme,
		"www.livinglab.example":               models.OriginBadScheme,
		"ftp://lab.example":                   models.OriginBadScheme,
		"javascript:alert(1)":                 models.OriginBadScheme,
		"https://lab.example/register":        models.OriginHasPath,
		"https://lab.example?x=1":             models.OriginHasPath,
		"https://user@lab.example":            models.OriginHasPath,
		"https://lab.example#top":             models.OriginHasPath,
		"https://":                            models.OriginBadHost,
		"https://*.lab.example":               models.OriginBadHost,
		"https://lab.example; script-src *":   models.OriginBadHost,
		"https://lab_example.org":             models.OriginBadHost,
		"https://lab.example:99999":           models.OriginBadPort,
		"https://lab.example:":                models.OriginBadPort,
		"https://" + strings.Repeat("a", 300): models.OriginTooLong,
	} {
		got, code := models.NormaliseOrigin(in)
		if code != "" {
			got = code
		}
		if got != want {
			t.Errorf("NormaliseOrigin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseEmbedOrigins(t *testing.T) {
	got, problems := models.ParseEmbedOrigins("https://a.example\r\n\n  https://A.example/ \nhttps://b.example:8443\n")
	if len(problems) != 0 || strings.Join(got, " ") != "https://a.example https://b.example:8443" {
		t.Errorf("got %v %v", got, problems)
	}
	_, problems = models.ParseEmbedOrigins("https://a.example\nhttp://b.example\n")
	if len(problems) != 1 || problems[0].Line != 2 || problems[0].Code != models.OriginBadScheme {
		t.Errorf("problems %+v", problems)
	}
	var many []string
	for i := 0; i <= models.MaxEmbedOrigins; i++ {
		many = append(many, "https://s"+strconv.Itoa(i)+".example")
	}
	if _, problems = models.ParseEmbedOrigins(strings.Join(many, "\n")); len(problems) != 1 || problems[0].Code != models.OriginTooMany {
		t.Errorf("too many: %+v", problems)
	}
}

// The list changes with its audit line, in one transaction; saving the
// same list again writes nothing.
func TestSetEmbedOriginsAudited(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Embed Lab", "owner@embed.example", models.RoleOwner)
	entry := models.AuditEntry{OrganizationID: org.ID, Action: models.AuditEmbedOriginsChanged}
	changed, err := models.SetEmbedOrigins(db, entry, []string{"https://a.example", "https://b.example"})
	if err != nil || !changed {
		t.Fatal(changed, err)
	}
	if changed, err = models.SetEmbedOrigins(db, entry, []string{"https://b.example", "https://c.example"}); err != nil || !changed {
		t.Fatal(changed, err)
	}
	if changed, err = models.SetEmbedOrigins(db, entry, []string{"https://b.example", "https://c.example"}); err != nil || changed {
		t.Fatal("unchanged list:", changed, err)
	}
	got, err := models.EmbedOrigins(db, org.ID)
	if err != nil || strings.Join(got, " ") != "https://b.example https://c.example" {
		t.Fatalf("origins %v %v", got, err)
	}
	var entries []models.AuditEntry
	db.Where("organization_id = ? AND action = ?", org.ID, models.AuditEmbedOriginsChanged).Order("id").Find(&entries)
	if len(entries) != 2 || entries[1].Detail != "added: https://c.example; removed: https://a.example" {
		t.Fatalf("audit %+v", entries)
	}
	if _, err := models.SetEmbedOrigins(db, entry, []string{"https://x.example/path"}); err == nil {
		t.Error("an unnormalised origin was stored")
	}
	// An audit line that cannot be written takes the change back with it.
	if _, err := models.SetEmbedOrigins(db, models.AuditEntry{OrganizationID: org.ID}, []string{"https://d.example"}); err == nil {
		t.Fatal("change without an audit action went through")
	}
	if got, _ := models.EmbedOrigins(db, org.ID); len(got) != 2 {
		t.Errorf("change kept without its audit line: %v", got)
	}
}
