package livedesk

import (
	"errors"
	"fmt"
	"regexp"
)

// Code is a stable, machine-readable error code shared by the API and the UI.
type Code string

// Error codes of the public API (see API.md). Each maps to one HTTP status in httpapi.
const (
	CodeInvalidInput       Code = "invalid_input"
	CodeUnauthenticated    Code = "unauthenticated"
	CodeForbidden          Code = "forbidden"
	CodeOperatorOffline    Code = "operator_offline"
	CodeNotFound           Code = "not_found"
	CodeConflict           Code = "conflict"
	CodeLimitReached       Code = "limit_reached"
	CodeTargetUnavailable  Code = "target_unavailable"
	CodeTransferNotPending Code = "transfer_not_pending"
	CodeConversationClosed Code = "conversation_closed"
	// CodeClientIDReused: a client_id already names a message of another conversation or
	// kind; the same client_id only repeats the same write.
	CodeClientIDReused Code = "client_id_reused"
	// CodeMethodNotAllowed: the path exists, but not with this HTTP method.
	CodeMethodNotAllowed Code = "method_not_allowed"
	// CodeInvalidHotkey: a quick-message hotkey breaks a rule (details.reason says which).
	CodeInvalidHotkey Code = "invalid_hotkey"
	// CodeHotkeyTaken: the operator already uses the hotkey for another quick message.
	CodeHotkeyTaken  Code = "hotkey_taken"
	CodeTooLarge     Code = "too_large"
	CodeTooManyFiles Code = "too_many_files"
	CodeGone         Code = "gone"
	CodeRateLimited  Code = "rate_limited"
	// CodeRequestTimeout: the request body did not arrive within its deadline.
	CodeRequestTimeout Code = "request_timeout"
	CodeUnavailable    Code = "unavailable"
	CodeInternal       Code = "internal"
)

// Error is the one error type of livedesk: a code, a human message, optional details for
// clients to act on (sent as "details") and an optional cause.
type Error struct {
	Code    Code
	Message string
	Details map[string]string
	Err     error
}

// Error formats the code, the message and the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted message. An invalid_input message that starts
// with the name of the field at fault ("limit must be…", "settings.color must…",
// "attachment_ids: …") names it in Details["field"] too, so that forms can show the message
// next to the field.
func Errorf(code Code, format string, args ...any) *Error {
	e := &Error{Code: code, Message: fmt.Sprintf(format, args...)}
	if code == CodeInvalidInput {
		if m := leadingField.FindStringSubmatch(e.Message); m != nil {
			e.Details = map[string]string{"field": m[1]}
		}
	}
	return e
}

// leadingField matches a message that begins with a field name (snake_case, dotted for
// nested fields) followed by what is wrong with it.
var leadingField = regexp.MustCompile(`^([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)(?: is | must | has | are |: )`)

// ErrorCode returns the code of err, or CodeInternal when err is not an *Error.
func ErrorCode(err error) Code {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the human message of err, or a generic one for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorDetails returns the details of err, if it has any.
func ErrorDetails(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Details
	}
	return nil
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code Code) bool { return ErrorCode(err) == code }

// NotFound is the error for a missing (or another account's) object.
func NotFound(what string) *Error { return Errorf(CodeNotFound, "%s not found", what) }

// ErrorBody is an error as the API writes it: {"error": ErrorBody} over HTTP, the data of an
// "error" frame over a WebSocket.
type ErrorBody struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Details map[string]string `json:"details,omitempty"`
}

// ErrorEnvelope is the body of every HTTP error answer.
type ErrorEnvelope struct {
	Error ErrorBody `json:"error"`
}
