package journal

import "github.com/apppass/apppass/appdirs"

// PathIn is the live journal of one environment (a cloud name) in the
// state folder of the platform env describes: for example
// ~/.local/state/apppass/journal-global.jsonl on Linux and
// %LOCALAPPDATA%\apppass\journal-global.jsonl on Windows.
func PathIn(env appdirs.Env, environment string) (string, error) {
	dir, err := env.State()
	if err != nil {
		return "", err
	}
	return env.Join(dir, "journal-"+environment+".jsonl"), nil
}
