package models

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Limits of an invitee import file.
const (
	MaxImportRows  = 10_000
	MaxImportBytes = 2_000_000
)

// Errors of reading an import file; each is a message beside the file field.
var (
	ErrImportEmpty    = errors.New("the file is empty")
	ErrImportTooLarge = errors.New("the file is larger than the limit")
	ErrImportTooMany  = errors.New("the file has more rows than the limit")
	ErrImportNotText  = errors.New("the file is not a text (CSV) file")
	ErrImportHeader   = errors.New("the header row does not name the name and e-mail columns")
	ErrImportBadCSV   = errors.New("the file is not valid CSV")
)

// ImportLine is one data row of an import file, as written in it.
type ImportLine struct {
	Line         int // in the file, counting the header as 1
	Name         string
	Email        string
	Organization string
	TicketType   string
	Language     string
}

// importColumns maps header names (lower case, without spaces, dashes,
// underscores and accents) to the column they name; English and Spanish,
// as spreadsheets are written in either.
var importColumns = map[string]string{
	"name": "name", "fullname": "name", "nombre": "name", "nombrecompleto": "name",
	"email": "email", "emailaddress": "email", "mail": "email", "correo": "email", "correoelectronico": "email",
	"organization": "organization", "organisation": "organization", "organizacion": "organization", "company": "organization", "empresa": "organization", "entidad": "organization",
	"tickettype": "ticket", "ticket": "ticket", "entrada": "ticket", "tipodeentrada": "ticket", "tipoentrada": "ticket",
	"language": "language", "lang": "language", "idioma": "language",
}

// DecodeImportText turns the bytes of an uploaded file into text: UTF-8
// with or without a byte order mark, UTF-16 with one (Excel's "Unicode
// text"), else Windows-1252 (Excel's "CSV" on Western Windows, a superset
// of Latin-1 for printable text). Bytes no text file holds (NUL, other
// control characters) are ErrImportNotText.
func DecodeImportText(b []byte) (string, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return "", ErrImportEmpty
	}
	if len(b) > MaxImportBytes {
		return "", ErrImportTooLarge
	}
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		d, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", ErrImportNotText
		}
		b = d
	}
	if !utf8.Valid(b) {
		d, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return "", ErrImportNotText
		}
		b = d
	}
	s := string(b)
	for _, r := range s {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r') {
			return "", ErrImportNotText
		}
	}
	if strings.TrimSpace(s) == "" {
		return "", ErrImportEmpty
	}
	return s, nil
}

// ParseImportFile reads an invitee file: a header row naming the columns
// (name and e-mail required; organization, ticket type and language
// optional, in any order), then one person per row, separated by commas,
// semicolons or tabs (whichever the header uses). Empty rows are skipped.
func ParseImportFile(b []byte) ([]ImportLine, error) {
	s, err := DecodeImportText(b)
	if err != nil {
		return nil, err
	}
	header, _, _ := strings.Cut(strings.TrimLeft(s, "\r\n"), "\n")
	sep := ','
	best := strings.Count(header, ",")
	for _, c := range []rune{';', '\t'} {
		if n := strings.Count(header, string(c)); n > best {
			sep, best = c, n
		}
	}
	r := csv.NewReader(strings.NewReader(s))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
	cols := map[string]int{}
	var out []ImportLine
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, ErrImportBadCSV
		}
		if blankRecord(rec) {
			continue
		}
		if len(cols) == 0 {
			for i, h := range rec {
				if c, ok := importColumns[headerKey(h)]; ok {
					if _, seen := cols[c]; !seen {
						cols[c] = i
					}
				}
			}
			if _, ok := cols["name"]; !ok {
				return nil, ErrImportHeader
			}
			if _, ok := cols["email"]; !ok {
				return nil, ErrImportHeader
			}
			continue
		}
		if len(out) == MaxImportRows {
			return nil, ErrImportTooMany
		}
		line, _ := r.FieldPos(0)
		get := func(c string) string {
			if i, ok := cols[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		out = append(out, ImportLine{Line: line, Name: get("name"), Email: get("email"), Organization: get("organization"),
			TicketType: get("ticket"), Language: get("language")})
	}
	if len(cols) == 0 {
		return nil, ErrImportHeader
	}
	if len(out) == 0 {
		return nil, ErrImportEmpty
	}
	return out, nil
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// headerKey folds a header cell for lookup: "E-mail" → "email",
// "Organización" → "organizacion", "Ticket type" → "tickettype".
func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch r {
		case ' ', '-', '_', '.', '\u00a0':
			continue
		case 'á', 'à', 'ä':
			r = 'a'
		case 'é', 'è', 'ë':
			r = 'e'
		case 'í', 'ï':
			r = 'i'
		case 'ó', 'ö':
			r = 'o'
		case 'ú', 'ü':
			r = 'u'
		case 'ñ':
			r = 'n'
		}
		b.WriteRune(r)
	}
	return b.String()
}
