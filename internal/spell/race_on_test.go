//go:build race

package spell

// raceEnabled: under the race detector the corpus evaluation samples every fifth typo and
// the hunspell comparison is skipped (both are measurements, run without -race).
const raceEnabled = true
