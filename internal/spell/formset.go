package spell

import (
	"hash/maphash"
	"math/bits"
)

// Case classes of the dictionary forms that fold (lowercase) to the same key.
const (
	caseLower   = 1 << iota // the form is all lowercase: "дом"
	caseCapital             // the form is Capitalised: "Москва"
	caseSpecial             // ALL CAPS or mIxEd: "ЧПУ", "iPhone" (the exact forms are kept aside)
	caseMask    = caseLower | caseCapital | caseSpecial
)

// formSet is a compact set of word forms keyed by their lowercase spelling: an
// open-addressing hash table of 32-bit entries, each 29 bits of a 64-bit hash (the slot is
// chosen by other, top bits of the same hash) plus the case class of the form. Four bytes a
// slot at a load of at most one half keeps the 1.5 million expanded Russian forms in 16 MiB,
// and a lookup — one hash, usually one cache line — is what makes trying tens of
// thousands of candidate corrections per word affordable. A false hit needs the same slot
// neighbourhood and the same 29 bits: about one in 10^9 lookups.
type formSet struct {
	seed  maphash.Seed
	shift uint // 64 - log2(len(slots))
	mask  uint64
	slots []uint32 // 0: empty
}

// formSetBuilder collects hashed forms before the table is sized.
type formSetBuilder struct {
	seed   maphash.Seed
	hashes []uint64
	class  []uint8
}

func newFormSetBuilder(seed maphash.Seed, capacity int) *formSetBuilder {
	return &formSetBuilder{seed: seed, hashes: make([]uint64, 0, capacity), class: make([]uint8, 0, capacity)}
}

func (b *formSetBuilder) add(fold []byte, class uint8) {
	b.hashes = append(b.hashes, maphash.Bytes(b.seed, fold))
	b.class = append(b.class, class)
}

// entry is the slot value of a hash: its low bits (never zero) and the case class.
func entry(h uint64, class uint8) uint32 {
	fp := uint32(h) &^ caseMask
	if fp == 0 {
		fp = 1 << 3
	}
	return fp | uint32(class)
}

func (b *formSetBuilder) build() formSet {
	sizeBits := max(bits.Len(uint(2*len(b.hashes))), 4)
	s := formSet{seed: b.seed, shift: uint(64 - sizeBits), mask: 1<<sizeBits - 1}
	s.slots = make([]uint32, 1<<sizeBits)
	for i, h := range b.hashes {
		e := entry(h, b.class[i])
		for j := h >> s.shift; ; j = (j + 1) & s.mask {
			if s.slots[j] == e {
				break // the same fold in the same case class: once is enough
			}
			if s.slots[j] == 0 {
				s.slots[j] = e
				break
			}
		}
	}
	b.hashes, b.class = nil, nil
	return s
}

// find returns the union of the case classes stored for hash h (0: none).
func (s *formSet) find(h uint64) uint8 {
	want := entry(h, 0)
	var class uint8
	for j := h >> s.shift; ; j = (j + 1) & s.mask {
		e := s.slots[j]
		if e == 0 {
			return class
		}
		if e&^caseMask == want {
			class |= uint8(e & caseMask)
		}
	}
}

func (s *formSet) lookup(key []byte) uint8 {
	if s.slots == nil {
		return 0
	}
	return s.find(maphash.Bytes(s.seed, key))
}

func (s *formSet) lookupString(key string) uint8 {
	if s.slots == nil {
		return 0
	}
	return s.find(maphash.String(s.seed, key))
}

// bytes is the memory the set holds.
func (s *formSet) bytes() int { return 4 * len(s.slots) }
