package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Headers of a webhook POST.
const (
	// HeaderSignature is "sha256=" and the hex HMAC-SHA256 of the body,
	// keyed with the shared secret. The body holds its own sent_at, so a
	// replayed body is an old one.
	HeaderSignature = "X-Ansokan-Signature"
	// HeaderTimestamp is the Unix time of the send, in seconds (the
	// body's sent_at is the signed one).
	HeaderTimestamp = "X-Ansokan-Timestamp"
	// HeaderDelivery is the delivery's id: the same on every try, so a
	// receiver can drop a repeat.
	HeaderDelivery = "X-Ansokan-Delivery"
)

// Webhook posts JSON to one URL, signed with a shared secret, trying
// Tries times with exponential back-off (BackOff, 2×BackOff, …) before it
// gives the error to the notifier, which retries the record later.
type Webhook struct {
	URL     string
	Secret  []byte
	Tries   int           // default 3
	BackOff time.Duration // default 1s
	Client  *http.Client  // default: a client with a 30s timeout
}

// Sign gives the signature header's value for a body.
func Sign(secret []byte, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Post sends body; a 2xx answer is a delivery, anything else (a 4xx too:
// a receiver being set up answers 404) is tried again.
func (w *Webhook) Post(ctx context.Context, id string, body []byte) error {
	tries, wait := w.Tries, w.BackOff
	if tries <= 0 {
		tries = 3
	}
	if wait <= 0 {
		wait = time.Second
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	var err error
	for try := 1; ; try++ {
		if err = w.post(ctx, client, id, body); err == nil {
			return nil
		}
		if try >= tries {
			return fmt.Errorf("webhook %s: %d tries: %w", w.redacted(), tries, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("webhook %s: %w (after %w)", w.redacted(), ctx.Err(), err)
		case <-t.C:
		}
		wait *= 2
	}
}

func (w *Webhook) post(ctx context.Context, client *http.Client, id string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "ansokan")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(w.Secret, body))
	req.Header.Set(HeaderDelivery, id)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}

// redacted is the URL without a query (which may hold a token) for errors.
func (w *Webhook) redacted() string {
	req, err := http.NewRequest(http.MethodPost, w.URL, nil)
	if err != nil {
		return "(bad URL)"
	}
	u := *req.URL
	u.RawQuery, u.User = "", nil
	return u.String()
}

// Verify reports whether sig (the X-Ansokan-Signature header) is the
// signature of body with secret, comparing in constant time.
func Verify(secret, body []byte, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(Sign(secret, body)))
}
