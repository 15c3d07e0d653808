//go:build !race

package spell

const raceEnabled = false
