package wizard

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/apppass/apppass/steps"
)

// FileJournal appends every change to a JSON-lines file, once before the
// write (pending) and once after (done or failed), so a run killed in
// between leaves a record the next start shows. It never holds a secret.
type FileJournal struct {
	path string
	mu   sync.Mutex
	now  func() time.Time
	seq  int
}

// OpenJournal opens (creating if needed) the journal at path.
func OpenJournal(path string, now func() time.Time) (*FileJournal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the journal folder: %w", err)
	}
	return &FileJournal{path: path, now: now}, nil
}

// Path is where the journal is.
func (j *FileJournal) Path() string { return j.path }

func (j *FileJournal) append(e steps.Change) error {
	f, err := os.OpenFile(j.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	data, _ := json.Marshal(e)
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
	e := steps.Change{ID: id, Time: j.now(), After: after, Status: "done", RequestID: requestID}
	if err != nil {
		e.Status, e.Error = "failed", err.Error()
	}
	return j.append(e)
}

// Unfinished lists changes begun and never finished (a run that died mid-write).
func (j *FileJournal) Unfinished() ([]steps.Change, error) {
	f, err := os.Open(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pending := map[string]steps.Change{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e steps.Change
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue // a torn last line from a crash
		}
		if e.Status == "pending" {
			pending[e.ID] = e
			order = append(order, e.ID)
		} else {
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

// Resolve records that an unfinished change was looked at on a later start,
// with the state read back then.
func (j *FileJournal) Resolve(e steps.Change, seen string) error {
	return j.Finish(e.ID, seen, "", errors.New("the run that made this change stopped before it finished; state read back on the next start: "+seen))
}
