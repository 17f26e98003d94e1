# wine.sh: the project's own Wine prefix, prepared and started the way
# ../shared/WINE-NOTES.md measured it must be, so that no crash dialog,
# missing font or inherited pipe can hang a run (sourced).

# wine_env: the environment of every wine call.
wine_env() {
    export WINEPREFIX=${CHAT_WINEPREFIX:-$CHAT_BUILD/wineprefix}
    export WINEDEBUG=-all
    export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
}

# wine_prepare: once per prefix: create it, turn the crash dialog off (a
# crash then exits with code 5 instead of blocking on a modal box) and link
# Wine's own fonts in (Tahoma, MS Shell Dlg; Arabic in STATIC controls).
wine_prepare() {
    [ -f "$WINEPREFIX/.chat-prepared" ] && return 0
    mkdir -p "$(dirname "$WINEPREFIX")"
    wineboot -i </dev/null >/dev/null 2>&1 || die "wineboot -i failed for $WINEPREFIX"
    wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f \
        </dev/null >/dev/null 2>&1 || die "could not turn off Wine's crash dialog"
    mkdir -p "$WINEPREFIX/drive_c/windows/Fonts"
    ln -sf /usr/share/wine/fonts/*.ttf "$WINEPREFIX/drive_c/windows/Fonts/"
    wineserver -k 2>/dev/null || true # fonts are read when the server starts
    touch "$WINEPREFIX/.chat-prepared"
}

# wine_start: starts the wineserver and Wine's services with every stdio
# detached, so no later call's pipe is inherited by them. Does nothing when
# this prefix's server is already running (wineserver -p exits 2 then).
wine_start() {
    if wineserver -p 60 </dev/null >/dev/null 2>&1; then
        wine wineboot </dev/null >/dev/null 2>&1 || true
    fi
}

# wine_ready: prepare and start under a lock, so parallel callers (ctest -j)
# never race on a half-made prefix.
wine_ready() {
    wine_env
    mkdir -p "$(dirname "$WINEPREFIX")"
    # The lock's descriptor is closed for everything started inside, or the
    # wineserver daemon would inherit it and hold the lock for good.
    (
        flock 9
        wine_prepare 9>&-
        wine_start 9>&-
    ) 9>"$WINEPREFIX.lock"
}

wine_stop() {
    wine_env
    wineserver -k 2>/dev/null || true
}
