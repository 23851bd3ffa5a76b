package journal

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/apppass/apppass/filelock"
	"github.com/apppass/apppass/graphclient"
)

// File appends every change to a JSON-lines file (or, for a demo run, to
// memory): Begin before the write, Finish after it.
//
// Each record is one line, written whole with O_APPEND and synced before
// the tenant is touched, under a lock file shared with every other apppass
// process (filelock). A line cut off by a crash or a full disk is ended
// before the next record is written, so it never swallows a later one, and
// the reader skips it with a warning (DamagedError).
type File struct {
	path string
	mem  *bytes.Buffer // the journal of a demo run, when path is ""
	mu   sync.Mutex
	now  func() time.Time
}

// Open opens (creating if needed) the journal at path; its folder is made
// private (0700) even if it already existed with a looser mode.
func Open(path string, now func() time.Time) (*File, error) {
	if err := graphclient.PrivateDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("the journal folder: %w", err)
	}
	return &File{path: path, now: now}, nil
}

// InMemory is a journal kept in memory for one demo run, so demos side by
// side never share or delete each other's records.
func InMemory(now func() time.Time) *File {
	return &File{mem: &bytes.Buffer{}, now: now}
}

// Path is where the journal is.
func (j *File) Path() string {
	if j.mem != nil {
		return "this demo run's journal, in memory"
	}
	return j.path
}

// maxText bounds the free-text fields of a record (a long Graph error), so
// a record stays far below maxLine.
const maxText = 4 << 10

// maxLine is the longest line the reader takes; a longer one is skipped.
const maxLine = 256 << 10

// writeRecord writes one record's bytes; the crash test replaces it to be
// killed between bytes.
var writeRecord = func(f *os.File, b []byte) error {
	_, err := f.Write(b)
	return err
}

func (j *File) append(c Change) error {
	c.Error, c.Note = clip(c.Error), clip(c.Note)
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if j.mem != nil {
		j.mem.Write(append(data, '\n'))
		return nil
	}
	lock, err := filelock.Acquire(j.path + ".lock")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	f, err := os.OpenFile(j.path, os.O_CREATE|os.O_APPEND|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	size := info.Size()
	if size > 0 {
		// A torn last line (a crash, a full disk) is ended here, so this
		// record starts a line of its own.
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, size-1); err != nil {
			return err
		}
		if last[0] != '\n' {
			data = append([]byte{'\n'}, data...)
		}
	}
	if err := writeRecord(f, append(data, '\n')); err != nil {
		f.Truncate(size) // leave no part of this record behind (best effort: the disk is failing)
		return fmt.Errorf("writing the journal %s: %w", j.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Truncate(size)
		return fmt.Errorf("writing the journal %s: %w", j.path, err)
	}
	return nil
}

// clip cuts s to maxText bytes on a character boundary.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	cut := maxText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + " …(cut)"
}

// newID is a change's id: its time, for people, and 64 random bits, so
// two processes never give two changes the same id.
func (j *File) newID() string {
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand's documented contract)
	return j.now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// Begin records a change as pending and returns its id. A change whose
// Begin failed must not be made.
func (j *File) Begin(c Change) (string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	c.ID = j.newID()
	c.Outcome = Pending
	return c.ID, j.append(c)
}

// Finish records a begun change's outcome (c.ID from Begin).
func (j *File) Finish(c Change) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	c.Time = j.now()
	return j.append(c)
}

// Decline records a change that was shown and refused: nothing was written.
func (j *File) Decline(c Change) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	c.ID = j.newID()
	c.Time, c.Outcome = j.now(), Declined
	return j.append(c)
}

// Observe records something seen, not written (Kind AppSignIn): it has no
// pending half, so it is never unfinished.
func (j *File) Observe(c Change) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	c.ID = j.newID()
	c.Time = j.now()
	return j.append(c)
}

// DamagedError says the journal had lines apppass could not read and
// skipped: every record around them was read.
type DamagedError struct {
	Path    string
	Torn    int // lines that are not a whole record (cut off by a crash or a full disk)
	TooLong int // lines over maxLine bytes
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the journal %s has %d damaged line(s) that apppass skipped (%d cut off by a crash or a full disk, %d too long); every other record was read",
		e.Path, e.Torn+e.TooLong, e.Torn, e.TooLong)
}

// Unfinished lists changes whose outcome is not known: begun and never
// finished (a run that died mid-write), or cut off by ctrl+c or a time-out.
// Damaged lines are skipped: the list is then whole and the error a
// *DamagedError to show. Any other error means the journal could not be
// read, and the list is empty.
func (j *File) Unfinished() ([]Change, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	var r io.Reader
	if j.mem != nil {
		r = bytes.NewReader(j.mem.Bytes())
	} else {
		f, err := os.Open(j.path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the journal: %w", err)
		}
		defer f.Close()
		r = f
	}
	pending := map[string]Change{}
	var order []string
	damage := &DamagedError{Path: j.Path()}
	err := eachLine(r, func(line []byte, tooLong bool) {
		if tooLong {
			damage.TooLong++
			return
		}
		if len(bytes.TrimSpace(line)) == 0 {
			return
		}
		var c Change
		if json.Unmarshal(line, &c) != nil || c.ID == "" {
			damage.Torn++
			return
		}
		switch c.Outcome {
		case Pending:
			pending[c.ID] = c
			order = append(order, c.ID)
		case Unknown:
			if begun, ok := pending[c.ID]; ok {
				begun.Outcome, begun.Error = c.Outcome, c.Error
				pending[c.ID] = begun
			}
		default:
			delete(pending, c.ID)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("reading the journal %s: %w", j.Path(), err)
	}
	var out []Change
	for _, id := range order {
		if c, ok := pending[id]; ok {
			out = append(out, c)
		}
	}
	if damage.Torn+damage.TooLong > 0 {
		return out, damage
	}
	return out, nil
}

// eachLine calls fn with every line of r (without its line break); a line
// over maxLine bytes is read past, never held, and reported as too long.
func eachLine(r io.Reader, fn func(line []byte, tooLong bool)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLine+1 {
				tooLong, line = true, line[:0]
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == nil || (err == io.EOF && (len(line) > 0 || tooLong)):
			fn(bytes.TrimSuffix(line, []byte{'\n'}), tooLong)
			line, tooLong = line[:0], false
		}
		if err == io.EOF {
			return nil
		}
		if err != nil && err != bufio.ErrBufferFull {
			return err
		}
	}
}

// Resolve records that a change of unknown outcome was re-read on a later
// start, with the state seen then.
func (j *File) Resolve(c Change, seen string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.append(Change{ID: c.ID, Time: j.now(), After: seen, Outcome: Reread,
		Error: "the outcome was not known (the run stopped or was cut off); state read back on the next start"})
}
