# common.sh: paths and helpers shared by the project's scripts (sourced).
# Everything here is idempotent and safe to call twice.

CHAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHAT_BUILD=$CHAT_ROOT/build
CHAT_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/win32chat
CHECK_MINGW=$CHAT_CACHE/check-mingw

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# port_listening PORT: true once something listens on TCP PORT (within 10 s).
port_listening() {
    local i
    for i in $(seq 100); do
        ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    return 1
}

# Runs "$@" as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- display ----------------------------------------------------------------
# display_start: makes sure $DISPLAY names a live X display. Without one it
# starts Xvfb on a free display number plus openbox (without a window manager
# Wine's windows have no frames and closing them stalls, see WINE-NOTES.md),
# and sets CHAT_OWN_DISPLAY=1 so display_stop knows to end them.
CHAT_OWN_DISPLAY=0
display_start() {
    if [ -n "${DISPLAY:-}" ] && xdpyinfo >/dev/null 2>&1; then
        return 0
    fi
    local n=90
    while [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ]; do n=$((n + 1)); done
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    CHAT_XVFB_PID=$!
    export DISPLAY=":$n"
    local i
    for i in $(seq 100); do
        xdpyinfo >/dev/null 2>&1 && break
        sleep 0.1
    done
    xdpyinfo >/dev/null 2>&1 || die "Xvfb did not start on $DISPLAY"
    openbox --sm-disable >/dev/null 2>&1 &
    CHAT_OPENBOX_PID=$!
    CHAT_OWN_DISPLAY=1
}

display_stop() {
    [ "$CHAT_OWN_DISPLAY" = 1 ] || return 0
    kill "${CHAT_OPENBOX_PID:-}" "${CHAT_XVFB_PID:-}" 2>/dev/null || true
    wait "${CHAT_OPENBOX_PID:-}" "${CHAT_XVFB_PID:-}" 2>/dev/null || true
    CHAT_OWN_DISPLAY=0
}
