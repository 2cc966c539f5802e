package app

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func TestParsePrice(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		msg  string
	}{
		{"", 0, ""}, {"0", 0, ""}, {"25", 2500, ""}, {"25.00", 2500, ""}, {"25.5", 2550, ""}, {"25,50", 2550, ""},
		{" 7.05 ", 705, ""}, {".5", 50, ""}, {"1000000", 100000000, ""},
		{"-5", 0, "form.negative"}, {"-0.01", 0, "form.negative"}, {"abc", 0, "tickettype.bad_price"},
		{"12.345", 0, "tickettype.bad_price"}, {"1e3", 0, "tickettype.bad_price"}, {"25.", 0, "tickettype.bad_price"},
		{"2 5", 0, "tickettype.bad_price"}, {"1.2.3", 0, "tickettype.bad_price"}, {"€25", 0, "tickettype.bad_price"},
		{"1000000.01", 0, "tickettype.price_too_big"}, {strings.Repeat("9", 40), 0, "tickettype.bad_price"},
	} {
		got, msg := parsePrice(c.in)
		if got != c.want || msg != c.msg {
			t.Errorf("parsePrice(%q) = %d, %q; want %d, %q", c.in, got, msg, c.want, c.msg)
		}
	}
	if s := formatPrice(2505); s != "25.05" {
		t.Errorf("formatPrice(2505) = %q", s)
	}
	if s := formatPrice(7); s != "0.07" {
		t.Errorf("formatPrice(7) = %q", s)
	}
}

func validTicketForm() TicketTypeForm {
	return TicketTypeForm{Name: "Carer", Price: "25.00", Currency: "EUR", Capacity: "40", Category: models.CategoryCarer,
		MaxPerOrder: "2", Position: "1", SalesStartAt: "2027-01-01T09:00", SalesEndAt: "2027-02-01T09:00"}
}

func TestTicketTypeFormValidate(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Madrid")
	if errs := validTicketForm().Validate(loc, 0); errs.Any() {
		t.Fatalf("valid form refused: %v", errs)
	}
	for name, c := range map[string]struct {
		edit  func(*TicketTypeForm)
		taken int
		field string
		id    string
	}{
		"empty name":        {func(f *TicketTypeForm) { f.Name = "" }, 0, "name", "form.required"},
		"huge name":         {func(f *TicketTypeForm) { f.Name = strings.Repeat("é", 201) }, 0, "name", "form.too_long"},
		"garbage price":     {func(f *TicketTypeForm) { f.Price = "lots" }, 0, "price", "tickettype.bad_price"},
		"negative price":    {func(f *TicketTypeForm) { f.Price = "-1" }, 0, "price", "form.negative"},
		"unknown currency":  {func(f *TicketTypeForm) { f.Currency = "XXX" }, 0, "currency", "form.choose"},
		"negative capacity": {func(f *TicketTypeForm) { f.Capacity = "-3" }, 0, "capacity", "form.negative"},
		"capacity below":    {func(f *TicketTypeForm) { f.Capacity = "4" }, 5, "capacity", "tickettype.capacity_below_taken"},
		"window backwards":  {func(f *TicketTypeForm) { f.SalesEndAt = "2026-12-01T09:00" }, 0, "sales_end_at", "tickettype.sales_end_before_start"},
		"bad date":          {func(f *TicketTypeForm) { f.SalesStartAt = "tomorrow" }, 0, "sales_start_at", "form.bad_datetime"},
		"bad category":      {func(f *TicketTypeForm) { f.Category = "vip" }, 0, "category", "form.choose"},
		"zero per order":    {func(f *TicketTypeForm) { f.MaxPerOrder = "0" }, 0, "max_per_order", "tickettype.max_per_order_min"},
		"huge per order":    {func(f *TicketTypeForm) { f.MaxPerOrder = "5000" }, 0, "max_per_order", "form.too_big"},
	} {
		f := validTicketForm()
		c.edit(&f)
		errs := f.Validate(loc, c.taken)
		if errs[c.field].ID != c.id {
			t.Errorf("%s: %s error = %q, want %q (all: %v)", name, c.field, errs[c.field].ID, c.id, errs)
		}
	}
	// Unlimited (0) is allowed whatever is taken.
	f := validTicketForm()
	f.Capacity = "0"
	if errs := f.Validate(loc, 500); errs.Any() {
		t.Fatalf("capacity 0 with places taken refused: %v", errs)
	}
	var tt models.TicketType
	validTicketForm().Apply(&tt, loc)
	if tt.Price != 2500 || tt.Capacity != 40 || tt.MaxPerOrder != 2 || tt.SalesStartAt == nil ||
		!tt.SalesStartAt.Equal(time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("Apply: %+v", tt)
	}
}

func TestQuestionFormValidate(t *testing.T) {
	ok := QuestionForm{Kind: models.QuestionChoice, Label: "Lunch?", Options: "Meat\r\n\r\n Fish \nVegetarian"}
	if errs := ok.Validate(); errs.Any() {
		t.Fatalf("valid question refused: %v", errs)
	}
	var q models.Question
	ok.Apply(&q)
	if got := q.OptionList(); len(got) != 3 || got[1] != "Fish" {
		t.Fatalf("options %v", got)
	}
	for name, c := range map[string]struct {
		f     QuestionForm
		field string
		id    string
	}{
		"one option":   {QuestionForm{Kind: models.QuestionChoice, Label: "x", Options: "only"}, "options", "regquestion.options_min"},
		"duplicates":   {QuestionForm{Kind: models.QuestionChoice, Label: "x", Options: "a\na"}, "options", "regquestion.options_duplicate"},
		"unknown kind": {QuestionForm{Kind: "file", Label: "x"}, "kind", "form.choose"},
		"no label":     {QuestionForm{Kind: models.QuestionText}, "label", "form.required"},
		"huge label":   {QuestionForm{Kind: models.QuestionText, Label: strings.Repeat("x", 501)}, "label", "form.too_long"},
		"bad position": {QuestionForm{Kind: models.QuestionText, Label: "x", Position: "first"}, "position", "form.not_a_number"},
		"huge option":  {QuestionForm{Kind: models.QuestionChoice, Label: "x", Options: "a\n" + strings.Repeat("b", 201)}, "options", "form.too_long"},
	} {
		if errs := c.f.Validate(); errs[c.field].ID != c.id {
			t.Errorf("%s: %s = %q, want %q", name, c.field, errs[c.field].ID, c.id)
		}
	}
	// A text question drops options typed before switching kind.
	var tq models.Question
	QuestionForm{Kind: models.QuestionText, Label: "Why?", Options: "a\nb"}.Apply(&tq)
	if tq.Options != "" {
		t.Fatalf("text question kept options %q", tq.Options)
	}
	if errs := (ConsentForm{Kind: "privacy", Body: ""}).Validate(); errs["body"].ID != "form.required" {
		t.Fatalf("empty consent text: %v", errs)
	}
	if errs := (ConsentForm{Kind: "marketing", Body: "x"}).Validate(); !errs.Any() {
		t.Fatal("unknown consent kind accepted")
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+2": "'=1+2", "+33 600": "'+33 600", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)",
		"\t=x": "'\t=x", "Ana": "Ana", "": "", "a=b": "a=b"} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRegistrationFilter(t *testing.T) {
	q, _ := url.ParseQuery("q=+ana+&ticket_type=abc&category=vip&status=confirmed&checked_in=maybe&page=-3")
	f := parseRegistrationFilter(q)
	if f.Q != "ana" || f.TicketType != "" || f.Category != "" || f.Status != "confirmed" || f.CheckedIn != "" || f.Page != 1 {
		t.Fatalf("filter %+v", f)
	}
	f = RegistrationFilterForm{Q: "a&b", Status: "pending", Page: 2}
	if got := f.PageURL("/x", 3); got != "/x?page=3&q=a%26b&status=pending" {
		t.Fatalf("PageURL = %q", got)
	}
	if got := (RegistrationFilterForm{}).PageURL("/x", 1); got != "/x" {
		t.Fatalf("PageURL = %q", got)
	}
}
