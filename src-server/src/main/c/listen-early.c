/*
 * listen-early: binds and listens on the server's client port, then execs the JVM (same pid)
 * with the listening socket as its standard input, for the server to adopt.
 *
 * Why: a JVM needs 300-400 ms before the server is whole, nats-server about 10 ms, and some
 * harnesses (nats.java's test server runner among them) give a new server 100 ms and then
 * connect once, without retrying. With the socket listening from the first milliseconds, the
 * kernel completes such a client's TCP handshake and holds the connection in the backlog; the
 * server accepts it, and sends INFO, only once it is whole (NatsServer adopts the socket with
 * accepting off and turns accepting on where it would otherwise have bound).
 *
 * Usage: listen-early <java> [jvm args...] -jar <jar> [server flags...]
 *        (or ... -cp <path> io.natsjvm.server.cli.Main [server flags...]);
 *        NATS_JVM_LISTEN_EARLY=0 turns it off, =print prints the address it would listen on.
 * The client address is read the way the server reads it: --port/-p and --addr/--net/-a flags
 * over the top-level port, listen, host and net keys of the --config/-c file, else 0.0.0.0:4222.
 * Whatever this reader cannot be sure of (an include, a variable, a random port, a flag that
 * does not start a server) means no early socket: the JVM binds as before. The JVM also checks
 * the adopted socket's address against its own reading of the options and binds itself when they
 * differ, so a wrong guess here costs only the early start.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define BACKLOG 1024 /* as the JVM's own listener */
#define MAIN_CLASS "io.natsjvm.server.cli.Main"

static char host[256] = "0.0.0.0";
static long port = 4222;
static int unsure = 0;

/* Flags of nats-server that take no value; every other flag takes one (Go's flag package). */
static const char *BOOL_FLAGS[] = {"h", "help", "v", "version", "t", "help_tls", "D", "debug", "V", "trace",
        "VV", "DV", "VD", "DVV", "T", "logtime", "js", "jetstream", "s", "syslog", "no_advertise", "tls",
        "tlsverify", NULL};
/* Flags after which no server starts, or starts elsewhere: no early socket. */
static const char *NO_SERVER_FLAGS[] = {"h", "help", "v", "version", "t", "help_tls", "sl", "signal", NULL};

static int in(const char *name, const char **list) {
    for (; *list; list++) {
        if (strcmp(name, *list) == 0) {
            return 1;
        }
    }
    return 0;
}

static int parse_port(const char *s, long *out) {
    char *end;
    long p;
    while (isspace((unsigned char) *s)) {
        s++;
    }
    if (*s == '\0') {
        return 0;
    }
    p = strtol(s, &end, 10);
    while (isspace((unsigned char) *end)) {
        end++;
    }
    if (*end != '\0') {
        return 0;
    }
    *out = p;
    return 1;
}

static void set_host(const char *h, size_t n) {
    if (n >= sizeof(host)) {
        unsure = 1;
        return;
    }
    memcpy(host, h, n);
    host[n] = '\0';
}

/* listen: "host:port", "host", ":port" or a bare port number. */
static void set_listen(const char *v) {
    const char *colon = strrchr(v, ':');
    long p;
    if (colon == NULL) {
        if (parse_port(v, &p)) {
            port = p;
        } else {
            set_host(v, strlen(v));
        }
        return;
    }
    if (!parse_port(colon + 1, &p)) {
        unsure = 1;
        return;
    }
    port = p;
    if (colon > v) {
        const char *h = v;
        size_t n = (size_t) (colon - v);
        if (h[0] == '[' && n >= 2 && h[n - 1] == ']') { /* [::1]:4222 */
            h++;
            n -= 2;
        }
        set_host(h, n);
    }
}

static const char *skip_space_and_comments(const char *s) {
    for (;;) {
        while (isspace((unsigned char) *s) || *s == ',' || *s == ';') {
            s++;
        }
        if (*s == '#' || (s[0] == '/' && s[1] == '/')) {
            while (*s && *s != '\n') {
                s++;
            }
            continue;
        }
        return s;
    }
}

/* Skips a quoted string starting at its quote; returns the character after the closing one. */
static const char *skip_string(const char *s) {
    char q = *s++;
    while (*s && *s != q) {
        if (q == '"' && *s == '\\' && s[1]) {
            s++;
        }
        s++;
    }
    return *s ? s + 1 : s;
}

/* Skips a {...} or [...] value with everything nested in it. */
static const char *skip_block(const char *s) {
    int depth = 0;
    while (*s) {
        if (*s == '"' || *s == '\'') {
            s = skip_string(s);
            continue;
        }
        if (*s == '#' || (s[0] == '/' && s[1] == '/')) {
            while (*s && *s != '\n') {
                s++;
            }
            continue;
        }
        if (*s == '{' || *s == '[') {
            depth++;
        } else if (*s == '}' || *s == ']') {
            if (--depth == 0) {
                return s + 1;
            }
        } else if (s[0] == '<' && s[1] == '<') {
            unsure = 1; /* a here-document: not read here */
            return s + strlen(s);
        }
        s++;
    }
    unsure = 1; /* unbalanced */
    return s;
}

/* Reads the top level of a config file for the client address. */
static void read_config(const char *text) {
    const char *s = text;
    char key[64];
    char value[512];
    for (;;) {
        size_t n = 0;
        s = skip_space_and_comments(s);
        if (*s == '\0' || unsure) {
            return;
        }
        if (*s == '}' || *s == ']' || *s == '{' || *s == '[') {
            unsure = 1;
            return;
        }
        if (*s == '"' || *s == '\'') { /* a quoted key */
            const char *end = skip_string(s);
            n = (size_t) (end - s) >= 2 ? (size_t) (end - s) - 2 : 0;
            if (n >= sizeof(key)) {
                unsure = 1;
                return;
            }
            memcpy(key, s + 1, n);
            s = end;
        } else {
            while (*s && !isspace((unsigned char) *s) && *s != ':' && *s != '=' && *s != '{' && *s != '[') {
                if (n + 1 >= sizeof(key)) {
                    unsure = 1;
                    return;
                }
                key[n++] = *s++;
            }
        }
        key[n] = '\0';
        if (strcasecmp(key, "include") == 0) {
            unsure = 1;
            return;
        }
        while (*s == ' ' || *s == '\t') {
            s++;
        }
        if (*s == ':' || *s == '=') {
            s++;
        }
        while (*s == ' ' || *s == '\t') {
            s++;
        }
        if (*s == '{' || *s == '[') {
            s = skip_block(s);
            continue;
        }
        n = 0;
        if (*s == '"' || *s == '\'') {
            const char *end = skip_string(s);
            size_t len = (size_t) (end - s) >= 2 ? (size_t) (end - s) - 2 : 0;
            if (len >= sizeof(value) || memchr(s + 1, '\\', len) != NULL) {
                unsure = 1;
                return;
            }
            memcpy(value, s + 1, len);
            n = len;
            s = end;
        } else {
            while (*s && *s != '\n' && *s != ',' && *s != ';' && *s != '#' && *s != '}'
                    && !(s[0] == '/' && s[1] == '/')) {
                if (n + 1 >= sizeof(value)) {
                    unsure = 1;
                    return;
                }
                value[n++] = *s++;
            }
            while (n > 0 && isspace((unsigned char) value[n - 1])) {
                n--;
            }
        }
        value[n] = '\0';
        if (strcasecmp(key, "port") == 0 || strcasecmp(key, "listen") == 0 || strcasecmp(key, "host") == 0
                || strcasecmp(key, "net") == 0) {
            if (strchr(value, '$') != NULL || strstr(value, "<<") != NULL) {
                unsure = 1; /* a variable or a here-document */
                return;
            }
            if (strcasecmp(key, "port") == 0) {
                if (!parse_port(value, &port)) {
                    unsure = 1;
                }
            } else if (strcasecmp(key, "listen") == 0) {
                set_listen(value);
            } else {
                set_host(value, strlen(value));
            }
        }
    }
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || size > (16 << 20) || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t) size + 1);
    if (buf != NULL && fread(buf, 1, (size_t) size, f) != (size_t) size) {
        free(buf);
        buf = NULL;
    }
    if (buf != NULL) {
        buf[size] = '\0';
    }
    fclose(f);
    return buf;
}

/* Binds and listens; returns the socket, or -1 (the JVM then binds as before). */
static int listen_on(void) {
    struct addrinfo hints, *res = NULL, *ai;
    char service[16];
    int fd = -1, one = 1;
    int families[] = {AF_INET, AF_INET6};
    snprintf(service, sizeof(service), "%ld", port);
    for (int i = 0; i < 2 && fd < 0; i++) {
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = families[i]; /* an IPv4 address first, as Go and Java resolve names */
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_PASSIVE;
        if (getaddrinfo(host[0] ? host : NULL, service, &hints, &res) != 0) {
            continue;
        }
        for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
            fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
            if (fd < 0) {
                continue;
            }
            if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0
                    || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, BACKLOG) != 0
                    || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
                close(fd);
                fd = -1;
            }
        }
        freeaddrinfo(res);
    }
    return fd;
}

int main(int argc, char **argv) {
    int jar = -1;
    const char *config = NULL;
    const char *flag_port = NULL;
    const char *flag_host = NULL;
    const char *mode = getenv("NATS_JVM_LISTEN_EARLY"); /* 0: off; print: say the address and exit */
    if (argc < 2) {
        fprintf(stderr, "usage: listen-early <java> [args...]\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-jar") == 0 && i + 1 < argc) {
            jar = i + 2; /* the server's flags start after the jar */
            break;
        }
        if (strcmp(argv[i], MAIN_CLASS) == 0) {
            jar = i + 1; /* or after the main class, on a class path */
            break;
        }
    }
    if (jar < 0 || (mode != NULL && strcmp(mode, "0") == 0)) {
        unsure = 1;
    }
    for (int i = jar; !unsure && i < argc; i++) {
        const char *a = argv[i];
        char name[64];
        const char *value = NULL;
        const char *eq;
        size_t n;
        if (a[0] != '-' || strcmp(a, "-") == 0 || strcmp(a, "--") == 0) {
            break; /* Go's flag package stops at the first non-flag argument */
        }
        a += a[1] == '-' ? 2 : 1;
        eq = strchr(a, '=');
        n = eq ? (size_t) (eq - a) : strlen(a);
        if (n >= sizeof(name)) {
            unsure = 1;
            break;
        }
        memcpy(name, a, n);
        name[n] = '\0';
        if (in(name, NO_SERVER_FLAGS)) {
            unsure = 1;
            break;
        }
        if (in(name, BOOL_FLAGS)) {
            continue;
        }
        if (eq) {
            value = eq + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            unsure = 1;
            break;
        }
        if (strcmp(name, "c") == 0 || strcmp(name, "config") == 0) {
            config = value;
        } else if (strcmp(name, "p") == 0 || strcmp(name, "port") == 0) {
            flag_port = value;
        } else if (strcmp(name, "a") == 0 || strcmp(name, "addr") == 0 || strcmp(name, "net") == 0) {
            flag_host = value;
        }
    }
    if (!unsure && config != NULL) {
        char *text = read_file(config);
        if (text == NULL) {
            unsure = 1;
        } else {
            read_config(text);
            free(text);
        }
    }
    if (!unsure && flag_port != NULL && !parse_port(flag_port, &port)) {
        unsure = 1;
    }
    if (!unsure && flag_host != NULL) {
        set_host(flag_host, strlen(flag_host));
    }
    if (mode != NULL && strcmp(mode, "print") == 0) {
        if (unsure || port <= 0 || port > 65535) {
            printf("none\n");
        } else {
            printf("%s %ld\n", host, port);
        }
        return 0;
    }
    if (!unsure && port > 0 && port <= 65535) {
        int fd = listen_on();
        if (fd >= 0) {
            if (fd == 0 || dup2(fd, 0) == 0) {
                if (fd != 0) {
                    close(fd);
                }
                setenv("NATS_JVM_LISTEN_EARLY_FD", "0", 1);
            } else {
                close(fd);
            }
        }
    }
    execvp(argv[1], argv + 1);
    perror("listen-early: exec");
    return 127;
}
