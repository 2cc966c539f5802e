package main

import (
	"fmt"
	"strings"

	"github.com/agora-events/agora/models"
)

// The people of a scale event: names from a few European languages (with
// accents, so the door's folded search has work to do), e-mails derived
// from them, organizations of a health-and-care network, and categories in
// the shares a regional forum sees. Person i is always the same person.
var (
	firstNames = []string{"María", "José", "Ana", "Jordi", "Núria", "Xoán", "Uxía", "Eleni", "Giorgos", "Sophie", "Pierre",
		"Anouk", "Daan", "Lucía", "Pablo", "Carmen", "Iñaki", "Marta", "Hélène", "Joost", "Sara", "Miguel", "Laia", "Dimitra",
		"Thomas", "Emma", "Noé", "Inés", "Sven", "Fatima", "Youssef", "Olga", "Raúl", "Clara", "Bram", "Zoë"}
	lastNames = []string{"García", "Fernández", "López", "Martínez", "Puig", "Ferrer", "Castro", "Otero", "Papadopoulos",
		"Nikolaou", "Dubois", "Lefèvre", "de Vries", "Jansen", "Bakker", "Rodríguez", "Sánchez", "Vidal", "Mercier",
		"Visser", "Moreau", "Iglesias", "Soler", "Georgiou", "Peeters", "Romero", "Navarro", "Álvarez", "Muñoz", "Gil"}
	organizations = []string{"Hospital Clínic", "Servizo Galego de Saúde", "Institut Català de la Salut", "University of Leuven",
		"Aalborg University Hospital", "CHU de Bordeaux", "Erasmus MC", "Living Lab Ageing at Home", "Fundació TIC Salut",
		"Hellenic Health Cluster", "Telecare Solutions S.L.", "MedTech Iberia", "Patients' Association of Catalonia",
		"Carers Network Galicia", "Regional Health Authority", "City of Barcelona", "Ayuntamiento de Vigo", "Philips Healthcare",
		"Startup Nexus Health", "Universidade de Santiago", "Karolinska Institutet", "Health Innovation Hub", "", ""}
	// categories, by weight: most people at a forum are professionals.
	categories = []string{models.CategoryClinician, models.CategoryClinician, models.CategoryClinician, models.CategoryResearcher,
		models.CategoryResearcher, models.CategoryIndustry, models.CategoryIndustry, models.CategoryPatientCitizen,
		models.CategoryPatientCitizen, models.CategoryCarer, models.CategoryOther, models.CategoryClinician,
		models.CategoryResearcher, models.CategoryIndustry, models.CategoryClinician, models.CategoryPatientCitizen,
		models.CategoryOther, models.CategoryResearcher, models.CategoryClinician, models.CategoryPublicAuth}
	languages = []string{"en", "en", "en", "es", "es", "ca", "gl", "fr", "nl", "el"}
	domains   = []string{"example.org", "hospital.example", "uni.example", "health.example", "mail.example"}
)

// Search terms with a known number of matches among the generated people.
const (
	// RareSurname is the surname of one person in every 2,000.
	RareSurname = "Olabarrieta"
	// CommonSurname is among the surnames of about one person in thirty.
	CommonSurname = "García"
)

// scalePerson is the i-th generated person.
type scalePerson struct {
	Name, Email, Organization, Category, Language string
}

func personAt(i int) scalePerson {
	first := firstNames[(i*7+i/37)%len(firstNames)]
	last := lastNames[(i*13+i/29)%len(lastNames)]
	if i%2000 == 1999 {
		last = RareSurname
	}
	local := strings.NewReplacer(" ", "", "'", "").Replace(models.FoldSearch(first + "." + last))
	return scalePerson{
		Name:         first + " " + last,
		Email:        fmt.Sprintf("%s.%d@%s", local, i, domains[i%len(domains)]),
		Organization: organizations[(i*11)%len(organizations)],
		Category:     categories[(i*3+i/7)%len(categories)],
		Language:     languages[(i*5+i/3)%len(languages)],
	}
}
