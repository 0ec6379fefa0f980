/*
 * Bare libsodium X25519 on one core: crypto_scalarmult(q, n, p) in a loop, the floor of one
 * DHKEM(X25519) decapsulation. Built against Debian's libsodium-dev by scripts/bench-hpke-peers.sh.
 * Prints one line: "libsodium-x25519 <ops/s> <libsodium version>".
 * Usage: sodium_x25519 [seconds]
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double run(const unsigned char *n, const unsigned char *p, double seconds) {
  unsigned char q[crypto_scalarmult_BYTES];
  long ops = 0;
  double start = now(), elapsed;
  do {
    for (int i = 0; i < 100; i++) {
      if (crypto_scalarmult(q, n, p) != 0) {
        fprintf(stderr, "crypto_scalarmult failed\n");
        exit(1);
      }
    }
    ops += 100;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return ops / elapsed;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 10.0;
  unsigned char n[crypto_scalarmult_SCALARBYTES], other[crypto_scalarmult_SCALARBYTES];
  unsigned char p[crypto_scalarmult_BYTES];
  if (sodium_init() < 0) {
    return 1;
  }
  randombytes_buf(n, sizeof n);
  randombytes_buf(other, sizeof other);
  crypto_scalarmult_base(p, other);
  run(n, p, seconds / 3); /* warm-up: caches, frequency */
  printf("libsodium-x25519 %.1f %s\n", run(n, p, seconds), sodium_version_string());
  return 0;
}
