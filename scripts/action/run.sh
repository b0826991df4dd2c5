#!/usr/bin/env bash
# Runs one sentries command for the GitHub Action (action.yml) with --json, then hands the JSON report to
# outputs.mjs (step outputs and, for commands that write none themselves, the job summary).
#
# Inputs (environment; never spliced into a script): INPUT_COMMAND (tests|docs|status|cleanup|doctor),
# INPUT_ARGS (extra arguments, split on whitespace, never globbed or evaluated), INPUT_JUNIT_XML (tests only),
# INPUT_LLM_BASE, INPUT_MODEL_PLAN, INPUT_MODEL_PATCH, INPUT_TOKEN (set only when not empty, so a
# [tool.sentries] setting or the runner's environment still applies), SENTRIES_BIN (default: sentries on PATH).
# Exit code: the command's own (0 ok or nothing to do, 1 not fixed / failure, 2 usage or configuration).
set -uo pipefail
set -f
here="$(cd "$(dirname "$0")" && pwd)"

command="${INPUT_COMMAND:-}"
case "$command" in
  tests | docs | status | cleanup | doctor) ;;
  *)
    echo "::error title=sentries::command \"$command\" is not one of tests, docs, status, cleanup, doctor (input: command)" >&2
    exit 2
    ;;
esac

args=("$command" --json)
if [ -n "${INPUT_JUNIT_XML:-}" ]; then
  if [ "$command" != "tests" ]; then
    echo "::error title=sentries::junit-xml applies to command: tests only (got $command)" >&2
    exit 2
  fi
  args+=(--junit-xml "$INPUT_JUNIT_XML")
fi
read -r -a extra <<<"${INPUT_ARGS:-}"
args+=(${extra[@]+"${extra[@]}"}) # bash 3.2 (macOS) rejects an empty "${extra[@]}" under set -u

[ -n "${INPUT_LLM_BASE:-}" ] && export LLM_BASE="$INPUT_LLM_BASE"
[ -n "${INPUT_MODEL_PLAN:-}" ] && export MODEL_PLAN="$INPUT_MODEL_PLAN"
[ -n "${INPUT_MODEL_PATCH:-}" ] && export MODEL_PATCH="$INPUT_MODEL_PATCH"
[ -n "${INPUT_TOKEN:-}" ] && export GITHUB_TOKEN="$INPUT_TOKEN"

report="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sentries-$command-$$.json"
"${SENTRIES_BIN:-sentries}" "${args[@]}" >"$report"
code=$?
node "$here/outputs.mjs" "$command" "$report" "$code" || echo "::warning title=sentries::could not write the step outputs" >&2
exit "$code"
