package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The direction of imports, as docs/architecture.md states it. Keep the
// two in step: a new package gets a layer here and a line there.

const module = "github.com/apppass/apppass"

// layers, top to bottom: a package imports only packages of its own layer
// or below. "internal/cmd/*" is every command package.
var layers = [][]string{
	{"."},              // main: the composition root
	{"internal/cmd/*"}, // one package per command
	{"internal/cmdutil", "internal/cmdutil/cmdtest", "internal/prompt"}, // what commands share
	{"wizard", "scanview"},
	{"steps"},
	{"styles"},
	{"flow"}, // the wizard without its drawing: sign-in, OAuth test, the record; below styles, so it draws nothing
	{"demo", "evidence", "journal", "scan", "internal/testkit"},
	{"graphclient", "smtpauth"},
	{"diagnose", "termsafe", "simcloud", "appdirs", "filelock", "internal/tempdir"},
}

// testSupport may be imported by any test, whatever its layer.
var testSupport = []string{"demo", "simcloud", "internal/cmdutil/cmdtest", "internal/testkit", "internal/tempdir"}

// onlyFrom: outside tests, these packages are imported only by the listed
// ones. Only the demo wiring starts a simulator, and only commands (and
// their shared code) wire a demo; cmdtest, testkit and tempdir are for tests alone.
var onlyFrom = map[string][]string{
	"simcloud":                 {"demo", "internal/testkit"},
	"demo":                     {".", "internal/cmd/*", "internal/cmdutil"},
	"internal/cmdutil/cmdtest": {},
	"internal/testkit":         {},
	"internal/tempdir":         {"internal/cmdutil/cmdtest"},
}

// leaves import nothing of ours (tests included): diagnose is pure logic,
// appdirs only reads the platform. Their tests may use leafTestSupport, a
// leaf itself (the standard library only).
var (
	leaves          = []string{"diagnose", "termsafe", "appdirs", "filelock", "internal/tempdir"}
	leafTestSupport = []string{"internal/tempdir"}
)

// ui is what draws. Packages below styles (graphclient, diagnose, the
// demo wiring, ...) import none of it.
var (
	uiPackages = []string{"wizard", "scanview", "steps", "styles"}
	uiModules  = []string{"charm.land/", "github.com/charmbracelet/"}
	// notDrawing is the one charmbracelet module that draws nothing: it
	// asks the terminal about itself (is it one; echo off for a secret).
	notDrawing = "github.com/charmbracelet/x/term"
)

// noUI are the packages above the UI that still draw nothing: the commands
// without screens print lines, and the UI-free flow hands them the same
// sign-in and OAuth test the screens draw (tests included).
var noUI = []string{"internal/cmdutil", "internal/cmd/diagnosecmd"}

// anImport is one import of one file; pkg and path are relative to the
// module ("." is the root) when the import is ours.
type anImport struct {
	pkg, file, path string
	ours, test      bool
}

func TestImportDirection(t *testing.T) {
	imports, err := readImports(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) < 50 {
		t.Fatalf("read only %d imports: is the walk broken?", len(imports))
	}
	for _, v := range violations(imports) {
		t.Error(v)
	}
}

// The rules catch what they are meant to catch.
func TestImportDirectionCatchesViolations(t *testing.T) {
	cases := map[string]anImport{
		"graphclient importing the UI":   {pkg: "graphclient", path: "charm.land/bubbletea/v2"},
		"graphclient importing styles":   {pkg: "graphclient", path: "styles", ours: true},
		"steps importing the wizard":     {pkg: "steps", path: "wizard", ours: true},
		"steps starting a simulator":     {pkg: "steps", path: "simcloud", ours: true},
		"the wizard wiring a demo":       {pkg: "wizard", path: "demo", ours: true},
		"a command starting simcloud":    {pkg: "internal/cmd/democmd", path: "simcloud", ours: true},
		"diagnose importing termsafe":    {pkg: "diagnose", path: "termsafe", ours: true},
		"a diagnose test using demo":     {pkg: "diagnose", path: "demo", ours: true, test: true},
		"the demo wiring importing UI":   {pkg: "demo", path: "steps", ours: true},
		"production code using cmdtest":  {pkg: "internal/cmd/diagnosecmd", path: "internal/cmdutil/cmdtest", ours: true},
		"a package in no layer":          {pkg: "nolayer", path: "diagnose", ours: true},
		"cmdutil borrowing steps' types": {pkg: "internal/cmdutil", path: "steps", ours: true},
		"diagnose's command drawing":     {pkg: "internal/cmd/diagnosecmd", path: "charm.land/lipgloss/v2"},
		"a diagnose test using wizard":   {pkg: "internal/cmd/diagnosecmd", path: "wizard", ours: true, test: true},
		"the flow drawing":               {pkg: "flow", path: "charm.land/bubbletea/v2"},
		"the flow importing styles":      {pkg: "flow", path: "styles", ours: true},
		"the flow importing steps":       {pkg: "flow", path: "steps", ours: true},
	}
	for name, imp := range cases {
		imp.file = imp.pkg + "/x.go"
		if len(violations([]anImport{imp})) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
	fine := []anImport{
		{pkg: "internal/cmd/democmd", path: "internal/cmd/wizardcmd", ours: true},
		{pkg: "steps", path: "simcloud", ours: true, test: true},
		{pkg: "graphclient", path: "demo", ours: true, test: true},
		{pkg: "internal/cmdutil", path: "demo", ours: true},
		{pkg: "evidence", path: "graphclient", ours: true},
		{pkg: "internal/cmdutil", path: "flow", ours: true},
		{pkg: "steps", path: "flow", ours: true},
		{pkg: "internal/cmd/scancmd", path: "wizard", ours: true},
		{pkg: "internal/cmdutil", path: "github.com/charmbracelet/x/term"},
	}
	for _, imp := range fine {
		imp.file = imp.pkg + "/x.go"
		if v := violations([]anImport{imp}); len(v) > 0 {
			t.Errorf("refused: %v", v)
		}
	}
}

// readImports parses the imports of every Go file under root, testdata
// and hidden folders aside.
func readImports(root string) ([]anImport, error) {
	var out []anImport
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(p))
		for _, spec := range f.Imports {
			ip, _ := strconv.Unquote(spec.Path.Value)
			imp := anImport{pkg: pkg, file: filepath.ToSlash(p), path: ip, test: strings.HasSuffix(name, "_test.go")}
			if rel, ok := ourPackage(ip); ok {
				imp.path, imp.ours = rel, true
			}
			out = append(out, imp)
		}
		return nil
	})
	return out, err
}

func ourPackage(importPath string) (string, bool) {
	if importPath == module {
		return ".", true
	}
	rel, ok := strings.CutPrefix(importPath, module+"/")
	return rel, ok
}

// violations applies the rules to the imports.
func violations(imports []anImport) []string {
	var out []string
	bad := func(imp anImport, why string) {
		out = append(out, imp.file+" imports "+imp.path+": "+why)
	}
	for _, imp := range imports {
		from, known := layerOf(imp.pkg)
		if !known {
			bad(imp, imp.pkg+" is in no layer: add it to architecture_test.go and docs/architecture.md")
			continue
		}
		drawsNothing := from > layerOfName("styles") || slices.Contains(noUI, imp.pkg)
		if !imp.ours {
			if drawsNothing && imp.path != notDrawing && slices.ContainsFunc(uiModules, func(m string) bool { return strings.HasPrefix(imp.path, m) }) {
				bad(imp, imp.pkg+" draws nothing and may not import a UI module")
			}
			continue
		}
		if imp.path == imp.pkg {
			continue // an external test package importing its own package
		}
		if slices.Contains(leaves, imp.pkg) && !(imp.test && slices.Contains(leafTestSupport, imp.path)) {
			bad(imp, imp.pkg+" imports nothing of apppass's")
			continue
		}
		if imp.test && slices.Contains(testSupport, imp.path) {
			continue
		}
		to, known := layerOf(imp.path)
		switch {
		case !known:
			bad(imp, imp.path+" is in no layer")
		case to < from:
			bad(imp, "imports go down the layers, and "+imp.path+" is above "+imp.pkg)
		case drawsNothing && slices.Contains(uiPackages, imp.path):
			bad(imp, imp.pkg+" draws nothing and may not import the UI's "+imp.path)
		}
		if allowed, limited := onlyFrom[imp.path]; limited && !imp.test && !matchesAny(imp.pkg, allowed) {
			bad(imp, "outside tests, only "+strings.Join(allowed, ", ")+" may import "+imp.path)
		}
	}
	return out
}

func layerOf(pkg string) (int, bool) {
	for i, layer := range layers {
		if matchesAny(pkg, layer) {
			return i, true
		}
	}
	return 0, false
}

func layerOfName(pkg string) int {
	i, _ := layerOf(pkg)
	return i
}

func matchesAny(pkg string, patterns []string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool {
		ok, _ := path.Match(p, pkg)
		return ok
	})
}

// wineRun are the packages whose Windows tests scripts/wine.sh runs under
// Wine, where t.TempDir's cleanup fails (Wine 8 lacks the delete call Go's
// RemoveAll uses): their tests take folders from internal/tempdir.
var wineRun = []string{"appdirs", "filelock", "journal", "graphclient", "internal/cmdutil",
	"internal/cmd/logoutcmd", "internal/cmd/simcloudcmd", "smtpauth", "diagnose"}

func TestWineRunTestsUseTempdir(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("scripts", "wine.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range wineRun {
		if !strings.Contains(string(script), " "+pkg+" ") && !strings.Contains(string(script), " "+pkg+";") {
			t.Errorf("scripts/wine.sh does not run %s's Windows tests: keep its list and wineRun in step", pkg)
		}
		files, err := filepath.Glob(filepath.Join(filepath.FromSlash(pkg), "*_test.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no test files (%v): is the list stale?", pkg, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), ".TempDir()") {
				t.Errorf("%s calls TempDir(): use tempdir.New(t), whose cleanup also works under Wine", f)
			}
		}
	}
}
