package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/extractor/scan"
	"github.com/finsam/ansokan/normalizer"
)

// 'ansokan version' and 'ansokan --version': the producer version
// records carry, then whether scanned pages can be read here (OCR and
// PDF page rendering), e.g. "OCR: tesseract 5.3.0 (swe, osd); rendering:
// pdftoppm 22.12.0".
const versionTemplate = "ansokan {{.Version}}\n{{scanStatus}}\n"

func init() {
	cobra.AddTemplateFunc("scanStatus", scan.Status)
}

func newVersionCmd(ios *streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of ansokan and whether it can read scans (also: ansokan --version)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(ios.Out, "ansokan %s\n%s\n", normalizer.Version, scan.Status())
			return nil
		},
	}
}
