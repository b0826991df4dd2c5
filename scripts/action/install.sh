#!/usr/bin/env bash
# Installs the sentries release binary for the GitHub Action (action.yml). Two modes:
#
#   install.sh plan      resolve version, release repository and target; write them to $GITHUB_OUTPUT
#                        (version, target, asset, dir) so the cache step can key on them
#   install.sh install   make $dir/sentries the checksum-verified release binary and add $dir to $GITHUB_PATH
#
# Inputs (environment; never spliced into a script):
#   INPUT_VERSION         a release tag (v0.1.0) or empty: then GITHUB_ACTION_REF when it is a full release tag
#                         (uses: OWNER/sentries@v0.1.0), else DEFAULT_VERSION below (a major tag such as v1,
#                         a branch or a commit SHA names no release)
#   INPUT_REPOSITORY      owner/name publishing the releases; empty: GITHUB_ACTION_REPOSITORY
#   RUNNER_OS, RUNNER_ARCH  set by the runner (Linux|macOS|Windows, X64|ARM64)
#   SENTRIES_DOWNLOAD_BASE  where releases live; default https://github.com (a GitHub Enterprise host, or a
#                         loopback server in tests)
#   RUNNER_TOOL_CACHE or RUNNER_TEMP  where the binary is kept (the cache step saves that folder)
#
# The binary is used only if its sha256 matches its line in the release's SHA256SUMS, which is downloaded
# fresh on every run, so a cached (or tampered) binary is checked exactly like a new download.
# Exit codes: 0 installed, 1 download or checksum failure, 2 unsupported platform or bad input.
set -euo pipefail
set -f # inputs never glob

# The release this copy of the action ships with; tests/action keeps it equal to src/version.ts.
DEFAULT_VERSION="v0.1.0"

die() {
  local code="$1"
  shift
  echo "::error title=sentries install::$*" >&2
  exit "$code"
}

resolve_version() {
  local version="${INPUT_VERSION:-}"
  if [ -z "$version" ]; then
    local ref="${GITHUB_ACTION_REF:-}"
    if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then version="$ref"; else version="$DEFAULT_VERSION"; fi
  fi
  [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
    die 2 "version \"$version\" is not a release tag such as v0.1.0 (input: version)"
  [[ "$version" == v* ]] || version="v$version"
  echo "$version"
}

resolve_repository() {
  local repo="${INPUT_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}"
  [ -n "$repo" ] || die 2 "no release repository: set the repository input (owner/name)"
  [[ "$repo" =~ ^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_][A-Za-z0-9_.-]*$ ]] || die 2 "repository \"$repo\" is not owner/name"
  echo "$repo"
}

# The release asset's target triple for this runner (names as scripts/compile.ts builds them).
resolve_target() {
  local os="${RUNNER_OS:-}" arch="${RUNNER_ARCH:-}"
  case "$os/$arch" in
    Linux/X64) echo "x86_64-unknown-linux-gnu" ;;
    Linux/ARM64) echo "aarch64-unknown-linux-gnu" ;;
    macOS/ARM64) echo "aarch64-apple-darwin" ;;
    macOS/X64) echo "x86_64-apple-darwin" ;;
    *) die 2 "no sentries binary for runner ${os:-?}/${arch:-?}: releases are built for Linux X64 and macOS ARM64 (runs-on: ubuntu-latest or macos-latest, or a self-hosted runner of those)" ;;
  esac
}

install_dir() {
  local base="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-}}"
  [ -n "$base" ] || die 2 "neither RUNNER_TOOL_CACHE nor RUNNER_TEMP is set (is this a GitHub Actions runner?)"
  echo "$base/sentries/$1/$2"
}

sha256_check() {
  # Reads "HASH  FILE" lines on stdin, in the current directory.
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -c --status -
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 -c --status -
  else
    die 1 "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

fetch() {
  # fetch URL FILE: fails (curl -f) on 404 and other HTTP errors.
  curl -fsSL --retry 3 --retry-delay 1 --connect-timeout 20 -o "$2" "$1"
}

write_output() {
  [ -n "${GITHUB_OUTPUT:-}" ] && echo "$1=$2" >>"$GITHUB_OUTPUT"
  return 0
}

mode="${1:-}"
version="$(resolve_version)"
repo="$(resolve_repository)"
target="$(resolve_target)"
asset="sentries-$target"
dir="$(install_dir "$version" "$target")"

case "$mode" in
  plan)
    write_output version "$version"
    write_output target "$target"
    write_output asset "$asset"
    write_output dir "$dir"
    echo "sentries $version for $target from $repo (into $dir)" >&2
    ;;
  install)
    base="${SENTRIES_DOWNLOAD_BASE:-https://github.com}"
    url="${base%/}/$repo/releases/download/$version"
    mkdir -p "$dir"
    work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sentries-install.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    fetch "$url/SHA256SUMS" "$work/SHA256SUMS" ||
      die 1 "could not download SHA256SUMS of release $version from $url (does the release exist in $repo?)"
    line="$(grep -E "^[0-9a-fA-F]{64}  $asset\$" "$work/SHA256SUMS" || true)"
    [ -n "$line" ] ||
      die 1 "release $version lists no $asset in SHA256SUMS: it has no binary for this runner ($RUNNER_OS/$RUNNER_ARCH)"
    expected="${line%% *}"
    if [ -f "$dir/sentries" ] && (cd "$dir" && echo "$expected  sentries" | sha256_check); then
      echo "sentries $version: cached binary matches SHA256SUMS" >&2
    else
      fetch "$url/$asset" "$work/$asset" || die 1 "could not download $asset of release $version from $url"
      (cd "$work" && echo "$expected  $asset" | sha256_check) ||
        die 1 "checksum mismatch for $asset of release $version: the download does not match SHA256SUMS; refusing to run it"
      chmod +x "$work/$asset"
      mv -f "$work/$asset" "$dir/sentries"
      echo "sentries $version: downloaded $asset, sha256 $expected verified" >&2
    fi
    [ -n "${GITHUB_PATH:-}" ] && echo "$dir" >>"$GITHUB_PATH"
    write_output path "$dir/sentries"
    write_output version "$version"
    ;;
  *) die 2 "usage: install.sh plan|install" ;;
esac
