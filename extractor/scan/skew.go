package scan

import (
	"math"
)

// Skew search: printed lines are found by a projection profile. For each
// candidate angle the ink pixels are projected on the axis across the
// lines; at the page's true angle the lines fall into few rows and the
// profile is sharpest (its sum of squares is largest). Coarse steps of
// 0.25° over ±maxSkew, then steps of 0.05° around the best.
const (
	maxSkew    = 10.0 // degrees searched either way
	minSkew    = 0.2  // below this a page is read as it is
	skewStep   = 0.25
	skewFine   = 0.05
	skewSample = 400_000 // ink pixels at most in the profile (a regular sample)
)

// estimateSkew returns the slope of the printed lines in degrees,
// positive when they fall to the right in image coordinates (y down).
// Zero when the page has too little ink or no angle beats upright by a
// clear margin (a photo, a blank page).
func estimateSkew(b *bitmap) float64 {
	var xs, ys []float64
	n := 0
	for _, on := range b.ink {
		if on {
			n++
		}
	}
	if n < 200 {
		return 0
	}
	step := max(1, n/skewSample)
	i := 0
	for p, on := range b.ink {
		if !on {
			continue
		}
		if i%step == 0 {
			xs = append(xs, float64(p%b.w))
			ys = append(ys, float64(p/b.w))
		}
		i++
	}
	bins := make([]float64, b.h+2*b.w+2)
	score := func(deg float64) float64 {
		a := deg * math.Pi / 180
		sin, cos := math.Sin(a), math.Cos(a)
		clear(bins)
		off := float64(b.w)
		for k := range xs {
			// The row of (x, y) once the page is turned by -deg.
			r := ys[k]*cos - xs[k]*sin + off
			bins[int(r)]++
		}
		s := 0.0
		for _, v := range bins {
			s += v * v
		}
		return s
	}
	upright := score(0)
	best, bestScore := 0.0, upright
	for d := -maxSkew; d <= maxSkew+1e-9; d += skewStep {
		if s := score(d); s > bestScore {
			best, bestScore = d, s
		}
	}
	for d := best - skewStep; d <= best+skewStep+1e-9; d += skewFine {
		if s := score(d); s > bestScore {
			best, bestScore = d, s
		}
	}
	// A photo or a drawing has no sharp angle: ask for 5 % over upright.
	if bestScore < upright*1.05 || math.Abs(best) < minSkew {
		return 0
	}
	return math.Round(best*100) / 100
}
