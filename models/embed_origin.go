package models

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// EmbedOrigin is one site (scheme, host and port, nothing more) on which an
// organization lets its events' registration form and programme be shown in
// a frame. The embed pages name these in their frame-ancestors policy;
// every other page of the site refuses to be framed.
type EmbedOrigin struct {
	ID             uint   `gorm:"primaryKey"`
	OrganizationID uint   `gorm:"not null"`
	Origin         string `gorm:"size:300;not null"`
	CreatedAt      time.Time
}

// AuditEmbedOriginsChanged is written when an owner changes the list of
// sites allowed to embed the organization's pages.
const AuditEmbedOriginsChanged = "embed.origins_changed"

// MaxEmbedOrigins bounds the list: the policy header carries all of them.
const MaxEmbedOrigins = 20

// maxOriginLen bounds one origin as typed.
const maxOriginLen = 300

// Codes of OriginProblem, stable for the page to translate.
const (
	OriginBadScheme = "scheme" // not https (http only for this computer)
	OriginBadHost   = "host"   // missing, or with characters a site name never has
	OriginBadPort   = "port"
	OriginHasPath   = "path" // a path, query, fragment or user name after the site
	OriginTooMany   = "too_many"
	OriginTooLong   = "too_long"
)

// OriginProblem says what is wrong with one line of the list.
type OriginProblem struct {
	Line  int    // 1-based
	Value string // as typed
	Code  string
}

// ParseEmbedOrigins reads a list of sites, one per line, as an owner types
// it, and returns them normalised (lower case, default port and a final "/"
// dropped), without blanks and repeats, or the problem with each bad line.
func ParseEmbedOrigins(text string) ([]string, []OriginProblem) {
	var out []string
	var problems []OriginProblem
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		o, code := NormaliseOrigin(line)
		if code != "" {
			problems = append(problems, OriginProblem{Line: i + 1, Value: line, Code: code})
			continue
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	if len(problems) == 0 && len(out) > MaxEmbedOrigins {
		problems = append(problems, OriginProblem{Code: OriginTooMany})
	}
	return out, problems
}

// NormaliseOrigin returns s as an origin ("https://www.example.org",
// "http://localhost:8080"), or the code of what is wrong with it.
func NormaliseOrigin(s string) (string, string) {
	if len(s) > maxOriginLen {
		return "", OriginTooLong
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" {
		if !strings.Contains(s, "://") {
			return "", OriginBadScheme
		}
		return "", OriginBadHost
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if scheme == "" || u.Host == "" && !strings.Contains(s, "://") {
		return "", OriginBadScheme
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", OriginHasPath
	}
	if !validOriginHost(host) {
		return "", OriginBadHost
	}
	local := host == "localhost" || host == "127.0.0.1"
	if scheme != "https" && !(scheme == "http" && local) {
		return "", OriginBadScheme
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strings.HasPrefix(port, "0") {
			return "", OriginBadPort
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return "", OriginBadPort
	}
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	o := scheme + "://" + host
	if port != "" {
		o += ":" + port
	}
	return o, ""
}

// validOriginHost accepts DNS names (letters, digits, hyphens; labels not
// empty and not starting or ending with a hyphen) and IPv4 addresses, which
// is all a frame-ancestors source may name without wildcards.
func validOriginHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// EmbedOrigins lists orgID's sites in the order they were added.
func EmbedOrigins(db *gorm.DB, orgID uint) ([]string, error) {
	var out []string
	err := db.Model(&EmbedOrigin{}).Where("organization_id = ?", orgID).Order("id").Pluck("origin", &out).Error
	return out, err
}

// ErrBadEmbedOrigins is SetEmbedOrigins' answer to a list that
// ParseEmbedOrigins would not give.
var ErrBadEmbedOrigins = errors.New("embed origins: not a valid list")

// SetEmbedOrigins replaces orgID's list by origins (as ParseEmbedOrigins
// returned them) and writes the change to the audit log in the same
// transaction, naming what was added and removed. An unchanged list writes
// nothing and reports false.
func SetEmbedOrigins(db *gorm.DB, entry AuditEntry, origins []string) (bool, error) {
	if len(origins) > MaxEmbedOrigins {
		return false, ErrBadEmbedOrigins
	}
	for _, o := range origins {
		if n, code := NormaliseOrigin(o); code != "" || n != o {
			return false, ErrBadEmbedOrigins
		}
	}
	changed := false
	err := db.Transaction(func(tx *gorm.DB) error {
		var rows []EmbedOrigin
		if err := lockOrganization(tx, entry.OrganizationID); err != nil {
			return err
		}
		if err := tx.Where("organization_id = ?", entry.OrganizationID).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		var added, removed []string
		old := map[string]bool{}
		for _, r := range rows {
			old[r.Origin] = true
			if !slices.Contains(origins, r.Origin) {
				removed = append(removed, r.Origin)
				if err := tx.Delete(&EmbedOrigin{}, r.ID).Error; err != nil {
					return err
				}
			}
		}
		for _, o := range origins {
			if !old[o] {
				added = append(added, o)
				if err := tx.Create(&EmbedOrigin{OrganizationID: entry.OrganizationID, Origin: o, CreatedAt: time.Now().UTC()}).Error; err != nil {
					return err
				}
			}
		}
		if len(added) == 0 && len(removed) == 0 {
			return nil
		}
		changed = true
		entry.Subject = "embed origins"
		var d []string
		if len(added) > 0 {
			d = append(d, "added: "+strings.Join(added, " "))
		}
		if len(removed) > 0 {
			d = append(d, "removed: "+strings.Join(removed, " "))
		}
		entry.Detail = strings.Join(d, "; ")
		return RecordAudit(tx, entry)
	})
	return changed, err
}

// lockOrganization takes the organization's row lock on PostgreSQL, so two
// owners saving the list at once apply one after the other (SQLite writes
// one transaction at a time anyway).
func lockOrganization(tx *gorm.DB, orgID uint) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec("SELECT id FROM organizations WHERE id = ? FOR UPDATE", orgID).Error
}
