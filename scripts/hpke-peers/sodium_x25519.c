/*
 * Bare libsodium X25519 on one core: crypto_scalarmult(q, n, p) in a loop, the floor of one
 * DHKEM(X25519) decapsulation. Built against Debian's libsodium-dev by scripts/bench-hpke-peers.sh.
 * Prints one line: "libsodium-x25519 <ops per wall second> <ops per CPU second> <libsodium version>"
 * (the CPU rate is the process's CPU time, which barely depends on how busy the machine is).
 * Usage: sodium_x25519 [seconds]
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Runs for `seconds` of wall time; returns the wall rate and stores the CPU rate in *cpu_rate. */
static double run(const unsigned char *n, const unsigned char *p, double seconds, double *cpu_rate) {
  unsigned char q[crypto_scalarmult_BYTES];
  long ops = 0;
  double start = now(CLOCK_MONOTONIC), cpu_start = now(CLOCK_PROCESS_CPUTIME_ID), elapsed;
  do {
    for (int i = 0; i < 100; i++) {
      if (crypto_scalarmult(q, n, p) != 0) {
        fprintf(stderr, "crypto_scalarmult failed\n");
        exit(1);
      }
    }
    ops += 100;
    elapsed = now(CLOCK_MONOTONIC) - start;
  } while (elapsed < seconds);
  *cpu_rate = ops / (now(CLOCK_PROCESS_CPUTIME_ID) - cpu_start);
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
  double cpu_rate;
  run(n, p, seconds / 3, &cpu_rate); /* warm-up: caches, frequency */
  double wall_rate = run(n, p, seconds, &cpu_rate);
  printf("libsodium-x25519 %.1f %.1f %s\n", wall_rate, cpu_rate, sodium_version_string());
  return 0;
}
