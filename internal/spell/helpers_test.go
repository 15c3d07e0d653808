package spell

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var (
	sharedOnce    sync.Once
	sharedChecker *Checker
)

// loadedChecker loads the system dictionaries once per test binary; tests skip when the
// Debian packages hunspell-ru and hunspell-en-us are missing.
func loadedChecker(t testing.TB) *Checker {
	t.Helper()
	for _, f := range []string{"ru_RU.aff", "ru_RU.dic", "en_US.aff", "en_US.dic"} {
		if _, err := os.Stat(filepath.Join(DefaultDir, f)); err != nil {
			t.Skipf("dictionary %s not installed (apt-get install hunspell-ru hunspell-en-us)", f)
		}
	}
	sharedOnce.Do(func() {
		sharedChecker = NewChecker(DefaultDir)
		if err := sharedChecker.Load(); err != nil {
			panic(err)
		}
	})
	return sharedChecker
}
