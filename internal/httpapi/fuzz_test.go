package httpapi

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"livedesk/internal/livedesk"
)

// fuzzInput has the field types the API's bodies use.
type fuzzInput struct {
	ClientID string            `json:"client_id"`
	Text     *string           `json:"text"`
	Limit    int               `json:"limit"`
	On       *bool             `json:"on"`
	IDs      []livedesk.ID     `json:"ids"`
	Settings json.RawMessage   `json:"settings"`
	Labels   map[string]string `json:"labels"`
}

// FuzzDecodeStrict: any body either decodes (and then encodes and decodes to the same
// value) or is refused as invalid_input with a message for people in valid UTF-8; never a
// panic, never an internal error.
func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{`{}`, `{"client_id":"a","text":"привет","limit":5,"ids":["1","2"]}`, `{"limit":"5"}`, `{"x":1}`,
		`{"limit":1e400}`, `[]`, `{"text":null}`, `{"client_id":"a"} {}`, `{"labels":{"a":"b"}}`, "{\"text\":\"\xff\"}", `{"ids":[-1]}`, `nul`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v fuzzInput
		err := decodeStrict(body, &v)
		if err != nil {
			if livedesk.ErrorCode(err) != livedesk.CodeInvalidInput || !utf8.ValidString(livedesk.ErrorMessage(err)) {
				t.Fatalf("decodeStrict(%q): %v", body, err)
			}
			return
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encode %+v: %v", v, err)
		}
		var w fuzzInput
		if err := decodeStrict(again, &w); err != nil {
			t.Fatalf("re-decode %s: %v", again, err)
		}
		if string(v.Settings) == "" && len(w.Settings) == 4 { // null round trip
			w.Settings = nil
		}
		if !reflect.DeepEqual(normalize(v), normalize(w)) {
			t.Fatalf("round trip changed %+v into %+v", v, w)
		}
	})
}

// normalize compacts the raw settings so that equal JSON compares equal.
func normalize(v fuzzInput) fuzzInput {
	if len(v.Settings) > 0 {
		var out []byte
		if b, err := json.Marshal(json.RawMessage(v.Settings)); err == nil {
			out = b
		}
		v.Settings = out
	}
	return v
}

// FuzzListCursor: a list cursor either parses to a position that encodes back to the same
// cursor, or is refused as invalid_input.
func FuzzListCursor(f *testing.F) {
	for _, s := range []string{"MTcwMDAwMDAwMDAwMDo0Mg", "", "!!", "MTow", "LTE6MQ", "OjE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, id, err := parseListCursor(s)
		if err != nil {
			if livedesk.ErrorCode(err) != livedesk.CodeInvalidInput {
				t.Fatalf("parseListCursor(%q): %v", s, err)
			}
			return
		}
		if id <= 0 {
			t.Fatalf("parseListCursor(%q) gave id %d", s, id)
		}
		c := &livedesk.Conversation{ID: id, LastMessageAt: time.UnixMilli(at)}
		if at2, id2, err := parseListCursor(listCursor(c)); err != nil || at2 != at || id2 != id {
			t.Fatalf("cursor of (%d, %d) reads back as (%d, %d), %v", at, id, at2, id2, err)
		}
	})
}
