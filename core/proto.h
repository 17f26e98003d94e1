/* proto.h: the original chat system's wire protocol, in one place: limits,
 * the hello, the lines the server sends, and the rules for names and text.
 *
 * Contract: platform-free, never allocates, accepts any bytes (text may be
 * UTF-8 or a legacy ANSI code page). Thread-safe: no state. */
#ifndef CHAT_CORE_PROTO_H
#define CHAT_CORE_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#define PROTO_DEFAULT_PORT 12345
#define PROTO_LINE_MAX 4096      /* longest message line the server accepts */
#define PROTO_NAME_MAX_CHARS 32  /* longest user name, in characters */
#define PROTO_NAME_BUF (PROTO_NAME_MAX_CHARS * 4 + 1) /* bytes, NUL included */
#define PROTO_HELLO_PREFIX "USERNAME:"
#define PROTO_ANONYMOUS "anonymous"
#define PROTO_QUIT "/quit"

/* Lines only the server sends (each ends with "\n"). */
#define PROTO_LINE_TOO_LONG "*** message too long (max 4096 bytes) ***\n"
#define PROTO_LINE_FULL "*** server full ***\n"
/* To a connection refused because too many from its address (or in all)
 * have not said hello yet. */
#define PROTO_LINE_BUSY "*** too many connections waiting to join: try again later ***\n"
#define PROTO_LINE_SHUTDOWN "*** server shutting down ***\n"

/* Longest line the server can broadcast: a name, ": ", a message, "\n". */
#define PROTO_OUT_MAX (PROTO_NAME_BUF + 2 + PROTO_LINE_MAX + 1)

/* The user name a client's first message gives: the text after "USERNAME:"
 * cleaned by proto_clean_name, or PROTO_ANONYMOUS when the message does not
 * start with the prefix or nothing is left. Writes a NUL-terminated name of
 * at most PROTO_NAME_BUF - 1 bytes. */
void proto_parse_hello(const char *msg, size_t len, char name[PROTO_NAME_BUF]);

/* Cleans a name in place so that it cannot pass for another: control
 * characters (C0, DEL, C1) and every invisible character (direction marks,
 * embeddings, overrides and isolates, zero-width characters, variation
 * selectors, tags: unicode_is_invisible) removed, other spaces made U+0020,
 * ':' and its look-alikes removed (a chat line is "NAME: TEXT"), combining
 * marks kept only on a letter and at most two there, spaces, tabs and
 * leading '*' trimmed (no name reads as a notice), cut to PROTO_NAME_MAX_CHARS
 * characters (bytes that are not UTF-8 count one each and are kept, but C0
 * and DEL). Returns the new length. */
size_t proto_clean_name(char *s, size_t len);

/* A name from anywhere (a hello, --user, the Connect dialog, the settings,
 * the environment) as the server will print it: a bounded prefix of
 * name[0..len) cleaned by proto_clean_name, NUL-terminated into out. Returns
 * its length; 0 (out "") when nothing is left. */
size_t proto_name_from(const char *name, size_t len, char out[PROTO_NAME_BUF]);

/* The same, with PROTO_ANONYMOUS when nothing is left: the rule the server
 * applies to a hello's name. */
void proto_name_or_anonymous(const char *name, size_t len, char out[PROTO_NAME_BUF]);

/* Removes NUL and the other C0 control characters but TAB from s[0..len) in
 * place; every other byte passes through untouched. Returns the new length. */
size_t proto_clean_text(char *s, size_t len);

/* True when the message ends the session: it contains "/quit" anywhere, as
 * the original server decides. */
bool proto_is_quit(const char *s, size_t len);

/* "NAME: TEXT\n" into out (size >= PROTO_OUT_MAX is always enough); returns
 * its length. */
size_t proto_format_chat(char *out, size_t size, const char *name, const char *text,
                         size_t len);

/* The roster a newcomer gets right after its own join line (an addition
 * to the original protocol, readable as plain notices): every name, quoted,
 * `"` and `\` escaped with `\`, in lines of at most PROTO_ROSTER_LINE_MAX
 * bytes:
 *   *** in the chat (3): "alice", "bob, jr.", "Zo\"e" ***
 *   *** in the chat (continued): "carol" ***
 * The first line's number says how many names all its lines hold. */
#define PROTO_ROSTER_HEAD "*** in the chat ("
#define PROTO_ROSTER_MORE "*** in the chat (continued): "
#define PROTO_ROSTER_TAIL " ***"
#define PROTO_ROSTER_LINE_MAX 4096 /* "\n" included */

/* Then, to the newcomer too: where this server keeps the shared state on
 * its own machine, and a random instance number; a named object
 * "NAME" + PROTO_INSTANCE_SUFFIX + "HEX" exists there while it runs, so a
 * window on that machine can tell that segment is this server's:
 *   *** shared memory on the server's machine: "ChatSharedMemory", instance 1a2b3c4d ***
 */
#define PROTO_SHM_HEAD "*** shared memory on the server's machine: \""
#define PROTO_SHM_MID "\", instance "
#define PROTO_INSTANCE_SUFFIX "Instance"
#define PROTO_INSTANCE_HEX 8

/* `"NAME"` with `"` and `\` escaped, into out (NUL-terminated); its
 * length, or 0 when it does not fit. */
size_t proto_quote_name(char *out, size_t size, const char *name);

/* The shared-memory line above, "\n" included; 0 when it does not fit. */
size_t proto_format_shm(char *out, size_t size, const char *shm_name, unsigned long instance);

/* "*** NAME joined the chat ***\n" / "*** NAME left the chat ***\n". */
size_t proto_format_joined(char *out, size_t size, const char *name);
size_t proto_format_left(char *out, size_t size, const char *name);

/* Why the server dropped someone, said in their leave line:
 * "*** NAME left the chat (not reading) ***\n" (core/roster.h reads it as a
 * leave). */
#define PROTO_LEFT_NOT_READING "not reading"
#define PROTO_LEFT_TAIL_NOT_READING " left the chat (" PROTO_LEFT_NOT_READING ") ***"
size_t proto_format_left_not_reading(char *out, size_t size, const char *name);

/* "*** the name NAME is taken: choose another ***\n", the server's answer
 * to a hello with the name of a client already in the chat (its session
 * ends). */
size_t proto_format_name_taken(char *out, size_t size, const char *name);

/* "*** no hello within N s: closing ***\n", to a connection that said
 * nothing for the hello timeout (it holds a place and hears nothing). */
size_t proto_format_no_hello(char *out, size_t size, unsigned seconds);

/* "*** you are sending too fast (over B lines at once or R a second): your
 * lines are delayed, not lost ***\n", to a sender past its rate (once per
 * episode; its lines wait, unread, until the rate allows them). */
size_t proto_format_slowed(char *out, size_t size, unsigned rate, unsigned burst);

/* True when line[0..len) (without its "\n") is the server's refusal of a
 * whole session before its hello is taken: PROTO_LINE_FULL or
 * PROTO_LINE_BUSY. Sets *why to it in plain words. */
bool proto_is_refusal(const char *line, size_t len, const char **why);

/* True when line[0..len) (without its "\n") is that answer for `name`.
 * Cheap for every other line: it looks at the prefix first. */
bool proto_is_name_taken(const char *line, size_t len, const char *name);

#endif
