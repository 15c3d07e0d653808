package attachment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// The files half of `livedesk migrate-data`: the contents an installation's rows reference,
// copied from its files directory to the one the PostgreSQL nodes use, each checked by its
// SHA-256 (it is its name) on the way and read back afterwards.

// Wanted is content a copy needs: its hash and the size its rows record.
type Wanted struct {
	SHA256 string
	Size   int64
}

// ContentProblem is content that could not be copied as it is recorded.
type ContentProblem struct {
	SHA256  string `json:"sha256"`
	Problem string `json:"problem"`
}

// ContentCopy is what CopyContent did.
type ContentCopy struct {
	// Referenced is how many distinct contents the rows reference; Bytes their recorded size.
	Referenced int   `json:"referenced"`
	Bytes      int64 `json:"bytes"`
	// Copied were written to the destination; AlreadyThere were found there with the right
	// content; InPlace tells that source and destination are one directory (nothing copied).
	Copied       int  `json:"copied"`
	AlreadyThere int  `json:"already_there"`
	InPlace      bool `json:"in_place"`
	// Verified were read back from the destination and hash to their name at their size.
	Verified int `json:"verified"`
	// Missing are referenced but not in the source; Mismatched are there but do not hash to
	// their name or have another size than recorded, in the source or once copied.
	Missing    []string         `json:"missing"`
	Mismatched []ContentProblem `json:"mismatched"`
	// Unreferenced counts contents in the source that no row references (not copied).
	Unreferenced int `json:"unreferenced_not_copied"`
	// Created are the contents this copy wrote (to remove them when the copy is given up).
	Created []string `json:"-"`
}

// OK reports whether every referenced content is at the destination, verified.
func (c *ContentCopy) OK() bool { return len(c.Missing) == 0 && len(c.Mismatched) == 0 }

// OpenDiskReadOnly opens an existing storage directory to read from: unlike NewDisk it
// creates nothing and removes nothing (another process may be writing to it).
func OpenDiskReadOnly(dir string) (*Disk, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("files directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("files directory %s is not a directory", dir)
	}
	return &Disk{dir: dir}, nil
}

// CopyContent copies the wanted contents from src to dst: each is read from src, hashed on
// the way and committed under its name only when the hash matches; content dst already has
// is kept when it hashes right. Every content is then read back from dst and hashed. When
// src and dst are one directory nothing is copied, only verified; a nil src is a source
// without a files directory (every wanted content is missing). Problems with single
// contents are in the result; the error is for the destination failing (a full disk).
func CopyContent(ctx context.Context, src, dst *Disk, want []Wanted) (*ContentCopy, error) {
	res := &ContentCopy{Referenced: len(want), Missing: []string{}, Mismatched: []ContentProblem{}}
	if src != nil {
		a, errA := os.Stat(src.dir)
		b, errB := os.Stat(dst.dir)
		res.InPlace = errA == nil && errB == nil && os.SameFile(a, b)
	}
	wanted := map[string]bool{}
	for _, w := range want {
		wanted[w.SHA256] = true
		res.Bytes += w.Size
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if !res.InPlace {
			problem, err := copyOne(ctx, src, dst, w, res)
			if err != nil {
				return res, err
			}
			if problem == "missing" {
				res.Missing = append(res.Missing, w.SHA256)
				continue
			}
			if problem != "" {
				res.Mismatched = append(res.Mismatched, ContentProblem{SHA256: w.SHA256, Problem: problem})
				continue
			}
		}
		switch problem, err := check(dst, w); {
		case errors.Is(err, ErrNotFound):
			res.Missing = append(res.Missing, w.SHA256)
		case err != nil:
			return res, err
		case problem != "":
			res.Mismatched = append(res.Mismatched, ContentProblem{SHA256: w.SHA256, Problem: problem})
		default:
			res.Verified++
		}
	}
	if src == nil {
		return res, nil
	}
	all, err := src.Hashes()
	if err != nil {
		return res, fmt.Errorf("list the source's files: %w", err)
	}
	for _, h := range all {
		if !wanted[h] {
			res.Unreferenced++
		}
	}
	return res, nil
}

// copyOne brings one content to dst. It returns "missing" when src does not have it, a
// problem when src's content is not what its name says, "" when dst has it now.
func copyOne(ctx context.Context, src, dst *Disk, w Wanted, res *ContentCopy) (string, error) {
	if problem, err := check(dst, w); err == nil && problem == "" {
		res.AlreadyThere++
		return "", nil
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	if src == nil {
		return "missing", nil
	}
	in, err := src.Open(w.SHA256)
	if errors.Is(err, ErrNotFound) {
		return "missing", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", w.SHA256, err)
	}
	defer in.Close()
	p, err := dst.Put(ctx, in, math.MaxInt64-1)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", w.SHA256, err)
	}
	if got := p.Blob().SHA256; got != w.SHA256 {
		p.Discard()
		return "the source's content hashes to " + got, nil
	}
	if err := p.Commit(); err != nil {
		return "", fmt.Errorf("write %s: %w", w.SHA256, err)
	}
	res.Copied++
	res.Created = append(res.Created, w.SHA256)
	return "", nil
}

// check reads content from d and hashes it: "" when it hashes to its name at the recorded
// size, else what is wrong; ErrNotFound when d does not have it.
func check(d *Disk, w Wanted) (string, error) {
	f, err := d.Open(w.SHA256)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", w.SHA256, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != w.SHA256 {
		return "the content hashes to " + got, nil
	}
	if n != w.Size {
		return fmt.Sprintf("%d bytes, recorded %d", n, w.Size), nil
	}
	return "", nil
}
