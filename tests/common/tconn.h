/* tconn.h: a blocking TCP test client with line reads and timeouts, and the
 * server under test started as a real process.
 *
 * Contract: like winproc.h, failures abort the current Check test. */
#ifndef CHAT_TESTS_TCONN_H
#define CHAT_TESTS_TCONN_H

#include <winsock2.h>
#include <stdbool.h>
#include <stddef.h>
#include <windows.h>

typedef struct TConn {
    SOCKET s;
    char buf[70000];
    size_t len;
} TConn;

/* Winsock up; call once per process (make_suite does). */
void tc_startup(void);

/* A free TCP port on 127.0.0.1 (bound, then released). */
unsigned short tc_free_port(void);

/* Connects to numeric address `to` (IPv4 or IPv6) at port, from numeric
 * address `from` when not NULL (127.0.0.2 is another address on the same
 * machine); NULL when the connection fails. */
TConn *tc_connect_addr(const char *to, unsigned short port, const char *from);

/* A socket listening on 127.0.0.1:port (a server played by the test). */
SOCKET tc_listen(unsigned short port);

/* Connects to 127.0.0.1:port with TCP_NODELAY; NULL-free: asserts. */
TConn *tc_connect(unsigned short port);

/* Connects and sends "USERNAME:<name>\n", then reads up to and including its
 * own join line and the welcome after it (tc_welcome). */
TConn *tc_join(unsigned short port, const char *name);

/* Reads the roster lines and the shared-memory line a newcomer gets right
 * after its join line; asserts they come, and nothing else between. */
void tc_welcome(TConn *c);

/* True when the socket becomes readable (data, a connection to accept, or
 * the end) within timeout_ms. */
bool tc_readable(SOCKET s, DWORD timeout_ms);

/* One send() of exactly these bytes. */
void tc_send(TConn *c, const void *data, size_t len);
void tc_sends(TConn *c, const char *s);

/* The next line without its "\n" into out (NUL-terminated); false on timeout
 * or when the connection closed first. */
bool tc_line(TConn *c, char *out, size_t size, DWORD timeout_ms);

/* Reads until the next line equals `want`; asserts it arrives in time. */
void tc_expect(TConn *c, const char *want, DWORD timeout_ms);

/* True when the server closed the connection within timeout_ms (anything
 * still unread is discarded). */
bool tc_closed(TConn *c, DWORD timeout_ms);

/* Closes: gracefully, or abruptly with an RST (SO_LINGER 0). */
void tc_close(TConn *c);
void tc_reset(TConn *c);

/* Starts build/mingw/server/chat_server.exe with `args` (after --rate 0
 * --per-address 1000: a test of those limits gives its own), waits until it accepts connections,
 * returns its process handle. */
HANDLE tc_server(unsigned short port, const char *shm_name, const char *extra_args);

#endif
