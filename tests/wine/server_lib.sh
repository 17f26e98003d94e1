# server_lib.sh: what the shell tests of chat_server.exe share (sourced):
# check(), and start_server, which starts it on a free port under the
# project's Wine prefix and waits until it accepts connections. Sets
# $port, $pid (the program's own: wine-exec execs wine) and $log.
passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
    if "${@:2}"; then passed=$((passed + 1)); echo "ok: $1"
    else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

start_server() { # start_server SERVER_EXE SHM_NAME
    local wine_exec
    wine_exec=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)/wine-exec
    port=$((20000 + RANDOM % 30000))
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    log=$(mktemp)
    "$wine_exec" "$1" --port "$port" --shm-name "$2" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.05
    done
}
