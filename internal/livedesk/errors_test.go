package livedesk

import "testing"

func TestErrorfNamesTheField(t *testing.T) {
	cases := map[string]string{
		"limit must be between 1 and 1000":                       "limit",
		"settings.color must look like #1a2b3c":                  "settings.color",
		"attachment_ids: at most 5":                              "attachment_ids",
		"email is not an email address":                          "email",
		"ids are not unique":                                     "ids",
		"the request has no files: send multipart/form-data":     "",
		"visitors cannot quote":                                  "",
		"Name is required":                                       "",
		"settings.allowed_origins has more than 50 entries":      "settings.allowed_origins",
		"leave an email or a phone number so that we can answer": "",
	}
	for msg, want := range cases {
		e := Errorf(CodeInvalidInput, "%s", msg)
		if got := e.Details["field"]; got != want {
			t.Errorf("%q: field %q, want %q", msg, got, want)
		}
	}
	if e := Errorf(CodeConflict, "limit must be raised"); e.Details != nil {
		t.Errorf("a conflict got details %v", e.Details)
	}
}
