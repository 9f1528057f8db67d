/* TUN echo in C, the reference for bench/net/TunEcho.java: same device flags, same poll/read/write loop, same work
 * per packet (IPv6 ICMPv6 echo request -> reply in place, full checksum recomputation with the pseudo header).
 * Usage: tun_echo IFNAME   (runs until SIGTERM/SIGINT, prints the packet count) */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }

static uint64_t sum(const uint8_t *p, size_t n) {
  uint64_t s = 0;
  size_t i = 0;
  for (; i + 1 < n; i += 2) s += (uint32_t)(p[i] << 8 | p[i + 1]);
  if (i < n) s += (uint32_t)(p[i] << 8);
  return s;
}

static uint16_t finish(uint64_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)~s;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s IFNAME\n", argv[0]); return 2; }
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) { perror("open /dev/net/tun"); return 1; }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); return 1; }
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  uint8_t buf[2048];
  long packets = 0;
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  while (!stop) {
    if (poll(&pfd, 1, 100) <= 0) continue;
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0) break; /* EAGAIN or EINTR: back to poll */
      packets++;
      if (n < 48 || (buf[0] >> 4) != 6 || buf[6] != 58 || buf[40] != 128) continue;
      uint16_t plen = (uint16_t)(buf[4] << 8 | buf[5]);
      if (40 + plen > n) continue;
      uint8_t tmp[16];
      memcpy(tmp, buf + 8, 16);
      memcpy(buf + 8, buf + 24, 16);
      memcpy(buf + 24, tmp, 16);
      buf[40] = 129;
      buf[42] = buf[43] = 0;
      uint64_t s = sum(buf + 8, 32) + plen + 58 + sum(buf + 40, plen);
      uint16_t c = finish(s);
      buf[42] = c >> 8;
      buf[43] = c & 0xff;
      if (write(fd, buf, (size_t)n) < 0 && errno != EAGAIN) { perror("write"); return 1; }
    }
  }
  printf("packets %ld\n", packets);
  return 0;
}
