#!/usr/bin/env bash
# imports.sh OBJDUMP CLIENT_EXE SERVER_EXE: each program imports exactly the
# DLLs the README names, Windows' own, and nothing else: adding one is a
# decision the README states with its reason, and this test makes it one.
#   chat_client.exe: COMCTL32, COMDLG32 (File > Save Log As...'s standard
#                    dialog), GDI32, KERNEL32, USER32, WS2_32 (no ADVAPI32:
#                    the security calls are the server's alone); for the
#                    custom-drawn chat log: OLEACC (LresultFromObject, its
#                    accessible object for screen readers), OLEAUT32 (the
#                    BSTRs that object answers with), OLE32 (CoInitializeEx:
#                    the UI thread is the object's apartment; and
#                    CoDisconnectObject when the log window goes, see
#                    gui/logacc.c) and SHELL32 (ShellExecuteW opens links)
#   chat_server.exe: ADVAPI32 (private named objects), KERNEL32, WS2_32
# Both: msvcrt.dll, the C runtime every Windows has (MinGW's default).
# And neither carries a link time (reproducible builds).
set -u
objdump=$1 client=$2 server=$3
passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
    if "${@:2}"; then passed=$((passed + 1)); echo "ok: $1"
    else failed=$((failed + 1)); echo "FAILED: $1"; fi
}
imports() { "$objdump" -p "$1" | awk '/DLL Name:/ { print toupper($3) }' | sort | tr '\n' ' '; }

got=$(imports "$client")
want="COMCTL32.DLL COMDLG32.DLL GDI32.DLL KERNEL32.DLL MSVCRT.DLL OLE32.DLL OLEACC.DLL"
want="$want OLEAUT32.DLL SHELL32.DLL USER32.DLL WS2_32.DLL "
check "chat_client.exe imports COMCTL32 COMDLG32 GDI32 KERNEL32 MSVCRT OLE32 OLEACC OLEAUT32 SHELL32 USER32 WS2_32 (got: $got)" \
    [ "$got" = "$want" ]
got=$(imports "$server")
check "chat_server.exe imports ADVAPI32 KERNEL32 MSVCRT WS2_32 (got: $got)" \
    [ "$got" = "ADVAPI32.DLL KERNEL32.DLL MSVCRT.DLL WS2_32.DLL " ]
# Reproducible builds (issue 14): no link time in either PE header, or the
# same commit would link to different bytes each time.
for exe in "$client" "$server"; do
    stamp=$("$objdump" -p "$exe" | awk -F'\t+' '/^Time\/Date/ { print $2 }')
    check "$(basename "$exe") has no link time in its header (got: $stamp)" \
        [ "$stamp" = "Thu Jan  1 00:00:00 1970" ]
done
echo "imports: $passed passed, $failed failed"
[ "$failed" = 0 ]
