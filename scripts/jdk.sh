# Sourced by ./roster and ./run-tests: sets JAVA_HOME to a JDK >= 21 (JAVA_HOME first, then
# /usr/lib/jvm/*). The choice is remembered in target/.jdk so later starts skip the probing.
_roster_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

roster_find_jdk() {
  local top=$1 cache=$1/target/.jdk c v
  if [ -f "$cache" ]; then
    c=$(cat "$cache")
    if [ -x "$c/bin/javac" ] && { [ -z "${JAVA_HOME:-}" ] || [ "$JAVA_HOME" = "$c" ]; }; then
      JAVA_HOME=$c; export JAVA_HOME; return 0
    fi
  fi
  for c in ${JAVA_HOME:-} /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(_roster_java_major "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
      JAVA_HOME=$c; export JAVA_HOME
      mkdir -p "$top/target" && echo "$c" >"$cache"
      return 0
    fi
  done
  echo "roster: no JDK 21 or newer found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
  return 1
}
