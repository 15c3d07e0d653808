package email

import (
	"strings"

	"github.com/emersion/go-message"
)

// NoAutoReplyReason says why a mail must never get an automatic reply, "" when it may get
// one. A mail must not when it is automatic itself (Auto-Submitted other than "no", the
// X-Autoreply/X-Autorespond marks, Exchange's X-Auto-Response-Suppress asking for none),
// bulk or list mail (Precedence bulk/junk/list, List-Id), from a robot's address
// (MAILER-DAEMON, postmaster, noreply, no-reply, no_reply, donotreply, do-not-reply and the
// like), from the null sender (Return-Path <>), or a delivery report (multipart/report).
// Answering any of these is how mail loops start.
func NoAutoReplyReason(h message.Header) string {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" {
		if kind, _, _ := strings.Cut(v, ";"); strings.TrimSpace(kind) != "no" {
			return "Auto-Submitted: " + clip(strings.TrimSpace(kind), 50)
		}
	}
	switch p := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); p {
	case "bulk", "junk", "list", "auto_reply":
		return "Precedence: " + p
	}
	if h.Get("List-Id") != "" {
		return "List-Id"
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder"} {
		if v := strings.ToLower(strings.TrimSpace(h.Get(k))); v != "" && v != "no" && v != "false" {
			return k
		}
	}
	if v := strings.ToLower(h.Get("X-Auto-Response-Suppress")); strings.Contains(v, "all") ||
		strings.Contains(v, "autoreply") || strings.Contains(v, "oof") {
		return "X-Auto-Response-Suppress"
	}
	if rp := strings.TrimSpace(h.Get("Return-Path")); rp == "<>" {
		return "Return-Path: <>"
	}
	if _, addr := parseAddress(h.Get("From")); robotAddress(addr) {
		return "From: " + clip(addr, 100)
	}
	if ct, params := ParseHeaderParams(h.Get("Content-Type")); ct == "multipart/report" {
		return "a delivery report (" + clip(params["report-type"], 50) + ")"
	}
	return ""
}

// robotAddress says whether an address is one nobody reads: MAILER-DAEMON, postmaster and
// the noreply family (no-reply, no_reply, noreply+tag, donotreply, do-not-reply, …).
func robotAddress(addr string) bool {
	local, _, ok := strings.Cut(strings.ToLower(addr), "@")
	if !ok {
		return false
	}
	local, _, _ = strings.Cut(local, "+")
	squeezed := strings.NewReplacer("-", "", "_", "", ".", "").Replace(local)
	switch {
	case squeezed == "mailerdaemon" || squeezed == "postmaster" || squeezed == "mailer":
		return true
	case strings.HasPrefix(squeezed, "noreply") || strings.HasPrefix(squeezed, "donotreply") ||
		strings.HasPrefix(squeezed, "dontreply") || strings.HasSuffix(squeezed, "noreply"):
		return true
	}
	return false
}
