package attachment

import (
	"image"
	_ "image/gif"  // GIF headers for Dimensions
	_ "image/jpeg" // JPEG headers for Dimensions
	_ "image/png"  // PNG headers for Dimensions
	"io"

	_ "golang.org/x/image/webp" // WebP headers for Dimensions
)

// MaxPreviewPixels is the largest picture (width × height) the apps show inline: decoding a
// 30,000 × 30,000 image takes gigabytes and freezes a browser tab, so bigger ones are shown
// as a file to download.
const MaxPreviewPixels = 50_000_000

// Dimensions reads the width and height of a PNG, JPEG, GIF or WebP picture from its header
// (the pixels are not decoded); 0, 0 for anything else or a header that cannot be read.
func Dimensions(r io.Reader) (width, height int) {
	cfg, _, err := image.DecodeConfig(r)
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0
	}
	return cfg.Width, cfg.Height
}

// Previewable reports whether a picture of these dimensions may be shown inline.
func Previewable(width, height int) bool {
	return width > 0 && height > 0 && int64(width)*int64(height) <= MaxPreviewPixels
}
