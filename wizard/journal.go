package wizard

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
	"github.com/apppass/apppass/steps"
)

// FileJournal appends every change to a JSON-lines file, once before the
// write (pending) and once after (done or failed), so a run killed in
// between leaves a record the next start shows. It never holds a secret.
type FileJournal struct {
	path string
	mem  *bytes.Buffer // the journal of a demo run, when path is ""
	mu   sync.Mutex
	now  func() time.Time
	seq  int
}

// OpenJournal opens (creating if needed) the journal at path; its folder is
// made private (0700) even if it already existed with a looser mode.
func OpenJournal(path string, now func() time.Time) (*FileJournal, error) {
	if err := graphclient.PrivateDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("the journal folder: %w", err)
	}
	return &FileJournal{path: path, now: now}, nil
}

// NewMemoryJournal is a journal kept in memory for one demo run, so demos
// side by side never share or delete each other's records.
func NewMemoryJournal(now func() time.Time) *FileJournal {
	return &FileJournal{mem: &bytes.Buffer{}, now: now}
}

// Path is where the journal is.
func (j *FileJournal) Path() string {
	if j.mem != nil {
		return "this demo run's journal, in memory"
	}
	return j.path
}

func (j *FileJournal) append(e steps.Change) error {
	data, _ := json.Marshal(e)
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

// Begin implements steps.Journal: the change is recorded as pending.
func (j *FileJournal) Begin(e steps.Change) (string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.ID = j.now().UTC().Format("20060102T150405") + "-" + strconv.Itoa(j.seq)
	e.Status = "pending"
	return e.ID, j.append(e)
}

// Finish implements steps.Journal: the outcome is recorded.
func (j *FileJournal) Finish(id, after, requestID string, err error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := steps.Change{ID: id, Time: j.now(), After: after, Status: steps.WriteStatus(err), RequestID: requestID}
	if err != nil {
		e.Error = err.Error()
	}
	return j.append(e)
}

// Unfinished lists changes whose outcome is not known: begun and never
// finished (a run that died mid-write), or cut off by ctrl+c or a time-out.
func (j *FileJournal) Unfinished() ([]steps.Change, error) {
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
	pending := map[string]steps.Change{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var e steps.Change
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue // a torn last line from a crash
		}
		switch e.Status {
		case "pending":
			pending[e.ID] = e
			order = append(order, e.ID)
		case "unknown":
			if begun, ok := pending[e.ID]; ok {
				begun.Status, begun.Error = e.Status, e.Error
				pending[e.ID] = begun
			}
		default:
			delete(pending, e.ID)
		}
	}
	var out []steps.Change
	for _, id := range order {
		if e, ok := pending[id]; ok {
			out = append(out, e)
		}
	}
	return out, sc.Err()
}

// Resolve records that a change of unknown outcome was re-read on a later
// start, with the state seen then.
func (j *FileJournal) Resolve(e steps.Change, seen string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.append(steps.Change{ID: e.ID, Time: j.now(), After: seen, Status: "reread",
		Error: "the outcome was not known (the run stopped or was cut off); state read back on the next start"})
}
