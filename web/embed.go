// Package web holds the built front ends (operator app, visitor widget, admin cabinet) so that they are
// served from the livedesk binary. Run `make web` (npm run build) to fill dist/.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Assets returns the built front ends: operator/ and admin/ (index.html and assets/), widget/
// (widget.js). Before the first build only an empty placeholder is there.
func Assets() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a constant, valid path
	}
	return sub
}
