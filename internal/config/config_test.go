package config

import (
	"flag"
	"testing"
	"time"
)

func TestEnvAndFlags(t *testing.T) {
	env := map[string]string{"LIVEDESK_LISTEN": "127.0.0.1:9999", "LIVEDESK_STATUS_GRACE": "5s", "LIVEDESK_DEMO": "true"}
	c := Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.Register(fs, func(k string) string { return env[k] })
	if err := fs.Parse([]string{"--data", "/tmp/x"}); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9999" || c.StatusGrace != 5*time.Second || !c.Demo || c.Data != "/tmp/x" {
		t.Fatalf("config = %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.SQLitePath() != "/tmp/x/livedesk.db" {
		t.Fatal(c.SQLitePath())
	}
	c.Bus = "redis://x"
	if c.Validate() == nil {
		t.Fatal("bad bus accepted")
	}
}
