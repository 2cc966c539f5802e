package app

import "testing"

// Pages are parsed when first rendered; this parses them all, so a broken
// template fails here even if no other test renders its page.
func TestEveryTemplateParses(t *testing.T) {
	a := &App{}
	views, err := loadTemplates(a.funcs())
	if err != nil {
		t.Fatal(err)
	}
	if len(views.pages) < 50 {
		t.Fatalf("only %d pages found", len(views.pages))
	}
	if err := views.warm(); err != nil {
		t.Fatal(err)
	}
	for name, p := range views.pages {
		if p.tpl == nil {
			t.Errorf("%s was not parsed", name)
		}
	}
}
