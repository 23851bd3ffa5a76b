package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/apppass/apppass/graphclient"
)

// File appends every change to a JSON-lines file (or, for a demo run, to
// memory): Begin before the write, Finish after it.
type File struct {
	path string
	mem  *bytes.Buffer // the journal of a demo run, when path is ""
	mu   sync.Mutex
	now  func() time.Time
	seq  int
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

func (j *File) append(c Change) error {
	data, _ := json.Marshal(c)
	if j.mem != nil {
		j.mem.Write(append(data, '\n'))
		return nil
	}
	f, err := os.OpenFile(j.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Begin records a change as pending and returns its id. A change whose
// Begin failed must not be made.
func (j *File) Begin(c Change) (string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	c.ID = j.now().UTC().Format("20060102T150405") + "-" + strconv.Itoa(j.seq)
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
	j.seq++
	c.ID = j.now().UTC().Format("20060102T150405") + "-" + strconv.Itoa(j.seq)
	c.Time, c.Outcome = j.now(), Declined
	return j.append(c)
}

// Observe records something seen, not written (Kind AppSignIn): it has no
// pending half, so it is never unfinished.
func (j *File) Observe(c Change) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	c.ID = j.now().UTC().Format("20060102T150405") + "-" + strconv.Itoa(j.seq)
	c.Time = j.now()
	return j.append(c)
}

// Unfinished lists changes whose outcome is not known: begun and never
// finished (a run that died mid-write), or cut off by ctrl+c or a time-out.
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
			return nil, err
		}
		defer f.Close()
		r = f
	}
	pending := map[string]Change{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var c Change
		if json.Unmarshal(sc.Bytes(), &c) != nil {
			continue // a torn last line from a crash
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
	}
	var out []Change
	for _, id := range order {
		if c, ok := pending[id]; ok {
			out = append(out, c)
		}
	}
	return out, sc.Err()
}

// Resolve records that a change of unknown outcome was re-read on a later
// start, with the state seen then.
func (j *File) Resolve(c Change, seen string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.append(Change{ID: c.ID, Time: j.now(), After: seen, Outcome: Reread,
		Error: "the outcome was not known (the run stopped or was cut off); state read back on the next start"})
}
