#!/usr/bin/env bash
# Checks what `goreleaser release --snapshot --clean --skip=publish` left in
# dist/: an archive for each platform apppass ships for, checksums that match
# them, the version stamped into the binary, and winget, Scoop and Homebrew
# manifests that parse and name exactly those archives' checksums. Exit 1 on
# the first thing wrong.
set -euo pipefail
cd "$(dirname "$0")/../dist"

fail() { echo "FAIL $*"; exit 1; }
command -v ruby >/dev/null || fail "needs ruby, to parse the Homebrew cask and the winget YAML (apt-get install ruby)"

version=$(ruby -rjson -e 'puts JSON.parse(File.read("metadata.json"))["version"]')
sums=apppass_${version}_checksums.txt
[ -f "$sums" ] || fail "no checksums file for version $version"
for target in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64; do
  [ -f "apppass_${version}_$target.tar.gz" ] || fail "no archive for $target"
done
for target in windows_amd64 windows_arm64; do
  [ -f "apppass_${version}_$target.zip" ] || fail "no zip for $target"
done
[ "$(wc -l <"$sums")" -eq 6 ] || fail "the checksums file does not list exactly the 6 archives"
sha256sum --quiet -c "$sums" || fail "an archive does not match its checksum"
echo "ok   6 archives (zip on Windows), each matching $sums"

native=$(go env GOOS)_$(go env GOARCH)
tar -xzf "apppass_${version}_$native.tar.gz" -O apppass >apppass.check
chmod +x apppass.check
said=$(./apppass.check --version)
rm apppass.check
[ "$said" = "apppass $version" ] || fail "the $native binary says \"$said\", want \"apppass $version\""
echo "ok   apppass --version says $version"

# Each manifest names the archives by their checksums, and only those.
hashes_of() { grep -oE '[0-9a-f]{64}' "$1" | sort -u; }
want() { grep -E "$1" "$sums" | cut -d' ' -f1 | sort -u; }
scoop=scoop/apppass.json
cask=homebrew/Casks/apppass.rb
winget=$(ls winget/manifests/*/*/*/*/*.installer.yaml)
ruby -rjson -e 'JSON.parse(File.read(ARGV[0]))' "$scoop" || fail "$scoop is not JSON"
ruby -c "$cask" >/dev/null || fail "$cask is not valid Ruby"
for f in winget/manifests/*/*/*/*/*.yaml; do
  ruby -ryaml -e 'YAML.load_file(ARGV[0])' "$f" || fail "$f is not YAML"
done
[ "$(hashes_of "$scoop")" = "$(want '_windows_')" ] || fail "$scoop does not name the Windows zips' checksums"
[ "$(hashes_of "$winget")" = "$(want '_windows_')" ] || fail "$winget does not name the Windows zips' checksums"
[ "$(hashes_of "$cask")" = "$(want '_(darwin|linux)_')" ] || fail "$cask does not name the macOS and Linux archives' checksums"
echo "ok   winget, Scoop and Homebrew manifests parse and name the archives' checksums"
