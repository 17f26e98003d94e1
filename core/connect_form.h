/* connect_form.h: File > Connect...'s three boxes checked and turned into
 * a connection target, and the name to offer when the chosen one is taken.
 *
 * The server box takes what people paste: "host", "host:port", "[v6]:port"
 * or a bare IPv6 address; a port written there wins over the port box
 * (which may then be empty). A name is refused, not cut, when it has more
 * than PROTO_NAME_MAX_CHARS characters.
 *
 * Contract: platform-free, no allocation; inputs are UTF-8; errors are one
 * sentence for a person, without option names. */
#ifndef CHAT_CORE_CONNECT_FORM_H
#define CHAT_CORE_CONNECT_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/client_opts.h"
#include "core/proto.h"

typedef struct ConnectTarget {
    char host[CLIENT_HOST_MAX];
    unsigned short port;
    char user[PROTO_NAME_BUF];
} ConnectTarget;

/* The box a refusal is about. */
typedef enum ConnectField {
    CONNECT_FIELD_SERVER,
    CONNECT_FIELD_PORT,
    CONNECT_FIELD_USER,
} ConnectField;

/* True with t filled, or false with a sentence in err (t unchanged) and,
 * when `field` is not NULL, the box it is about. */
bool connect_form_check(const char *server, const char *port, const char *user,
                        ConnectTarget *t, char *err, size_t errsize, ConnectField *field);

/* True, with *port, when the server box names a port ("host:port",
 * "[v6]:port"): the dialog shows it in the port box, which it then
 * overrides. */
bool connect_form_server_port(const char *server, unsigned short *port);

/* The name to offer when `name` is taken: its trailing number plus one, or
 * "2" appended ("bob" -> "bob2", "bob2" -> "bob3", "r2d2" -> "r2d3"), the
 * start cut (never inside a character) so the result stays within
 * PROTO_NAME_MAX_CHARS characters. */
void connect_form_next_name(const char *name, char out[PROTO_NAME_BUF]);

#endif
