package pdf

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
)

// idTranslator prints message ids and their arguments, so a test sees
// which words the page asked for.
type idTranslator struct{}

func (idTranslator) T(id string, args ...any) string { return id + fmt.Sprint(args...) }
func (idTranslator) Date(t time.Time) string         { return t.Format("2006-01-02") }

// A certificate with many sessions stays on one page: the first ones are
// listed, the rest counted; a very long name still prints whole.
func TestCertificateWithManySessionsFitsOnePage(t *testing.T) {
	start := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	v := &models.CertificateView{Name: "Maria de los Ángeles Fernández-Villaverde y Quiñones Sotomayor de la Fuente",
		Organization: "Living Lab Ωmega", Event: models.Event{Title: "Forum", TimeZone: "Europe/Madrid", StartsAt: start, EndsAt: start.Add(56 * time.Hour)},
		Settings: models.CertificateSettings{SignatoryName: "Dra. Núria Puig", SignatoryRole: "Chair"}}
	for i := range 20 {
		s := start.Add(time.Duration(i) * time.Hour)
		v.Sessions = append(v.Sessions, models.CertifiedSession{Title: fmt.Sprintf("Session %02d", i), StartsAt: s, EndsAt: s.Add(45 * time.Minute)})
	}
	doc, err := Certificate(v, "https://agora.example.org/certificates/abc", idTranslator{})
	if err != nil {
		t.Fatal(err)
	}
	if n := testenv.PDFPages(t, doc); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	text := strings.Join(strings.Fields(testenv.PDFText(t, doc)), " ")
	for _, want := range []string{v.Name, "Session 00", "Session 11", "certificate.pdf.more_sessionsCount8", "sessionsHours15", "hoursHours0.75", "Dra. Núria Puig"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing from:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Session 12") {
		t.Error("the thirteenth session is listed")
	}
}
