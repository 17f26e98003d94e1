/* winproc.h: real helper processes and unique kernel-object names for the
 * Win32 suites (libuv's helper-process pattern).
 *
 * Contract: every function aborts the current Check test (ck_assert) rather
 * than return a failure, so a test reads as the behaviour it checks. */
#ifndef CHAT_TESTS_WINPROC_H
#define CHAT_TESTS_WINPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <windows.h>

/* "ChatTest-<pid>-<n>-<tag>": never the same twice, in this run or another
 * one running in parallel on the same Wine prefix. */
void tp_unique_name(char *buf, size_t size, const char *tag);

/* Starts `exe` (a file next to this test executable) with `args` and returns
 * its process handle. Its stdio is this process's. */
HANDLE tp_spawn(const char *exe, const char *args);

/* The same with CreateProcess creation flags (CREATE_NEW_PROCESS_GROUP...)
 * and, when log_path is not NULL, stdout and stderr written to that file. */
HANDLE tp_spawn_ex(const char *exe, const char *args, DWORD flags, const char *log_path);

/* Starts the program at the full path `exe` (any characters) with `args`,
 * in the helpers' job like tp_spawn; stdout and stderr to `log_path` when
 * it is not NULL. */
HANDLE tp_spawn_w(const wchar_t *exe, const wchar_t *args, const wchar_t *log_path);
/* Ends every helper still running (and what they started): a teardown
 * after a test that failed half-way. */
void tp_end_helpers(void);
/* The visible unowned top-level window of process `pid` once it shows;
 * asserts it does within ms. */
HWND tp_top_window(DWORD pid, DWORD ms);
/* The version in a program's VERSIONINFO resource as "a.b.c", read without
 * VERSION.DLL (the fixed part starts with its signature); false without. */
bool tp_file_version(const wchar_t *exe, char *out, size_t cap);
/* The manual-reset event "<name>Ready" a helper sets once it is in the
 * state the test asked for; create it before spawning the helper. */
HANDLE tp_ready_event(const char *name);

/* tp_spawn, then waits (asserting, 10 s at most) until the helper set
 * "<name>Ready": the usual way to put a helper into a state first. */
HANDLE tp_spawn_ready(const char *exe, const char *args, const char *name);

/* Waits up to ms for a handle; true when it was signalled. */
bool tp_wait(HANDLE h, DWORD ms);

/* Waits for a process to exit by itself (asserting it does within ms) and
 * returns its exit code; closes the handle. */
DWORD tp_exit_code(HANDLE proc, DWORD ms);

/* TerminateProcess, wait for it to be gone, close the handle: what the
 * kernel does to a crashed process, mutexes it held included. */
void tp_kill(HANDLE proc);

/* Milliseconds from a monotonic clock. */
unsigned long long tp_now_ms(void);

#endif
