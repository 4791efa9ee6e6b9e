package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/queue"
)

// TestServeRetention: serve --retention-months sets the retention up,
// starts the sweeper (its log says so, with no names), and status says
// the retention in force and when the file goes.
func TestServeRetention(t *testing.T) {
	store := t.TempDir()
	url := closedURL(t)
	t.Setenv(envStore, store)
	t.Setenv(envRetention, "") // the flag alone
	_, log := startServe(t, "--listen", strings.TrimPrefix(url, "nats://"), "--store", store, "--retention-months", "6")
	if !strings.Contains(log.String(), "retention: files and what was made of them are removed after their receipt") ||
		!strings.Contains(log.String(), "months=6") {
		t.Errorf("serve's log does not say the retention:\n%s", log.String())
	}
	if code, _, stderr := runCmd(t, "submit", sampleDocx, "--nats", url); code != exitOK {
		t.Fatalf("submit: exit %d:\n%s", code, stderr)
	}
	code, stdout, stderr := runCmd(t, "status", sampleDocx, "--nats", url)
	if code != exitOK || !strings.Contains(stderr, "removed 6 months after receipt") {
		t.Fatalf("status: exit %d:\n%s", code, stderr)
	}
	var st queue.Status
	if err := json.Unmarshal([]byte(stdout), &st); err != nil || st.Expires == nil {
		t.Fatalf("status: no expires (%v): %s", err, stdout)
	}
	if want := st.FirstReceived.AddDate(0, 6, 0); !st.Expires.Equal(want) || time.Until(want) < 150*24*time.Hour {
		t.Errorf("expires %v, want %v (6 months after %v)", st.Expires, want, st.FirstReceived)
	}
}

// TestStatusWithoutRetention: no retention, no expiry.
func TestStatusWithoutRetention(t *testing.T) {
	url := natsServer(t)
	if code, _, stderr := runCmd(t, "submit", sampleDocx, "--nats", url); code != exitOK {
		t.Fatalf("submit: exit %d:\n%s", code, stderr)
	}
	code, stdout, stderr := runCmd(t, "status", sampleDocx, "--nats", url)
	if code != exitOK || !strings.Contains(stderr, "retention: none") || strings.Contains(stdout, `"expires"`) {
		t.Errorf("status: exit %d: %s\n%s", code, stdout, stderr)
	}
}

func TestRetentionFlag(t *testing.T) {
	for _, cmd := range []string{"serve", "worker"} {
		t.Setenv(envRetention, "")
		code, _, stderr := runCmd(t, cmd, "--retention-months", "-1")
		if code != exitUsage || !strings.Contains(stderr, "--retention-months must be from 0") {
			t.Errorf("%s --retention-months -1: exit %d:\n%s", cmd, code, stderr)
		}
		t.Setenv(envRetention, "sex")
		code, _, stderr = runCmd(t, cmd)
		if code != exitUsage || !strings.Contains(stderr, "$"+envRetention+`="sex"`) {
			t.Errorf("%s with $%s=sex: exit %d:\n%s", cmd, envRetention, code, stderr)
		}
	}
}
