package httpapi

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"livedesk/internal/livedesk"
	"livedesk/internal/spell"
)

// maxSpellText is the longest text one spellcheck call takes, in characters.
const maxSpellText = 20000

// spellcheckResult is the answer of POST /api/v1/spellcheck.
type spellcheckResult struct {
	// Ready is false while the dictionaries are still loading (or failed to load).
	Ready      bool                `json:"ready"`
	Misspelled []spell.Misspelling `json:"misspelled"`
}

// spellcheck finds misspelled words: ranges in UTF-16 code units with suggestions. Words
// of the operator's personal dictionary and of the account's dictionary are accepted.
func (s *Server) spellcheck(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		Text      string    `json:"text"`
		Languages *[]string `json:"languages"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(in.Text); n > maxSpellText {
		return livedesk.Errorf(livedesk.CodeTooLarge, "text is %d characters; at most %d are checked at once", n, maxSpellText)
	}
	var langs []string
	if in.Languages != nil {
		if len(*in.Languages) == 0 {
			return livedesk.Errorf(livedesk.CodeInvalidInput, `languages must name at least one of "ru", "en" (or be left out)`)
		}
		for _, l := range *in.Languages {
			if l != "ru" && l != "en" {
				return livedesk.Errorf(livedesk.CodeInvalidInput, `languages may hold only "ru" and "en", not %q`, l)
			}
		}
		langs = *in.Languages
	}
	out := spellcheckResult{Misspelled: []spell.Misspelling{}}
	if s.cfg.Spell == nil || !s.cfg.Spell.Ready() || strings.TrimSpace(in.Text) == "" {
		out.Ready = s.cfg.Spell != nil && s.cfg.Spell.Ready()
		return writeJSON(w, 200, out)
	}
	known, err := s.desk.KnownWords(r.Context(), c.op.AccountID, c.op.ID)
	if err != nil {
		return err
	}
	ready, list := s.cfg.Spell.Check(in.Text, spell.Options{Languages: langs, Known: func(f string) bool { return known[f] }})
	out.Ready = ready
	if list != nil {
		out.Misspelled = list
	}
	return writeJSON(w, 200, out)
}

func (s *Server) myDictionary(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.listDictionary(w, r, c.op.AccountID, c.op.ID)
}

func (s *Server) addToMyDictionary(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.addDictionaryWord(w, r, c.op.AccountID, c.op.ID)
}

func (s *Server) removeFromMyDictionary(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.removeDictionaryWord(w, r, c.op.AccountID, c.op.ID)
}

func (s *Server) accountDictionary(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.listDictionary(w, r, c.op.AccountID, 0)
}

func (s *Server) addToAccountDictionary(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.addDictionaryWord(w, r, c.op.AccountID, 0)
}

func (s *Server) removeFromAccountDictionary(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.removeDictionaryWord(w, r, c.op.AccountID, 0)
}

func (s *Server) listDictionary(w http.ResponseWriter, r *http.Request, account, operator livedesk.ID) error {
	items, err := s.desk.DictionaryWords(r.Context(), account, operator)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, itemsOf(items))
}

// addDictionaryWord adds {word} to a dictionary (operator 0: the account's).
func (s *Server) addDictionaryWord(w http.ResponseWriter, r *http.Request, account, operator livedesk.ID) error {
	var in struct {
		Word string `json:"word"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	word, err := s.desk.AddDictionaryWord(r.Context(), account, operator, in.Word)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"word": word})
}

// removeDictionaryWord removes the {word} of the path, in any case.
func (s *Server) removeDictionaryWord(w http.ResponseWriter, r *http.Request, account, operator livedesk.ID) error {
	if err := s.desk.RemoveDictionaryWord(r.Context(), account, operator, r.PathValue("word")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
