/* boards/native: a Linux process. Console on stdin/stdout, modem UART on a
 * loopback TCP connection (--modem HOST:PORT), host TCP for HostSocket.
 * The module runs on a thread with a painted stack so its depth is measured. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <time.h>
#include <unistd.h>
#include "hal.h"

int board_run(const uint8_t *wasm, uint32_t len);

#define STACK_BYTES (256 * 1024)
#define PAINT 0xA5

static const char *mode = "main";
static const char *modem_addr;
static int modem_fd = -1;
static int64_t pinned_time = -1;
static int32_t temperature_mc = 21500;
static int show_leds, button_after = -1;   /* --leds, --button-after N */
static uint8_t *stack_base;

static void usage(void) {
    fprintf(stderr, "usage: native-board [--rpc] [--modem HOST:PORT] [--time SECONDS] "
                    "[--temperature MILLIDEG] [--leds] [--button-after N] MODULE.wasm\n");
    exit(2);
}

static const char *module_path;
void hal_init(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rpc")) mode = "rpc";
        else if (!strcmp(argv[i], "--modem") && i + 1 < argc) modem_addr = argv[++i];
        else if (!strcmp(argv[i], "--time") && i + 1 < argc) pinned_time = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--temperature") && i + 1 < argc) temperature_mc = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--leds")) show_leds = 1;
        else if (!strcmp(argv[i], "--button-after") && i + 1 < argc) button_after = atoi(argv[++i]);
        else if (argv[i][0] == '-') usage();
        else module_path = argv[i];
    }
    if (!module_path) usage();
}
const char *hal_mode(void) { return mode; }

static int wait_readable(int fd, uint32_t timeout_ms) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r;
    do { r = poll(&p, 1, (int)timeout_ms); } while (r < 0 && errno == EINTR);
    return r;
}

static int read_fd(int fd, uint8_t *p, size_t n, uint32_t timeout_ms) {
    if (fd < 0) return -1;
    int r = wait_readable(fd, timeout_ms);
    if (r == 0) return 0;
    if (r < 0) return -1;
    ssize_t got = read(fd, p, n);
    return got > 0 ? (int)got : -1;
}

static int write_all(int fd, const uint8_t *p, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        done += (size_t)w;
    }
    return (int)n;
}

void hal_console_write(const uint8_t *p, size_t n) { write_all(1, p, n); }
int hal_console_read(uint8_t *p, size_t n, uint32_t t) { return read_fd(0, p, n, t); }

static int connect_to(const char *host, int port) {
    char ports[8];
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;
    snprintf(ports, sizeof ports, "%d", port);
    if (getaddrinfo(host, ports, &hints, &res)) return -1;
    int fd = socket(res->ai_family, res->ai_socktype, 0);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen)) { close(fd); fd = -1; }
    freeaddrinfo(res);
    if (fd >= 0) { int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); }
    return fd;
}

static int modem(void) {
    if (modem_fd < 0 && modem_addr) {
        char host[64]; const char *colon = strrchr(modem_addr, ':');
        if (!colon || (size_t)(colon - modem_addr) >= sizeof host) return -1;
        memcpy(host, modem_addr, (size_t)(colon - modem_addr)); host[colon - modem_addr] = 0;
        modem_fd = connect_to(host, atoi(colon + 1));
    }
    return modem_fd;
}
int hal_modem_write(const uint8_t *p, size_t n) { int fd = modem(); return fd < 0 ? -1 : write_all(fd, p, n); }
int hal_modem_read(uint8_t *p, size_t n, uint32_t t) {
    int fd = modem();
    if (fd < 0) { hal_sleep_ms(t); return 0; }   /* no modem: every read times out */
    return read_fd(fd, p, n, t);
}
/* The modem is a socket: no reset line (the driver sends AT+RST). */
int hal_modem_reset(void) { return -1; }

uint32_t hal_millis(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}
void hal_sleep_ms(uint32_t ms) {
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) && errno == EINTR) {}
}
uint64_t hal_instructions(void) { return 0; }
uint64_t hal_wall_clock(void) { return pinned_time >= 0 ? (uint64_t)pinned_time : (uint64_t)time(NULL); }
void hal_random(uint8_t *p, size_t n) {
    while (n) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0) { if (errno == EINTR) continue; abort(); }
        p += r; n -= (size_t)r;
    }
}
int32_t hal_temperature_mc(void) { return temperature_mc; }
/* --leds: each indicator change as a line "led: N" (tests); --button-after N:
 * the button is pressed once, at the N-th time the app asks. */
void hal_indicate(int state) {
    static int last = -1;
    if (!show_leds || state == last) return;
    last = state;
    char b[24] = "led: ";
    b[5] = (char)('0' + (state & 7)); b[6] = '\n'; b[7] = 0;
    hal_console_write((const uint8_t *)b, 7);
}
int hal_button_pressed(void) { return button_after >= 0 && button_after-- == 0; }
size_t hal_stack_peak(void) {
    size_t i = 0;
    while (i < STACK_BYTES && stack_base[i] == PAINT) i++;
    return STACK_BYTES - i;
}
size_t hal_static_ram(void) { return 0; }
void hal_exit(int status) { fflush(stdout); _exit(status); }

int hal_host_file_read(const char *path, uint32_t offset, uint8_t *p, size_t n) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t got = fseek(f, (long)offset, SEEK_SET) ? 0 : fread(p, 1, n, f);
    fclose(f);
    return (int)got;
}

#define MAX_TCP 8
static int tcp_fds[MAX_TCP] = { -1, -1, -1, -1, -1, -1, -1, -1 };
int hal_tcp_open(const char *host, int port) {
    for (int h = 0; h < MAX_TCP; h++)
        if (tcp_fds[h] < 0) {
            tcp_fds[h] = connect_to(host, port);
            return tcp_fds[h] < 0 ? -1 : h;
        }
    return -1;
}
static int tcp_fd(int h) { return h >= 0 && h < MAX_TCP ? tcp_fds[h] : -1; }
int hal_tcp_write(int h, const uint8_t *p, size_t n) {
    int fd = tcp_fd(h);
    return fd < 0 ? -1 : write_all(fd, p, n);
}
int hal_tcp_read(int h, uint8_t *p, size_t n, uint32_t t) { return read_fd(tcp_fd(h), p, n, t); }
void hal_tcp_close(int h) {
    int fd = tcp_fd(h);
    if (fd >= 0) { close(fd); tcp_fds[h] = -1; }
}

static uint8_t *wasm; static long wasm_len; static int run_status;
static void *runner(void *arg) { (void)arg; run_status = board_run(wasm, (uint32_t)wasm_len); return NULL; }

int main(int argc, char **argv) {
    hal_init(argc, argv);
    FILE *f = fopen(module_path, "rb");
    if (!f) { perror(module_path); return 2; }
    fseek(f, 0, SEEK_END); wasm_len = ftell(f); fseek(f, 0, SEEK_SET);
    wasm = malloc((size_t)wasm_len);
    if (!wasm || fread(wasm, 1, (size_t)wasm_len, f) != (size_t)wasm_len) { perror("read"); return 2; }
    fclose(f);
    /* The wasm bytes stay alive for the module's life, as they do in flash. */
    stack_base = aligned_alloc(4096, STACK_BYTES);
    memset(stack_base, PAINT, STACK_BYTES);
    pthread_attr_t a; pthread_t t;
    pthread_attr_init(&a);
    pthread_attr_setstack(&a, stack_base, STACK_BYTES);
    if (pthread_create(&t, &a, runner, NULL)) { perror("pthread"); return 2; }
    pthread_join(t, NULL);
    fflush(stdout);
    return run_status;
}
