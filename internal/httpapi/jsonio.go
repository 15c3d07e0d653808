package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"livedesk/internal/livedesk"
)

// JSON in and out: the error answer, the status of each error code, strict decoding with
// errors in words, path ids and page sizes.

// statusOf maps an error code to its HTTP status: the one place that does.
func statusOf(code livedesk.Code) int {
	switch code {
	case livedesk.CodeInvalidInput, livedesk.CodeInvalidHotkey:
		return http.StatusBadRequest
	case livedesk.CodeUnauthenticated:
		return http.StatusUnauthorized
	case livedesk.CodeForbidden, livedesk.CodeOperatorOffline:
		return http.StatusForbidden
	case livedesk.CodeNotFound:
		return http.StatusNotFound
	case livedesk.CodeConflict, livedesk.CodeLimitReached, livedesk.CodeTargetUnavailable,
		livedesk.CodeTransferNotPending, livedesk.CodeConversationClosed, livedesk.CodeClientIDReused,
		livedesk.CodeHotkeyTaken:
		return http.StatusConflict
	case livedesk.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case livedesk.CodeGone:
		return http.StatusGone
	case livedesk.CodeTooLarge, livedesk.CodeTooManyFiles:
		return http.StatusRequestEntityTooLarge
	case livedesk.CodeRateLimited:
		return http.StatusTooManyRequests
	case livedesk.CodeRequestTimeout:
		return http.StatusRequestTimeout
	case livedesk.CodeUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

func writeError(w http.ResponseWriter, err error) {
	code := livedesk.ErrorCode(err)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		code = livedesk.CodeUnavailable
	}
	body := livedesk.ErrorBody{Code: code, Message: livedesk.ErrorMessage(err)}
	if d := livedesk.ErrorDetails(err); d != nil && code != livedesk.CodeInternal {
		body.Details = d
		if code == livedesk.CodeRateLimited && d["retry_after"] != "" {
			w.Header().Set("Retry-After", d["retry_after"])
		}
	}
	writeJSON(w, statusOf(code), livedesk.ErrorEnvelope{Error: body})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// readJSON decodes a JSON body strictly: bounded size, valid UTF-8, one object, no unknown
// fields, right types. Every failure is a clear invalid_input (or too_large).
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// readPatch reads the body of a partial update into v, whose fields are pointers: an absent
// field stays nil and keeps its value. An explicit null is refused, since no field that a
// PATCH of livedesk changes can be cleared.
func (s *Server) readPatch(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, v); err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "the body must be a JSON object")
	}
	names := make([]string, 0, len(fields))
	for k, raw := range fields {
		if string(bytes.TrimSpace(raw)) == "null" {
			names = append(names, k)
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		return livedesk.Errorf(livedesk.CodeInvalidInput, "field %q cannot be null; leave it out to keep its value", names[0])
	}
	return nil
}

// readBody reads a request body: bounded size, valid UTF-8; an empty body reads as {}.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, livedesk.Errorf(livedesk.CodeTooLarge, "the request body is larger than %d bytes", s.cfg.MaxBodyBytes)
		}
		if livedesk.IsCode(err, livedesk.CodeRequestTimeout) {
			return nil, err
		}
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if !utf8.Valid(body) {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "the request body is not valid UTF-8")
	}
	return body, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields, and turns every
// decoding failure into an invalid_input message for people: JSON words ("a whole number",
// "a string"), never Go type names or the decoder's own wording.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonInputError(err)
	}
	if dec.More() {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "the body must hold one JSON value")
	}
	return nil
}

func jsonInputError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var le *livedesk.Error
	switch {
	case errors.As(err, &le):
		return le
	case errors.As(err, &te):
		if te.Field == "" {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "the body must be a JSON object, not %s", jsonValueWord(te.Value))
		}
		return livedesk.Errorf(livedesk.CodeInvalidInput, "field %q must be %s, not %s", te.Field, jsonTypeWord(te.Type), jsonValueWord(te.Value))
	case errors.As(err, &se):
		return livedesk.Errorf(livedesk.CodeInvalidInput, "malformed JSON at byte %d", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return livedesk.Errorf(livedesk.CodeInvalidInput, "malformed JSON: the body ends too early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return livedesk.Errorf(livedesk.CodeInvalidInput, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		return livedesk.Errorf(livedesk.CodeInvalidInput, "malformed JSON")
	}
}

// jsonTypeWord names the JSON value a Go type accepts.
func jsonTypeWord(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	default:
		return "another type"
	}
}

// jsonValueWord names the JSON value the client sent, as UnmarshalTypeError.Value gives it
// ("string", "number", "number 2.5", "bool", "array", "object").
func jsonValueWord(v string) string {
	switch {
	case v == "string":
		return "a string"
	case v == "number":
		return "a number"
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ")
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	default:
		return "another type"
	}
}

// pathID reads an id path parameter; a malformed id is simply not found.
func pathID(r *http.Request, what string) (livedesk.ID, error) {
	id, ok := livedesk.ParseID(r.PathValue("id"))
	if !ok {
		return 0, livedesk.NotFound(what)
	}
	return id, nil
}

// pageLimit reads ?limit= (default def, at most max).
func pageLimit(r *http.Request, def, max int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, livedesk.Errorf(livedesk.CodeInvalidInput, "limit must be between 1 and %d", max)
	}
	return n, nil
}
