package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/pflag"

	"github.com/finsam/ansokan/notify"
)

// Environment variables of the alert flags, read in resolveEnv.
const (
	envSMTPURL           = "ANSOKAN_SMTP_URL"
	envSMTPPasswordFile  = "ANSOKAN_SMTP_PASSWORD_FILE"
	envSMTPFrom          = "ANSOKAN_SMTP_FROM"
	envAlertTo           = "ANSOKAN_ALERT_TO"
	envWebhookURL        = "ANSOKAN_WEBHOOK_URL"
	envWebhookSecretFile = "ANSOKAN_WEBHOOK_SECRET_FILE"
	envInboxURL          = "ANSOKAN_INBOX_URL"
	envTemplates         = "ANSOKAN_TEMPLATES"
	envSMTPCA            = "ANSOKAN_SMTP_CA"
)

// alertOptions are the flags of alert delivery (serve and worker); off
// unless --alert-to, --reply-to-applicant or --webhook is given.
type alertOptions struct {
	SMTP              string
	SMTPPasswordFile  string
	From              string
	To                string
	ReplyToApplicant  bool
	Webhook           string
	WebhookSecretFile string
	AlertOn           string
	InboxURL          string
	Templates         string
	SMTPCA            string
	ReplyWithin       time.Duration
}

func addAlertFlags(fs *pflag.FlagSet, o *alertOptions) {
	fs.StringVar(&o.SMTP, "smtp", "", "SMTP server `URL` for alert e-mails: smtp://USER@HOST:587 (STARTTLS), smtps://USER@HOST:465, ?auth=login for AUTH LOGIN (default: $"+envSMTPURL+")")
	fs.StringVar(&o.SMTPPasswordFile, "smtp-password-file", "", "`FILE` holding the SMTP password (default: $"+envSMTPPasswordFile+")")
	fs.StringVar(&o.SMTPCA, "smtp-ca", "", "`FILE` of CA certificates (PEM) to verify the SMTP server with, besides the system's (default: $"+envSMTPCA+")")
	fs.StringVar(&o.From, "smtp-from", "", "sender of alert e-mails, e.g. \"Samordningsförbundet <ansokan@example.se>\" (default: $"+envSMTPFrom+")")
	fs.StringVar(&o.To, "alert-to", "", "the officers' `ADDRESSES`, comma-separated: each alert is e-mailed to them (default: $"+envAlertTo+")")
	fs.BoolVar(&o.ReplyToApplicant, "reply-to-applicant", false, "also reply to the sender of the message an incomplete application came in, listing what to complete")
	fs.DurationVar(&o.ReplyWithin, "reply-within", notify.DefaultReplyWithin, "reply to the applicant only for a message sent within this `DURATION` (its Date): a mailbox's backlog or an old export gets no replies (0 or less: no bound)")
	fs.StringVar(&o.Webhook, "webhook", "", "`URL` each alert is POSTed to as signed JSON (default: $"+envWebhookURL+")")
	fs.StringVar(&o.WebhookSecretFile, "webhook-secret-file", "", "`FILE` holding the webhook's HMAC-SHA256 secret (default: $"+envWebhookSecretFile+")")
	fs.StringVar(&o.AlertOn, "alert-on", "incomplete", "when to alert, comma-separated: incomplete (always), uncertain (extraction.uncertain), warnings")
	fs.StringVar(&o.InboxURL, "inbox-url", "", "base `URL` of the web inbox: alerts link to URL/records/SEQ (default: $"+envInboxURL+")")
	fs.StringVar(&o.Templates, "templates", "", "`DIR` of e-mail templates (officers.tmpl, applicant.tmpl) replacing the built-in ones (default: $"+envTemplates+")")
}

// resolveEnv is the one place the environment is read for the alert flags.
func (o *alertOptions) resolveEnv() {
	for _, f := range []struct {
		v   *string
		env string
	}{
		{&o.SMTP, envSMTPURL}, {&o.SMTPPasswordFile, envSMTPPasswordFile}, {&o.From, envSMTPFrom},
		{&o.To, envAlertTo}, {&o.Webhook, envWebhookURL}, {&o.WebhookSecretFile, envWebhookSecretFile},
		{&o.InboxURL, envInboxURL}, {&o.Templates, envTemplates}, {&o.SMTPCA, envSMTPCA},
	} {
		if *f.v == "" {
			*f.v = os.Getenv(f.env)
		}
	}
}

// config checks the flags and builds the notifier's configuration;
// cfg.Enabled() is false when no alert target is given.
func (o alertOptions) config(log *slog.Logger) (notify.Config, error) {
	var cfg notify.Config
	on, err := notify.ParseConditions(o.AlertOn)
	if err != nil {
		return cfg, err
	}
	cfg.AlertOn, cfg.ReplyToApplicant, cfg.From, cfg.InboxURL = on, o.ReplyToApplicant, o.From, o.InboxURL
	cfg.ReplyWithin = o.ReplyWithin
	if o.ReplyWithin <= 0 {
		cfg.ReplyWithin = -1 // no bound
	}
	for _, a := range strings.Split(o.To, ",") {
		if a = strings.TrimSpace(a); a != "" {
			cfg.Officers = append(cfg.Officers, a)
		}
	}
	mail := len(cfg.Officers) > 0 || o.ReplyToApplicant
	switch {
	case mail && o.SMTP == "":
		return cfg, fmt.Errorf("--alert-to and --reply-to-applicant need --smtp")
	case mail && o.From == "":
		return cfg, fmt.Errorf("--alert-to and --reply-to-applicant need --smtp-from")
	case o.SMTP != "" && !mail:
		return cfg, fmt.Errorf("--smtp without --alert-to or --reply-to-applicant sends nothing")
	case o.Webhook != "" && o.WebhookSecretFile == "":
		return cfg, fmt.Errorf("--webhook needs --webhook-secret-file: receivers must be able to check what they get")
	}
	if o.InboxURL != "" {
		if u, err := url.Parse(o.InboxURL); err != nil || u.Scheme == "" || u.Host == "" {
			return cfg, fmt.Errorf("--inbox-url %q: want an absolute URL", o.InboxURL)
		}
	}
	if o.SMTP != "" {
		var pw string
		if o.SMTPPasswordFile != "" {
			b, err := os.ReadFile(o.SMTPPasswordFile)
			if err != nil {
				return cfg, fmt.Errorf("--smtp-password-file: %w", err)
			}
			pw = strings.TrimRight(string(b), "\r\n")
		}
		if cfg.SMTP, err = notify.ParseSMTP(o.SMTP, pw); err != nil {
			return cfg, err
		}
		if o.SMTPCA != "" {
			if cfg.SMTP.TLS, err = trustConfig("--smtp-ca", o.SMTPCA); err != nil {
				return cfg, err
			}
		}
	}
	if o.Webhook != "" {
		u, err := url.Parse(o.Webhook)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return cfg, fmt.Errorf("--webhook %q: want an http(s) URL", o.Webhook)
		}
		secret, err := os.ReadFile(o.WebhookSecretFile)
		if err != nil {
			return cfg, fmt.Errorf("--webhook-secret-file: %w", err)
		}
		secret = bytes.TrimRight(secret, "\r\n")
		if len(secret) == 0 {
			return cfg, fmt.Errorf("--webhook-secret-file %s is empty", o.WebhookSecretFile)
		}
		cfg.Webhook = &notify.Webhook{URL: o.Webhook, Secret: secret}
	}
	if cfg.Enabled() {
		if cfg.Templates, err = notify.LoadTemplates(o.Templates); err != nil {
			return cfg, err
		}
	}
	cfg.Logger = log
	return cfg, nil
}

// startAlerts runs the notifier until ctx ends, when cfg has a target;
// wait returns once it has stopped.
func startAlerts(ctx context.Context, js jetstream.JetStream, cfg notify.Config) (wait func(), err error) {
	if !cfg.Enabled() {
		return func() {}, nil
	}
	n, err := notify.New(ctx, js, cfg)
	if err != nil {
		return nil, err
	}
	smtp := ""
	if cfg.SMTP != nil {
		smtp = cfg.SMTP.String()
	}
	cfg.Logger.Info("alert delivery started", "smtp", smtp, "officers", len(cfg.Officers),
		"reply_to_applicant", cfg.ReplyToApplicant, "webhook", cfg.Webhook != nil, "alert_on", cfg.AlertOn)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := n.Run(ctx); err != nil {
			cfg.Logger.Error("alert delivery", "err", err)
		}
	})
	return wg.Wait, nil
}
