/* The test shell: a line protocol on the console that lets the host tests
 * drive the module under wasm3 exactly as they drive it in V8.
 *   w ADDR HEX         write bytes into linear memory      -> ok
 *   r ADDR LEN         read bytes                          -> ok HEX
 *   c NAME [ARG...]    call an export (decimal arguments)  -> ok RESULT|- INSTRUCTIONS
 *   l ADDR OFF LEN PATH load LEN bytes at OFF of a host file into memory -> ok
 *   s                  interpreter and memory figures      -> ok key=value ...
 *   f                  free all compiled code (flush.c)    -> ok BYTES_RELEASED INSTRUCTIONS
 *   q                  exit
 * Failures answer "err MESSAGE". Log lines from the module start with "# ".
 * Bytes stream straight into linear memory, so the shell needs no buffer
 * larger than one token. */
#include <string.h>
#include "hal.h"
#include "embed.h"

#define IDLE_TIMEOUT_MS 600000u

/* embed_flush_code is wasm3's (flush.c; weak in embed.h): under wasm2c 'f' errs. */

static uint8_t inbuf[64];
static int inlen, inpos;

static int rd(void) {
    if (inpos == inlen) {
        int n = hal_console_read(inbuf, sizeof inbuf, IDLE_TIMEOUT_MS);
        if (n <= 0) return -1;
        inlen = n; inpos = 0;
    }
    return inbuf[inpos++];
}

/* Reads one space-delimited token; returns its terminator ('\n', ' ' or -1). */
static int token(char *t, size_t cap) {
    size_t n = 0; int c;
    while ((c = rd()) == ' ') {}
    while (c != -1 && c != ' ' && c != '\n' && c != '\r') {
        if (n + 1 < cap) t[n++] = (char)c;
        c = rd();
    }
    t[n] = 0;
    return c;
}

static void skip_line(int last) { while (last != '\n' && last != -1) last = rd(); }

static uint32_t parse_u32(const char *s) {
    uint32_t v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (uint32_t)(*s++ - '0');
    return v;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void reply_err(const char *m) { console_puts("err "); console_puts(m); console_puts("\n"); }

static void cmd_write(void) {
    char t[16];
    int c = token(t, sizeof t);
    uint32_t addr = parse_u32(t), size;
    uint8_t *mem = embed_memory(&size);
    uint32_t n = 0; int hi = -1, bad = 0;
    if (c == ' ') {
        while ((c = rd()) != -1 && c != '\n') {
            int v = hexval(c);
            if (v < 0) continue;
            if (hi < 0) { hi = v; continue; }
            if (addr + n < size && addr + n >= addr) mem[addr + n] = (uint8_t)(hi << 4 | v);
            else bad = 1;
            n++; hi = -1;
        }
    }
    if (bad || addr == 0) reply_err("out of bounds"); else console_puts("ok\n");
}

static void cmd_read(void) {
    char t[16];
    token(t, sizeof t);
    uint32_t addr = parse_u32(t);
    int c = token(t, sizeof t);
    skip_line(c);
    uint32_t len = parse_u32(t), size;
    const uint8_t *mem = embed_memory(&size);
    if (addr > size || len > size - addr) { reply_err("out of bounds"); return; }
    static const char hx[] = "0123456789abcdef";
    char chunk[64];
    console_puts("ok ");
    size_t k = 0;
    for (uint32_t i = 0; i < len; i++) {
        chunk[k++] = hx[mem[addr + i] >> 4];
        chunk[k++] = hx[mem[addr + i] & 15];
        if (k == sizeof chunk) { hal_console_write((const uint8_t *)chunk, k); k = 0; }
    }
    chunk[k++] = '\n';
    hal_console_write((const uint8_t *)chunk, k);
}

static void cmd_load(void) {
    char t[16], path[128];
    uint32_t v[3];
    for (int i = 0; i < 3; i++) { token(t, sizeof t); v[i] = parse_u32(t); }
    skip_line(token(path, sizeof path));
    uint32_t size;
    uint8_t *mem = embed_memory(&size);
    if (v[0] == 0 || v[0] > size || v[2] > size - v[0]) { reply_err("out of bounds"); return; }
    if (hal_host_file_read(path, v[1], mem + v[0], v[2]) != (int)v[2]) { reply_err("cannot read the file"); return; }
    console_puts("ok\n");
}

#define MAX_ARGS 8
static void cmd_call(void) {
    char name[48], argbuf[MAX_ARGS][24];
    const char *argv[MAX_ARGS];
    int argc = 0;
    int c = token(name, sizeof name);
    while (c == ' ' && argc < MAX_ARGS) {
        c = token(argbuf[argc], sizeof argbuf[argc]);
        if (argbuf[argc][0]) { argv[argc] = argbuf[argc]; argc++; }
    }
    skip_line(c);
    char out[24], num[24];
    uint64_t t0 = hal_instructions();
    const char *err = embed_call(name, argc, argv, out, sizeof out);
    uint64_t t1 = hal_instructions();
    if (err) { reply_err(err); return; }
    console_puts("ok ");
    console_puts(out[0] ? out : "-");
    console_puts(" ");
    fmt_u64(num, t1 - t0);
    console_puts(num);
    console_puts("\n");
}

int rpc_loop(void) {
    char line[320];
    embed_set_rpc(1);
    console_puts("ready\n");
    for (;;) {
        int c;
        do { c = rd(); } while (c == '\n' || c == '\r' || c == ' ');
        if (c == -1) return 0;
        int next = rd();
        if (next != ' ' && next != '\n') { skip_line(next); reply_err("bad command"); continue; }
        switch (c) {
        case 'w': if (next == ' ') cmd_write(); else reply_err("usage"); break;
        case 'r': if (next == ' ') cmd_read(); else reply_err("usage"); break;
        case 'c': if (next == ' ') cmd_call(); else reply_err("usage"); break;
        case 'l': if (next == ' ') cmd_load(); else reply_err("usage"); break;
        case 's':
            skip_line(next);
            embed_stats_line(line, sizeof line);
            console_puts("ok "); console_puts(line); console_puts("\n");
            break;
        case 'f': {
            skip_line(next);
            if (!embed_flush_code) { reply_err("no compiled code to free (wasm2c)"); break; }
            char num[24];
            uint64_t t0 = hal_instructions();
            uint32_t bytes = embed_flush_code();
            uint64_t t1 = hal_instructions();
            console_puts("ok "); fmt_u64(num, bytes); console_puts(num);
            console_puts(" "); fmt_u64(num, t1 - t0); console_puts(num); console_puts("\n");
            break;
        }
        case 'q': skip_line(next); console_puts("ok\n"); return 0;
        default: skip_line(next); reply_err("bad command");
        }
    }
}
