package cmdutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/apppass/apppass/termsafe"
)

// ExportToWorkingDir writes a report file in the current folder and says
// where: ExportTo with the working directory.
func ExportToWorkingDir(name string, data []byte) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return ExportTo(dir, name, data)
}

// ExportTo writes data as a report file named name in dir, whole or not
// at all: into a temporary file beside it (0600), synced to disk, then
// linked under its name, which never replaces a file already there
// ("report.md" taken: "report-2.md", ...), so a second export in the same
// minute works. The text is cleaned (termsafe.Text) at this edge too, so
// no file apppass writes carries a terminal escape or a bidi override.
// On any failure (a full disk, a read-only folder) the temporary file is
// removed and the error says which report could not be written.
func ExportTo(dir, name string, data []byte) (string, error) {
	data = []byte(termsafe.Text(string(data)))
	tmp, err := os.CreateTemp(dir, ".apppass-export-*.tmp")
	if err != nil {
		return "", fmt.Errorf("could not write %s in %s: %w", name, dir, err)
	}
	defer os.Remove(tmp.Name()) // gone in every case: the report has its own link
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("could not write %s in %s (is the disk full?): %w", name, dir, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("could not write %s in %s (is the disk full?): %w", name, dir, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("could not write %s in %s (is the disk full?): %w", name, dir, err)
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for n := 1; n <= 1000; n++ {
		candidate := name
		if n > 1 {
			candidate = base + "-" + strconv.Itoa(n) + ext
		}
		path := filepath.Join(dir, candidate)
		err := os.Link(tmp.Name(), path)
		if err == nil {
			syncDir(dir)
			return path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("could not write %s in %s: %w", candidate, dir, err)
		}
	}
	return "", fmt.Errorf("could not write %s in %s: 1000 reports of that name are there already", name, dir)
}

// syncDir makes a new name in dir durable where the system allows it
// (Windows cannot open a folder for sync; its rename is durable enough).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
