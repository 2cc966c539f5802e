package demo

import (
	"strings"

	"github.com/agora-events/agora/models"
)

// demoChoices translates the demo questions' choices, by English choice.
var demoChoices = map[string]map[string]string{
	"es": {"Patient or citizen": "Paciente o ciudadano", "Carer": "Cuidador o cuidadora",
		"Health or care professional": "Profesional sanitario o de cuidados", "Researcher": "Investigador o investigadora",
		"Company": "Empresa", "Public authority": "Administración pública"},
	"gl": {"Patient or citizen": "Paciente ou cidadán", "Carer": "Coidador ou coidadora",
		"Health or care professional": "Profesional sanitario ou de coidados", "Researcher": "Investigador ou investigadora",
		"Company": "Empresa", "Public authority": "Administración pública"},
	"fr": {"Patient or citizen": "Patient ou citoyen", "Carer": "Aidant ou aidante",
		"Health or care professional": "Professionnel de santé ou du soin", "Researcher": "Chercheur ou chercheuse",
		"Company": "Entreprise", "Public authority": "Autorité publique"},
}

// choiceTranslations are a choice question's choices in each of langs, one
// line per choice (an unknown choice leaves its line empty: it falls back).
func choiceTranslations(q models.Question, langs []string) map[string]string {
	out := map[string]string{}
	for _, l := range langs {
		lines, found := []string{}, false
		for _, o := range q.OptionList() {
			t := demoChoices[l][o]
			found = found || t != ""
			lines = append(lines, t)
		}
		if found {
			out[l] = strings.Join(lines, "\n")
		}
	}
	return out
}
