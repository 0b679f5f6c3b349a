# Sourced by the packaging checks.
# Whether what a command prints holds a line matching PATTERN (grep's options before it). The
# command runs to its end first: in `command | grep -q`, grep closes the pipe at its first match,
# and under pipefail the command's SIGPIPE then fails the check at random (seen on a busy run).
prints() {
  local options=() output
  while [[ $1 == -* ]]; do options+=("$1"); shift; done
  local pattern=$1; shift
  output=$("$@") || return 1
  grep -q "${options[@]}" -- "$pattern" <<<"$output"
}
