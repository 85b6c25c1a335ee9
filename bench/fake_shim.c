// LD_PRELOAD shim for lava_fake_services ONLY (never for a server under test). It makes the test
// gateway behave like a production one so that its own limits do not swamp what the benchmark
// measures; see bench/README.md, "The fake gateway needs a shim". Three changes:
//   - TCP_NODELAY on every accepted socket: cpp-httplib 0.11 writes response headers and body in
//     two send() calls, and with Nagle on the body waits for the client's delayed ACK (40 ms on
//     Linux) on every reused keep-alive connection;
//   - a listen() backlog of at least 1024 (httplib uses 5: at concurrency 32 reconnect bursts
//     overflow it and a dropped SYN costs a 1 s retransmit);
//   - get_nprocs() = 257, so httplib's thread pool (max(8, nprocs - 1) threads, one per
//     connection, each parked for up to 5 s on an idle keep-alive connection) has 256 threads
//     instead of 8 (every client's idle pooled connections pin a thread each).
// Built by bench/run.sh: cc -shared -fPIC -O2 -o libbench_fake_shim.so fake_shim.c -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void nodelay(int fd) {
  if (fd >= 0) {
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // fails harmlessly on non-TCP
  }
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
  static int (*real)(int, struct sockaddr *, socklen_t *);
  if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
  int s = real(fd, addr, len);
  nodelay(s);
  return s;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
  static int (*real)(int, struct sockaddr *, socklen_t *, int);
  if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
  int s = real(fd, addr, len, flags);
  nodelay(s);
  return s;
}

int listen(int fd, int backlog) {
  static int (*real)(int, int);
  if (!real) real = (int (*)(int, int))dlsym(RTLD_NEXT, "listen");
  return real(fd, backlog < 1024 ? 1024 : backlog);
}

int get_nprocs(void) { return 257; }
