#!/usr/bin/env bash
# e2e.sh SERVER_EXE CLIENT_EXE WINTEXT_EXE ARTIFACTS_DIR: the whole system as
# a user meets it, real processes only: chat_server.exe and two
# chat_client.exe windows (alice, bob) on the X display; xdotool types into
# alice's send box; wintext.exe reads the windows back through WM_GETTEXT.
# Needs $DISPLAY with a window manager (scripts/test provides Xvfb+openbox).
set -u
server=$1 client=$2 wintext=$3 artifacts=$4
root=$(cd "$(dirname "$0")/../.." && pwd)
wexec=$root/scripts/wine-exec
mkdir -p "$artifacts"
passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
    if "${@:2}"; then passed=$((passed + 1)); echo "ok: $1"
    else failed=$((failed + 1)); echo "FAILED: $1"; fi
}
# wait_for SECONDS COMMAND...: polls until the command succeeds.
wait_for() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.1; done
}
win() { "$wexec" "$wintext" "$@" 2>/dev/null | tr -d '\r'; }
shows() { [ "$(win "$1" "$2")" = "$3" ]; }   # shows USER WHAT TEXT
log_has() { win "$1" log | grep -qF -- "$2"; }
netstate_is() { [ "$(win "$1" netstate)" = "$2" ]; }
shot() { import -window root "$artifacts/e2e-$1.png" 2>/dev/null; }
wait_connected() { wait_for 10 netstate_is "$1" 3; }
wait_shows_2() { wait_for 5 shows "$1" count "Connected clients: 2"; }
wait_pane() { wait_for 3 shows "$1" message "$text"; }

port=$((20000 + RANDOM % 30000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
shm=E2E-$$
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; }
trap cleanup EXIT

start_server() {
    "$wexec" "$server" --port "$port" --shm-name "$shm" >>"$artifacts/e2e-server.log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
}
start_server
x=20
for user in alice bob; do
    ini=$artifacts/e2e-$user.ini
    printf '[Window]\r\nPosition=%d,40\r\nSize96=600,480\r\n' "$x" >"$ini"
    x=$((x + 620))
    CHAT_CLIENT_INI=$(winepath -w "$ini" 2>/dev/null) "$wexec" "$client" --user "$user" \
        --server "127.0.0.1:$port" --shm-name "$shm" >"$artifacts/e2e-$user.log" 2>&1 &
    pids+=($!)
done
alice=$(timeout 20 xdotool search --sync --onlyvisible --name 'alice @' | head -1)
bob=$(timeout 20 xdotool search --sync --onlyvisible --name 'bob @' | head -1)
both() { "$@" alice && "$@" bob; } # both CHECK...: for alice, then bob
check "both windows appeared" [ -n "$alice" -a -n "$bob" ]
check "both connected" both wait_connected
check "both labels say 2" both wait_shows_2

# alice types, as a user would, and presses Return.
text="Hello bob, this is alice"
xdotool windowactivate --sync "$alice"
sleep 0.3
xdotool type --delay 25 "$text"
xdotool key Return
check "bob's log shows alice's message" wait_for 5 log_has bob "alice: $text"
check "alice's log shows her own echo" wait_for 5 log_has alice "alice: $text"
check "both panes show the text" both wait_pane
shot 1-conversation

# bob leaves: alice's label follows within a second (polled up to 3 s).
xdotool windowactivate --sync "$bob"
sleep 0.2
start=$(date +%s%N)
xdotool key alt+F4
check "alice's label says 1 after bob closed" wait_for 3 shows alice count "Connected clients: 1"
echo "   (alice's label followed in $(( ($(date +%s%N) - start) / 1000000 )) ms)"
check "alice's log says bob left" wait_for 3 log_has alice "*** bob left the chat ***"

# The server dies: alice says she is reconnecting; it comes back: she is back.
kill -9 "$server_pid"
check "alice is reconnecting after the server died" wait_for 5 netstate_is alice 4
shot 2-reconnecting
start_server
check "alice reconnected to the restarted server" wait_for 40 netstate_is alice 3
check "alice's label recovered" wait_for 5 shows alice count "Connected clients: 1"
shot 3-reconnected

echo "screenshots: $artifacts/e2e-*.png"
echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
