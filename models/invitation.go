package models

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// InvitationTTL is how long an invitation link works after it was (re)sent.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation asks a person, by e-mail, to join an organization's team with a
// role: they follow the link, set their own password (or sign in to the
// account they have) and are in. No one types another person's password.
// Only the SHA-256 hash of the link's token is stored; resending replaces it,
// so the older link stops working. An invitation is open until it is
// accepted or withdrawn; the database allows one open invitation per
// organization and address (idx_invitations_open, migration 19).
type Invitation struct {
	ID                uint   `gorm:"primaryKey"`
	OrganizationID    uint   `gorm:"not null;index"`
	Email             string `gorm:"size:254;not null"`
	Role              string `gorm:"size:20;not null"`
	AccessCoordinator bool   `gorm:"not null;default:false"`
	TokenHash         string `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt         time.Time
	// InvitedByID and InvitedByEmail say who invited (the e-mail stays when
	// the account goes).
	InvitedByID    *uint
	InvitedByEmail string `gorm:"size:254;not null;default:''"`
	// Language is the one the invitation mail is written in.
	Language       string `gorm:"size:8;not null;default:en"`
	SentCount      int    `gorm:"not null;default:1"`
	LastSentAt     time.Time
	AcceptedAt     *time.Time
	AcceptedUserID *uint
	WithdrawnAt    *time.Time
	CreatedAt      time.Time
	Organization   Organization
}

// Invitation states, as the team page shows them.
const (
	InvitationOpen      = "open"
	InvitationExpired   = "expired"
	InvitationAccepted  = "accepted"
	InvitationWithdrawn = "withdrawn"
)

// State says where the invitation stands at now.
func (i Invitation) State(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return InvitationAccepted
	case i.WithdrawnAt != nil:
		return InvitationWithdrawn
	case !now.Before(i.ExpiresAt):
		return InvitationExpired
	}
	return InvitationOpen
}

// Why an invitation cannot be used or made. Unknown is a 404 (it may also be
// an older link of a resent invitation); the others are gone (410).
var (
	ErrAlreadyInvited         = errors.New("an invitation to this address is open already")
	ErrInvitationUnknown      = errors.New("no invitation has this link")
	ErrInvitationExpired      = errors.New("the invitation has expired")
	ErrInvitationWithdrawn    = errors.New("the invitation was withdrawn")
	ErrInvitationUsed         = errors.New("the invitation was accepted already")
	ErrInvitationOtherAccount = errors.New("the invitation is for another address")
	ErrInvitationHasAccount   = errors.New("the address has an account: sign in to accept")
	ErrInvitationNotOpen      = errors.New("the invitation is not open")
)

// InvitationMail builds the e-mail that carries inv's link with token. The
// rule enqueues it in its own transaction, so the invitation and its mail
// commit together. (The token exists in clear only in that mail.)
type InvitationMail func(inv Invitation, token string) (OutboxMessage, error)

// InviteInput is who is invited where, by whom.
type InviteInput struct {
	OrganizationID    uint
	Email             string
	Role              string
	AccessCoordinator bool
	InvitedBy         *User // nil for the system
	Language          string
	Now               time.Time
}

// Invite makes an invitation and queues its mail, writing e (AuditInvited)
// in the same transaction. An address already in the team is
// ErrAlreadyMember; one with an open, unexpired invitation is
// ErrAlreadyInvited (resend that one). An expired open invitation to the
// same address is withdrawn to make way.
func Invite(db *gorm.DB, in InviteInput, e AuditEntry, mail InvitationMail) (*Invitation, error) {
	email := NormalizeEmail(in.Email)
	if email == "" || len(email) > 254 {
		return nil, errors.New("invite: no e-mail address")
	}
	if !ValidRole(in.Role) {
		return nil, fmt.Errorf("invite: unknown role %q", in.Role)
	}
	now := in.Now.UTC()
	var inv *Invitation
	e.Action = AuditInvited
	e.Subject = email
	e.Detail = invitationDetail(in.Role, in.AccessCoordinator)
	err := Audited(db, e, func(tx *gorm.DB, _ *AuditEntry) error {
		member, err := isMemberByEmail(tx, in.OrganizationID, email)
		if err != nil {
			return err
		}
		if member {
			return ErrAlreadyMember
		}
		var open []Invitation
		if err := tx.Where("organization_id = ? AND email = ? AND accepted_at IS NULL AND withdrawn_at IS NULL", in.OrganizationID, email).
			Find(&open).Error; err != nil {
			return err
		}
		for _, o := range open {
			if o.State(now) == InvitationOpen {
				return ErrAlreadyInvited
			}
			if err := tx.Model(&Invitation{}).Where("id = ?", o.ID).Update("withdrawn_at", now).Error; err != nil {
				return err
			}
			if err := dropUnsentInvitationMail(tx, o.ID); err != nil {
				return err
			}
		}
		raw := NewSecret()
		inv = &Invitation{OrganizationID: in.OrganizationID, Email: email, Role: in.Role, AccessCoordinator: in.AccessCoordinator,
			TokenHash: hashToken(raw), ExpiresAt: now.Add(InvitationTTL), Language: in.Language, SentCount: 1, LastSentAt: now, CreatedAt: now}
		if inv.Language == "" {
			inv.Language = "en"
		}
		if in.InvitedBy != nil {
			id := in.InvitedBy.ID
			inv.InvitedByID, inv.InvitedByEmail = &id, in.InvitedBy.Email
		}
		if err := tx.Create(inv).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrAlreadyInvited // another owner invited them at the same moment
			}
			return err
		}
		return queueInvitationMail(tx, inv, raw, mail)
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// ResendInvitation mails an open invitation of orgID again with a new link
// (the older one stops working) and a new expiry, writing e (AuditInviteResent).
// A withdrawn or accepted invitation is ErrInvitationNotOpen; an expired one
// may be resent.
func ResendInvitation(db *gorm.DB, orgID, id uint, now time.Time, e AuditEntry, mail InvitationMail) (*Invitation, error) {
	now = now.UTC()
	var inv Invitation
	e.Action = AuditInviteResent
	err := Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		if err := tx.Where("id = ? AND organization_id = ?", id, orgID).Take(&inv).Error; err != nil {
			return err
		}
		raw := NewSecret()
		res := tx.Model(&Invitation{}).Where("id = ? AND accepted_at IS NULL AND withdrawn_at IS NULL", inv.ID).Updates(map[string]any{
			"token_hash": hashToken(raw), "expires_at": now.Add(InvitationTTL), "sent_count": gorm.Expr("sent_count + 1"), "last_sent_at": now,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrInvitationNotOpen
		}
		if err := tx.Take(&inv, inv.ID).Error; err != nil {
			return err
		}
		e.Subject = inv.Email
		e.Detail = fmt.Sprintf("sent %d times", inv.SentCount)
		if err := dropUnsentInvitationMail(tx, inv.ID); err != nil {
			return err
		}
		return queueInvitationMail(tx, &inv, raw, mail)
	})
	if err != nil {
		return nil, err
	}
	return &inv, nil
}

// WithdrawInvitation closes an open invitation of orgID (its link stops
// working; a mail not yet sent is not sent), writing e (AuditInviteWithdrawn).
func WithdrawInvitation(db *gorm.DB, orgID, id uint, now time.Time, e AuditEntry) error {
	e.Action = AuditInviteWithdrawn
	return Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		var inv Invitation
		if err := tx.Where("id = ? AND organization_id = ?", id, orgID).Take(&inv).Error; err != nil {
			return err
		}
		res := tx.Model(&Invitation{}).Where("id = ? AND accepted_at IS NULL AND withdrawn_at IS NULL", inv.ID).Update("withdrawn_at", now.UTC())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrInvitationNotOpen
		}
		e.Subject = inv.Email
		e.Detail = invitationDetail(inv.Role, inv.AccessCoordinator)
		return dropUnsentInvitationMail(tx, inv.ID)
	})
}

// OpenInvitations lists orgID's invitations that are neither accepted nor
// withdrawn (expired ones included: they can be resent), newest first.
func OpenInvitations(db *gorm.DB, orgID uint) ([]Invitation, error) {
	var out []Invitation
	err := db.Where("organization_id = ? AND accepted_at IS NULL AND withdrawn_at IS NULL", orgID).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// InvitationByToken finds the invitation whose link has raw, with its
// organization, and says why it cannot be used when it cannot: unknown
// (ErrInvitationUnknown), expired, withdrawn, accepted.
func InvitationByToken(db *gorm.DB, raw string, now time.Time) (*Invitation, error) {
	if !LooksLikeSecret(raw) {
		return nil, ErrInvitationUnknown
	}
	h := hashToken(raw)
	var inv Invitation
	if err := db.Preload("Organization").Where("token_hash = ?", h).Take(&inv).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrInvitationUnknown
		}
		return nil, err
	}
	// The index found it; compare again in constant time all the same.
	if subtle.ConstantTimeCompare([]byte(inv.TokenHash), []byte(h)) != 1 {
		return nil, ErrInvitationUnknown
	}
	return &inv, stateErr(inv.State(now.UTC()))
}

func stateErr(state string) error {
	switch state {
	case InvitationAccepted:
		return ErrInvitationUsed
	case InvitationWithdrawn:
		return ErrInvitationWithdrawn
	case InvitationExpired:
		return ErrInvitationExpired
	}
	return nil
}

// AcceptResult is what accepting did.
type AcceptResult struct {
	Invitation Invitation
	// AlreadyMember: the person was in the team already (added meanwhile);
	// the invitation is used up and their membership left as it was.
	AlreadyMember bool
}

// AcceptInvitation lets u, the account the invitation is addressed to, join
// the team, once: the invitation is marked accepted by a conditional update
// (open, not expired), so two accepts at once make one membership. e
// (AuditInviteAccepted) is written in the same transaction.
func AcceptInvitation(db *gorm.DB, raw string, u *User, now time.Time, e AuditEntry) (*AcceptResult, error) {
	inv, err := InvitationByToken(db, raw, now)
	if err != nil {
		return nil, err
	}
	if NormalizeEmail(u.Email) != inv.Email {
		return nil, ErrInvitationOtherAccount
	}
	out := &AcceptResult{}
	e.Action = AuditInviteAccepted
	err = Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		if err := claimInvitation(tx, inv, u.ID, now); err != nil {
			return err
		}
		member, err := isMember(tx, inv.OrganizationID, u.ID)
		if err != nil {
			return err
		}
		e.Subject = inv.Email
		e.Detail = invitationDetail(inv.Role, inv.AccessCoordinator)
		if member {
			out.AlreadyMember = true
			e.Detail += "; already a member, membership unchanged"
			return nil
		}
		return tx.Create(&Membership{OrganizationID: inv.OrganizationID, UserID: u.ID, Role: inv.Role, AccessCoordinator: inv.AccessCoordinator}).Error
	})
	if err != nil {
		return nil, err
	}
	out.Invitation = *inv
	return out, nil
}

// AcceptInvitationNewAccount is accepting for an address without an
// account: it checks the chosen password (CheckNewPassword's errors come
// back as they are), then creates the account and the membership in one
// transaction with the entry e (its actor becomes the new account). An
// address that has an account by then is ErrInvitationHasAccount.
func AcceptInvitationNewAccount(db *gorm.DB, raw, name, password string, now time.Time, e AuditEntry) (*User, error) {
	inv, err := InvitationByToken(db, raw, now)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := CheckNewPassword(password, inv.Email, name); err != nil {
		return nil, err
	}
	// Hash before the transaction: the write lock is not held while it runs.
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &User{Email: inv.Email, Name: name, PasswordHash: hash}
	e.Action = AuditInviteAccepted
	err = Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		// Claim first: a second accept at the same moment waits here and
		// then finds the invitation used.
		if err := claimInvitation(tx, inv, 0, now); err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrInvitationHasAccount
			}
			return fmt.Errorf("create user: %w", err)
		}
		if err := tx.Model(&Invitation{}).Where("id = ?", inv.ID).Update("accepted_user_id", u.ID).Error; err != nil {
			return err
		}
		id := u.ID
		e.ActorUserID, e.ActorEmail = &id, u.Email
		e.Subject = inv.Email
		e.Detail = invitationDetail(inv.Role, inv.AccessCoordinator) + "; new account"
		return tx.Create(&Membership{OrganizationID: inv.OrganizationID, UserID: u.ID, Role: inv.Role, AccessCoordinator: inv.AccessCoordinator}).Error
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// claimInvitation marks inv accepted by userID if it is still open and not
// expired; a lost race (or a link used meanwhile) says why it is gone.
func claimInvitation(tx *gorm.DB, inv *Invitation, userID uint, now time.Time) error {
	now = now.UTC()
	res := tx.Model(&Invitation{}).
		Where("id = ? AND token_hash = ? AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > ?", inv.ID, inv.TokenHash, now).
		Updates(claimed(now, userID))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 1 {
		return dropUnsentInvitationMail(tx, inv.ID)
	}
	var cur Invitation
	if err := tx.Take(&cur, inv.ID).Error; err != nil {
		return err
	}
	if cur.TokenHash != inv.TokenHash {
		return ErrInvitationUnknown // resent meanwhile: this link is an old one
	}
	if err := stateErr(cur.State(now)); err != nil {
		return err
	}
	return ErrInvitationUsed
}

func claimed(now time.Time, userID uint) map[string]any {
	up := map[string]any{"accepted_at": now}
	if userID != 0 {
		up["accepted_user_id"] = userID
	}
	return up
}

func invitationDetail(role string, coordinator bool) string {
	d := "role: " + role
	if coordinator {
		d += "; access coordinator"
	}
	return d
}

func invitationMailKey(id uint, n int) string { return fmt.Sprintf("invitation:%d:%d", id, n) }

// queueInvitationMail enqueues inv's mail with its link's token.
func queueInvitationMail(tx *gorm.DB, inv *Invitation, raw string, mail InvitationMail) error {
	if inv.Organization.ID == 0 {
		if err := tx.Take(&inv.Organization, inv.OrganizationID).Error; err != nil {
			return err
		}
	}
	msg, err := mail(*inv, raw)
	if err != nil {
		return fmt.Errorf("invitation mail: %w", err)
	}
	msg.To, msg.Language, msg.DedupeKey = inv.Email, inv.Language, invitationMailKey(inv.ID, inv.SentCount)
	msg.Kind, msg.RefID = "", inv.ID
	return Enqueue(tx, &msg)
}

// dropUnsentInvitationMail removes the invitation's mails not sent yet (their
// link no longer works, so they would only confuse) and blanks the bodies of
// those sent, so no copy of an old link stays in the database either.
func dropUnsentInvitationMail(tx *gorm.DB, id uint) error {
	key := fmt.Sprintf("invitation:%d:%%", id)
	if err := tx.Where("dedupe_key LIKE ? AND status = ?", key, OutboxPending).Delete(&OutboxMessage{}).Error; err != nil {
		return err
	}
	return tx.Model(&OutboxMessage{}).Where("dedupe_key LIKE ?", key).Updates(map[string]any{"text_body": "", "html_body": ""}).Error
}

func isMember(tx *gorm.DB, orgID, userID uint) (bool, error) {
	var n int64
	err := tx.Model(&Membership{}).Where("organization_id = ? AND user_id = ?", orgID, userID).Count(&n).Error
	return n > 0, err
}

func isMemberByEmail(tx *gorm.DB, orgID uint, email string) (bool, error) {
	var n int64
	err := tx.Model(&Membership{}).Joins("JOIN users ON users.id = memberships.user_id").
		Where("memberships.organization_id = ? AND users.email = ?", orgID, NormalizeEmail(email)).Count(&n).Error
	return n > 0, err
}
