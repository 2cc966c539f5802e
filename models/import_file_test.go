package models

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

func TestParseImportFileEncodingsAndSeparators(t *testing.T) {
	latin, _ := charmap.Windows1252.NewEncoder().String("Nombre;Correo\r\nJosé Peña;jose@example.org\r\n")
	utf16, _ := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String("name\temail\nZoë Tab\tzoe@example.org\n")
	cases := []struct {
		name, in, wantName, wantEmail string
	}{
		{"commas", "name,email,organization\nAna,ana@example.org,Org\n", "Ana", "ana@example.org"},
		{"BOM and semicolons", "\ufeffE-mail;Full name\n ana@example.org ; Ana María \n", "Ana María", "ana@example.org"},
		{"Windows-1252", latin, "José Peña", "jose@example.org"},
		{"UTF-16 with BOM, tabs", utf16, "Zoë Tab", "zoe@example.org"},
		{"quoted separators and blank lines", "name,email\n\n\"Doe, Jane\",jane@example.org\n,\n", "Doe, Jane", "jane@example.org"},
	}
	for _, c := range cases {
		got, err := ParseImportFile([]byte(c.in))
		if err != nil || len(got) != 1 || got[0].Name != c.wantName || got[0].Email != c.wantEmail {
			t.Errorf("%s: %+v %v", c.name, got, err)
		}
	}
	bad := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrImportEmpty},
		{"header only", []byte("name,email\r\n"), ErrImportEmpty},
		{"no e-mail column", []byte("name,phone\nAna,123\n"), ErrImportHeader},
		{"NUL", []byte("name,email\nA\x00,a@example.org\n"), ErrImportNotText},
		{"escape codes", []byte("name,email\n\x1b[31mA,a@example.org\n"), ErrImportNotText},
		{"too large", []byte(strings.Repeat("a", MaxImportBytes+1)), ErrImportTooLarge},
		{"too many rows", []byte("name,email\n" + strings.Repeat("A,a@example.org\n", MaxImportRows+1)), ErrImportTooMany},
	}
	for _, c := range bad {
		if _, err := ParseImportFile(c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}
