/* Console formatting shared by both engines' embeddings, the test shell and
 * the firmware entry (no printf on the device). */
#include <string.h>
#include "hal.h"
#include "embed.h"

size_t fmt_u64(char *dst, uint64_t v) {
    char tmp[21]; size_t n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (size_t i = 0; i < n; i++) dst[i] = tmp[n - 1 - i];
    dst[n] = 0;
    return n;
}
size_t fmt_i64(char *dst, int64_t v) {
    if (v < 0) { dst[0] = '-'; return 1 + fmt_u64(dst + 1, (uint64_t)0 - (uint64_t)v); }
    return fmt_u64(dst, (uint64_t)v);
}
void console_puts(const char *s) { hal_console_write((const uint8_t *)s, strlen(s)); }
size_t fmt_pairs(char *buf, size_t len, const fmt_pair_t *kv, size_t count) {
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        size_t kl = strlen(kv[i].k);
        if (n + kl + 24 >= len) break;
        if (n) buf[n++] = ' ';
        memcpy(buf + n, kv[i].k, kl); n += kl; buf[n++] = '=';
        n += fmt_u64(buf + n, kv[i].v);
    }
    buf[n] = 0;
    return n;
}
