package main

import "strings"

// cer is the character error rate of the stated lines in text: for each
// line, the edit distance (insertions, deletions, substitutions of
// characters) to the best-matching stretch of text, summed over the
// lines and divided by their summed length. White space runs count as
// one space on both sides.
func cer(lines []string, text string) float64 {
	hyp := []rune(squash(text))
	var dist, n int
	for _, l := range lines {
		ref := []rune(squash(l))
		dist += bestWindow(ref, hyp)
		n += len(ref)
	}
	if n == 0 {
		return 0
	}
	return float64(dist) / float64(n)
}

func refLength(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len([]rune(squash(l)))
	}
	return n
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// bestWindow is the least edit distance between ref and any substring
// of hyp (semi-global alignment: hyp's text before and after the
// window is free).
func bestWindow(ref, hyp []rune) int {
	// prev[j]: distance of ref[:i] to the best substring of hyp ending at j.
	prev := make([]int, len(hyp)+1) // i = 0: the empty prefix costs 0 anywhere
	cur := make([]int, len(hyp)+1)
	for i := 1; i <= len(ref); i++ {
		cur[0] = i
		for j := 1; j <= len(hyp); j++ {
			sub := prev[j-1]
			if ref[i-1] != hyp[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	best := prev[0]
	for _, d := range prev {
		best = min(best, d)
	}
	return best
}
