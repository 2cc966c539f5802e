package app

import (
	"fmt"
	"net/url"

	"github.com/agora-events/agora/models"
)

// setUpSecretKeys reads the key that encrypts two-factor secrets. A
// malformed key stops the start (a typo must not quietly turn two-factor
// sign-in off); no key at all is allowed, but then nobody can set it up and
// nobody can be made to use it, so the log says so loudly while site
// admins, who must use it, exist.
func (a *App) setUpSecretKeys() error {
	keys, err := models.ParseSecretKeys(a.cfg.SecretKey, a.cfg.SecretKeyOld)
	if err != nil {
		return fmt.Errorf("two-factor secret key: %w", err)
	}
	a.secrets = keys
	if keys != nil {
		a.log.Info("two-factor secret key", "key_id", keys.CurrentID(), "old_keys", keys.OldCount())
		return nil
	}
	admins, err := models.CountAdmins(a.db)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if admins > 0 {
		a.log.Warn("AGORA_SECRET_KEY IS NOT SET: two-factor sign-in cannot be set up and is NOT ENFORCED, "+
			"although site admins must use it; set AGORA_SECRET_KEY (see docs/DEPLOYMENT.md)", "admins", admins)
	}
	return nil
}

// twoFactorIssuer is the name authenticator apps show beside the code: the
// site's host (without a port, which the otpauth label cannot hold).
func (a *App) twoFactorIssuer() string {
	if u, err := url.Parse(a.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return "Agora " + u.Hostname()
	}
	return "Agora"
}
