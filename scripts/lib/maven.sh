# Sourced by the scripts that build before they run. maven ARGS...: Maven offline first (fast, no network, enough
# once the plugins and dependencies are cached), else online to fetch what is missing. The offline attempt's own
# complaints (a plugin not cached yet) are not shown; a real build failure shows in the online attempt.
maven() {
  mvn -B -q -o -Dstyle.color=never "$@" >/dev/null 2>&1 || mvn -B -q -Dstyle.color=never "$@" >&2
}
