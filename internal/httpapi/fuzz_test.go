package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
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

// fuzzPatch has the field kinds of the API's partial updates: pointers, nil when absent.
type fuzzPatch struct {
	Name  *string            `json:"name,omitempty"`
	Limit *int               `json:"limit,omitempty"`
	On    *bool              `json:"on,omitempty"`
	Tags  *[]string          `json:"tags,omitempty"`
	Extra *map[string]string `json:"extra,omitempty"`
}

// FuzzReadPatch: a PATCH body within the size limit either decodes — valid UTF-8, one
// object, no field null, every field present set and every field absent nil, and the
// re-encoded value reads back the same — or is refused as invalid_input, or as too_large
// exactly when it is over the limit. Never a panic or an internal error.
func FuzzReadPatch(f *testing.F) {
	const limit = 256
	for _, s := range []string{``, ` `, `{}`, `{"name":"Оплата","limit":3}`, `{"name":null}`, `{"on":true,"tags":["a"]}`, `{"tags":null}`,
		`{"extra":{"a":"b"}}`, `{"name":"a","name":null}`, `{"Name":"x"}`, `[1]`, `null`, "{\"name\":\"\xff\"}", `{"limit":1.5}`,
		`{"name":"` + strings.Repeat("я", 200) + `"}`} {
		f.Add([]byte(s))
	}
	s := &Server{cfg: Config{MaxBodyBytes: limit}}
	f.Fuzz(func(t *testing.T, body []byte) {
		read := func(b []byte) (fuzzPatch, error) {
			var v fuzzPatch
			r := httptest.NewRequest("PATCH", "/", bytes.NewReader(b))
			return v, s.readPatch(httptest.NewRecorder(), r, &v)
		}
		v, err := read(body)
		if err != nil {
			code := livedesk.ErrorCode(err)
			if (code == livedesk.CodeTooLarge) != (len(body) > limit) || (code != livedesk.CodeTooLarge && code != livedesk.CodeInvalidInput) {
				t.Fatalf("readPatch(%d bytes %q): %v", len(body), body, err)
			}
			if !utf8.ValidString(livedesk.ErrorMessage(err)) {
				t.Fatalf("message not valid UTF-8: %q", livedesk.ErrorMessage(err))
			}
			return
		}
		if len(body) > limit || !utf8.Valid(body) {
			t.Fatalf("readPatch took %d bytes %q", len(body), body)
		}
		var fields map[string]json.RawMessage
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, &fields); err != nil {
				t.Fatalf("took %q, which is not one JSON object: %v", body, err)
			}
		}
		present := map[string]bool{"name": v.Name != nil, "limit": v.Limit != nil, "on": v.On != nil, "tags": v.Tags != nil, "extra": v.Extra != nil}
		for k, raw := range fields {
			if string(bytes.TrimSpace(raw)) == "null" {
				t.Fatalf("took a null for %q in %q", k, body)
			}
		}
		for k, set := range present {
			ok := false
			for name := range fields {
				ok = ok || strings.EqualFold(name, k) // encoding/json matches names without case
			}
			if ok != set {
				t.Fatalf("field %q present %v, decoded %v, in %q", k, ok, set, body)
			}
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) > limit {
			return // an escaped re-encoding may be longer than what was sent
		}
		w, err := read(again)
		if err != nil || !reflect.DeepEqual(v, w) {
			t.Fatalf("%q re-encoded as %s reads back as %+v, %v", body, again, w, err)
		}
	})
}
