// Command agora runs the Agora event and agora registration site.
//
//	agora serve [--demo]      run the site
//	agora migrate             bring the database schema up to date
//	agora seed --demo         add the demo organization and events (idempotent)
//	agora user add ...        create an organizer or site admin
//	agora backup FILE         copy the SQLite database while it runs
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // event time zones work on minimal images without zoneinfo

	"gorm.io/gorm"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/agora-events/agora/app"
	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/views"
)

const usage = `agora — event and agora registration for health and care innovation networks

Usage:
  agora serve   [--addr :3000] [--db agora.db] [--base-url URL] [--demo] [--trusted-proxies CIDRS]
                [--stripe-secret-key K] [--stripe-webhook-secret S] [--stripe-api-base URL]
                [--session-idle 12h] [--session-max 168h] [--secret-key K] [--secret-key-old K1,K2]
                [--languages en,es,gl,ca,el,fr,nl] [--webhooks-allow-private]
  agora migrate [--db agora.db]
  agora seed    --demo [--db agora.db]
  agora user add --email E --name N [--password P] [--admin] [--org NAME] [--role owner|manager|checkin] [--db agora.db]
  agora user reset-two-factor --email E [--db agora.db]   remove a person's second factor (a lost phone and codes)
  agora backup FILE [--db agora.db]
  agora migrate-to postgres://USER@HOST/DB [--db agora.db]   copy a SQLite installation into an empty PostgreSQL

Environment (each flag has one; flags win):
  AGORA_ADDR        address to listen on (default :3000; 127.0.0.1:3000 with --demo)
  AGORA_DB          SQLite file path (default agora.db) or a postgres:// URL
  AGORA_BASE_URL    public URL used in links, e-mails and calendars
  AGORA_TRUSTED_PROXIES  reverse proxies whose X-Forwarded-For is believed: CIDRs or IPs, comma-separated
  AGORA_SECRET_KEY  32 random bytes (base64 or hex) that encrypt two-factor secrets; unset = no two-factor sign-in
  AGORA_SECRET_KEY_OLD   previous secret keys, comma-separated, while rotating (see docs/DEPLOYMENT.md)
  AGORA_SESSION_IDLE  an organizer is signed out after this long without a request (default 12h)
  AGORA_SESSION_MAX   an organizer is signed out this long after signing in, however active (default 168h = 7 days)
  AGORA_LANGUAGES   interface languages offered, comma-separated, first = default (default en,es,gl,ca,el,fr,nl)
  AGORA_WEBHOOKS_ALLOW_PRIVATE  true = webhook endpoints may be on private, loopback or link-local addresses, and plain http (default false: https to public addresses only)
  AGORA_SYNCHRONOUS SQLite PRAGMA synchronous (default FULL)
  AGORA_PASSWORD    password for "user add" when --password is not given
  AGORA_LOG_FORMAT  text (default) or json; request lines are written in batches within 50 ms, other lines at once
  AGORA_PPROF_ADDR  address (e.g. 127.0.0.1:6060) of a separate listener serving Go's profiles; unset = none
  AGORA_SMTP_URL    smtp://user:pass@host:port or smtps://...; unset = mails are logged
  AGORA_MAIL_FROM   sender address of e-mails (default "Agora <no-reply@localhost>")
  AGORA_MAIL_LEASE  how long an instance's claim on an e-mail lasts before another may send it (default 2m)
  STRIPE_SECRET_KEY     Stripe secret key (sk_test_... or sk_live_...); unset = paid tickets are not sold
  STRIPE_WEBHOOK_SECRET signing secret of the /stripe/webhook endpoint (whsec_...)
  STRIPE_API_BASE       Stripe API address, e.g. http://127.0.0.1:12111 for stripe-mock (default Stripe)
`

func main() {
	logs := newLogBuffer(os.Stderr)
	err := run(os.Args[1:], os.Stdout, newLogger(logs))
	_ = logs.Close()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "agora:", err)
		os.Exit(1)
	}
}

func newLogger(w io.Writer) *slog.Logger {
	if os.Getenv("AGORA_LOG_FORMAT") == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(args []string, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(out, usage)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(rest, out, log)
	case "migrate":
		return cmdMigrate(rest, out)
	case "seed":
		return cmdSeed(rest, out)
	case "user":
		return cmdUser(rest, out)
	case "backup":
		return cmdBackup(rest, out)
	case "migrate-to":
		return cmdMigrateTo(rest, out)
	}
	fmt.Fprint(out, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// newFlags returns a flag set whose --help prints the whole usage.
func newFlags(name string, out io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { fmt.Fprint(out, usage) }
	db := fs.String("db", env("AGORA_DB", "agora.db"), "SQLite file or postgres:// URL (AGORA_DB)")
	return fs, db
}

// openDB opens and migrates the database.
func openDB(dsn string) (*gorm.DB, error) {
	db, err := models.Open(dsn, models.OpenOptions{SQLiteSynchronous: os.Getenv("AGORA_SYNCHRONOUS")})
	if err != nil {
		return nil, err
	}
	if err := models.Migrate(db); err != nil {
		return nil, err
	}
	return db, nil
}

func cmdServe(args []string, out io.Writer, log *slog.Logger) error {
	fs, dsn := newFlags("serve", out)
	addr := fs.String("addr", env("AGORA_ADDR", ":3000"), "address to listen on (AGORA_ADDR)")
	baseURL := fs.String("base-url", env("AGORA_BASE_URL", ""), "public URL for links (AGORA_BASE_URL)")
	withDemo := fs.Bool("demo", false, "add the demo organization and events first")
	proxies := fs.String("trusted-proxies", env("AGORA_TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For is believed, e.g. 127.0.0.1,10.0.0.0/8 (AGORA_TRUSTED_PROXIES)")
	secretKey := fs.String("secret-key", env("AGORA_SECRET_KEY", ""), "key that encrypts two-factor secrets: 32 bytes, base64 or hex (AGORA_SECRET_KEY)")
	secretKeyOld := fs.String("secret-key-old", env("AGORA_SECRET_KEY_OLD", ""), "previous secret keys while rotating, comma-separated (AGORA_SECRET_KEY_OLD)")
	stripeKey := fs.String("stripe-secret-key", env("STRIPE_SECRET_KEY", ""), "Stripe secret key (STRIPE_SECRET_KEY)")
	stripeWebhook := fs.String("stripe-webhook-secret", env("STRIPE_WEBHOOK_SECRET", ""), "Stripe webhook signing secret (STRIPE_WEBHOOK_SECRET)")
	stripeBase := fs.String("stripe-api-base", env("STRIPE_API_BASE", ""), "Stripe API address, for stripe-mock (STRIPE_API_BASE)")
	sessionIdle := fs.String("session-idle", env("AGORA_SESSION_IDLE", "12h"), "sign organizers out after this long without a request (AGORA_SESSION_IDLE)")
	sessionMax := fs.String("session-max", env("AGORA_SESSION_MAX", "168h"), "sign organizers out this long after signing in (AGORA_SESSION_MAX)")
	languages := fs.String("languages", env("AGORA_LANGUAGES", ""), "interface languages offered, comma-separated, first = default (AGORA_LANGUAGES)")
	hooksPrivate := fs.Bool("webhooks-allow-private", env("AGORA_WEBHOOKS_ALLOW_PRIVATE", "") == "true",
		"let webhook endpoints be on private, loopback or link-local addresses, and plain http (AGORA_WEBHOOKS_ALLOW_PRIVATE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Checked before anything opens: a mistyped code stops the start, naming it.
	if _, err := views.ParseLanguages(*languages); err != nil {
		return fmt.Errorf("AGORA_LANGUAGES / --languages: %w", err)
	}
	idle, err := sessionDuration("AGORA_SESSION_IDLE", *sessionIdle)
	if err != nil {
		return err
	}
	maxLife, err := sessionDuration("AGORA_SESSION_MAX", *sessionMax)
	if err != nil {
		return err
	}
	if *withDemo && !flagGiven(fs, "addr") && os.Getenv("AGORA_ADDR") == "" {
		// The demo's organizer password is published: only this machine may reach it.
		*addr = demoAddr
	}
	db, err := openDB(*dsn)
	if err != nil {
		return err
	}
	defer func() {
		if err := models.Close(db); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	if *withDemo {
		if _, err := demo.Seed(db, time.Now()); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	if *baseURL == "" {
		*baseURL = "http://" + displayAddr(*addr)
	}
	worker, err := newMailWorker(db, strings.TrimRight(*baseURL, "/"), log)
	if err != nil {
		return err
	}
	var orders *models.OrderBatcher
	if !models.IsPostgres(db) {
		orders = models.NewOrderBatcher(db)
		defer orders.Close() // deferred calls run last first: before the database closes
	}
	registry := prometheus.NewRegistry()
	pay := payment.New(payment.Config{SecretKey: *stripeKey, WebhookSecret: *stripeWebhook, APIBase: *stripeBase})
	keys, err := models.ParseSecretKeys(*secretKey, *secretKeyOld)
	if err != nil {
		return err
	}
	hooks := &jobs.Webhooks{DB: db, Keys: keys, Policy: models.WebhookPolicy{AllowPrivate: *hooksPrivate}, InstanceID: instanceName(), Log: log}
	// Whatever nudges the mail after a commit nudges the webhooks too: the
	// changes that mail someone are those that queue webhooks.
	nudge := func() { worker.Nudge(); hooks.Nudge() }
	f, err := app.New(app.Config{BaseURL: strings.TrimRight(*baseURL, "/"), Secure: strings.HasPrefix(*baseURL, "https://"), TrustedProxies: *proxies,
		SecretKey: *secretKey, SecretKeyOld: *secretKeyOld, SessionIdle: idle, SessionMax: maxLife, Languages: *languages,
		WebhooksAllowPrivate: *hooksPrivate, WarmTemplates: true},
		app.Deps{DB: db, Logger: log, Registry: registry, NudgeMail: nudge, Orders: orders, Payments: pay})
	if err != nil {
		return err
	}
	// Bind the port before saying anything: a taken port is an error, not a
	// "running" line followed by one.
	ln, err := net.Listen(f.Config().Network, *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	log.Info("listening", "addr", ln.Addr().String())
	if err := servePprof(os.Getenv("AGORA_PPROF_ADDR"), log); err != nil {
		return fmt.Errorf("AGORA_PPROF_ADDR: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// Background work has its own context: it stops after the requests in
	// flight finished, so what they queued is still picked up by a peer or
	// the next start, and nothing writes once the database is closed.
	work, stopWork := context.WithCancel(context.Background())
	mailDone := make(chan struct{})
	go func() { defer close(mailDone); worker.Run(work) }()
	hooksDone := make(chan struct{})
	go func() { defer close(hooksDone); hooks.Run(work) }()
	expiry := &jobs.Expiry{DB: db, Log: log, Released: nudge}
	background := append(jobs.Standard(db), expiry.Job(), (&jobs.Meetings{DB: db, Log: log, Sent: nudge}).Job(),
		(&jobs.Reminders{DB: db, Log: log, Sent: nudge}).Job())
	background = append(background, (&jobs.Imports{DB: db, Log: log, Created: nudge}).Job())
	if pay != nil {
		background = append(background, (&jobs.LateRefunds{DB: db, Pay: pay, Log: log, Refunded: nudge}).Job())
	}
	background = append(background, (&jobs.Messages{DB: db, Log: log, Sent: nudge}).Job())
	background = append(background, (&jobs.Cancellations{DB: db, Pay: pay, Log: log}).Job())
	background = append(background, (&jobs.Feedback{DB: db, Log: log, Sent: worker.Nudge}).Job())
	runner := jobs.NewRunner(db, instanceName(), log, registry, background...)
	runner.Start(work)
	defer func() { // on every return path, before the database closes
		stopWork()
		stopped := make(chan struct{})
		go func() { runner.Wait(); <-mailDone; <-hooksDone; close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(15 * time.Second):
			// A job stuck on the database must not keep the process alive for ever.
			log.Error("background work did not stop within 15 s; closing the database anyway")
		}
	}()

	errc := make(chan error, 1)
	go func() { errc <- f.Listener(ln) }()
	fmt.Fprintf(out, "Agora is running at %s\n", *baseURL)
	if *withDemo {
		fmt.Fprintf(out, "Demo organizer: sign in at %s/manage as %s with password %s\n", *baseURL, demo.OrganizerEmail, demo.OrganizerPassword)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	// Stop accepting and finish requests in flight: a registration that was
	// acknowledged is committed. Then (deferred, in this order) the workers
	// stop, the order batcher drains and the database is checkpointed and closed.
	return f.ShutdownWithTimeout(20 * time.Second)
}

// sessionDuration parses a session lifetime: a Go duration of at least a minute.
func sessionDuration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("%s (or its flag): want a duration of at least 1m, e.g. 12h, got %q", name, v)
	}
	return d, nil
}

// demoAddr is where `serve --demo` listens unless told otherwise: loopback
// only, since everyone knows the demo organizer's password.
const demoAddr = "127.0.0.1:3000"

// flagGiven reports whether flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// instanceName identifies this process in job leases and outbox claims.
func instanceName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()%100000)
}

// newMailWorker makes the outbox worker (SMTP when AGORA_SMTP_URL is set,
// else the log). It runs on every instance; claims keep each mail sent once.
func newMailWorker(db *gorm.DB, baseURL string, log *slog.Logger) (*mail.Worker, error) {
	sender, err := mail.SenderFromEnv(log)
	if err != nil {
		return nil, err
	}
	renderer, err := mail.NewRenderer(db, baseURL)
	if err != nil {
		return nil, err
	}
	lease, err := time.ParseDuration(env("AGORA_MAIL_LEASE", "2m"))
	if err != nil || lease < time.Second {
		return nil, fmt.Errorf("AGORA_MAIL_LEASE: want a duration of at least 1s, e.g. 2m")
	}
	return &mail.Worker{DB: db, Sender: sender, Renderer: renderer, InstanceID: instanceName(), Log: log, Lease: lease}, nil
}

// displayAddr turns a listen address such as ":3000" into "127.0.0.1:3000".
func displayAddr(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "127.0.0.1" + addr
	}
	return addr
}

func cmdMigrate(args []string, out io.Writer) error {
	fs, dsn := newFlags("migrate", out)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(*dsn)
	if err != nil {
		return err
	}
	v, err := models.SchemaVersion(db)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "schema is at version %d\n", v)
	return nil
}

func cmdSeed(args []string, out io.Writer) error {
	fs, dsn := newFlags("seed", out)
	withDemo := fs.Bool("demo", false, "add the demo organization and events")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*withDemo {
		return errors.New("seed: say --demo to add the demo data")
	}
	db, err := openDB(*dsn)
	if err != nil {
		return err
	}
	created, err := demo.Seed(db, time.Now())
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(out, "demo data added; organizer %s, password %s\n", demo.OrganizerEmail, demo.OrganizerPassword)
	} else {
		fmt.Fprintln(out, "demo data already present")
	}
	return nil
}

// newPasswordProblem says in words why models.CheckNewPassword refused a password.
func newPasswordProblem(err error) string {
	switch {
	case errors.Is(err, models.ErrPasswordTooShort):
		return fmt.Sprintf("the password must have at least %d characters", models.MinPasswordLength)
	case errors.Is(err, models.ErrPasswordTooLong):
		return fmt.Sprintf("the password must have at most %d bytes", models.MaxPasswordLength)
	case errors.Is(err, models.ErrPasswordCommon):
		return "the password is a commonly used one (or too close to the name or e-mail): choose another"
	}
	return err.Error()
}

func cmdUser(args []string, out io.Writer) error {
	if len(args) > 0 && args[0] == "reset-two-factor" {
		return cmdUserResetTwoFactor(args[1:], out)
	}
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(out, usage)
		return errors.New(`user: the subcommands are "add" and "reset-two-factor"`)
	}
	fs, dsn := newFlags("user add", out)
	email := fs.String("email", "", "e-mail address (sign-in name)")
	name := fs.String("name", "", "full name")
	password := fs.String("password", env("AGORA_PASSWORD", ""), "password (AGORA_PASSWORD)")
	admin := fs.Bool("admin", false, "make a site admin")
	org := fs.String("org", "", "organization name to join (created if new)")
	role := fs.String("role", models.RoleOwner, "role in --org: owner, manager or checkin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || *name == "" || *password == "" {
		return errors.New("user add: --email, --name and --password (or AGORA_PASSWORD) are required")
	}
	if !models.ValidRole(*role) {
		return fmt.Errorf("user add: unknown role %q", *role)
	}
	if err := models.CheckNewPassword(*password, *email, *name); err != nil {
		return fmt.Errorf("user add: %s", newPasswordProblem(err))
	}
	db, err := openDB(*dsn)
	if err != nil {
		return err
	}
	u, err := models.CreateUser(db, *email, *name, *password, *admin)
	if err != nil {
		return err
	}
	if *org != "" {
		o, err := models.FindOrCreateOrganization(db, *org)
		if err != nil {
			return err
		}
		if err := models.AddMemberByOperator(db, o.ID, u.ID, *role); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "user %s created (admin: %v)\n", u.Email, u.IsAdmin)
	return nil
}

// cmdUserResetTwoFactor is the operator's way back in for someone who lost
// their phone and their recovery codes, site admins included (an owner can
// do it for their team from the organization's two-factor page).
func cmdUserResetTwoFactor(args []string, out io.Writer) error {
	fs, dsn := newFlags("user reset-two-factor", out)
	email := fs.String("email", "", "e-mail address of the account")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("user reset-two-factor: --email is required")
	}
	db, err := openDB(*dsn)
	if err != nil {
		return err
	}
	err = models.ResetTwoFactorByOperator(db, *email, time.Now())
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("user reset-two-factor: no account with the e-mail %s", *email)
	case errors.Is(err, models.ErrTwoFactorOff):
		return fmt.Errorf("user reset-two-factor: %s has no two-factor sign-in", *email)
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "two-factor sign-in of %s removed and their sessions ended; they set it up again at their next sign-in\n", *email)
	return nil
}

func cmdBackup(args []string, out io.Writer) error {
	fs, dsn := newFlags("backup", out)
	var target string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if target == "" && fs.NArg() > 0 {
		target = fs.Arg(0)
	}
	if target == "" {
		return errors.New("backup: give the file to write, e.g. agora backup agora-backup.db")
	}
	if models.IsPostgresDSN(*dsn) {
		return errors.New("backup: for PostgreSQL use pg_dump (see docs/DEPLOYMENT.md)")
	}
	db, err := models.Open(*dsn, models.OpenOptions{})
	if err != nil {
		return err
	}
	if err := models.BackupSQLite(db, target); err != nil {
		return err
	}
	fmt.Fprintf(out, "backup written to %s\n", target)
	return nil
}

// cmdMigrateTo copies a SQLite installation into an empty PostgreSQL database
// (migrating its schema first). Stop the SQLite instance before running it.
func cmdMigrateTo(args []string, out io.Writer) error {
	fs, dsn := newFlags("migrate-to", out)
	var target string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if target == "" && fs.NArg() > 0 {
		target = fs.Arg(0)
	}
	if !models.IsPostgresDSN(target) {
		return errors.New("migrate-to: give the target as a postgres:// URL")
	}
	if models.IsPostgresDSN(*dsn) {
		return errors.New("migrate-to: the source (--db or AGORA_DB) must be the SQLite file")
	}
	src, err := openDB(*dsn)
	if err != nil {
		return err
	}
	dst, err := openDB(target)
	if err != nil {
		return err
	}
	report, err := models.CopyDatabase(src, dst)
	if err != nil {
		return err
	}
	tables := make([]string, 0, len(report))
	for t := range report {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		fmt.Fprintf(out, "%-24s %d rows\n", t, report[t])
	}
	fmt.Fprintln(out, "done: point AGORA_DB at the PostgreSQL URL and start the instances")
	return nil
}
