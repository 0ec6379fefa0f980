// Command circl_hpke measures Cloudflare circl's HPKE receiver on one core: SetupBaseR and Open of
// one 1 KiB message, DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, the work the project's
// CryptoPathBenchmark.outerDecapsulateX25519 does per request. Built offline from Debian's
// golang-github-cloudflare-circl-dev by scripts/bench-hpke-peers.sh. Prints one line:
// "circl-hpke-setupR-open-1KiB <ops per wall second> <ops per CPU second> <go version>", the CPU
// rate over the process's CPU time (getrusage, the garbage collector included).
package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/cloudflare/circl/hpke"
)

func main() {
	seconds := 10.0
	if len(os.Args) > 1 {
		if s, err := strconv.ParseFloat(os.Args[1], 64); err == nil {
			seconds = s
		}
	}
	runtime.GOMAXPROCS(1)
	suite := hpke.NewSuite(hpke.KEM_X25519_HKDF_SHA256, hpke.KDF_HKDF_SHA256, hpke.AEAD_AES128GCM)
	pkR, skR, err := hpke.KEM_X25519_HKDF_SHA256.Scheme().GenerateKeyPair()
	check(err)
	info := []byte("message/bhttp request\x00\x01\x00\x20\x00\x01\x00\x01")
	sender, err := suite.NewSender(pkR, info)
	check(err)
	enc, sealer, err := sender.Setup(rand.Reader)
	check(err)
	pt := bytes.Repeat([]byte{'a'}, 1024)
	ct, err := sealer.Seal(pt, nil)
	check(err)

	once := func() {
		receiver, err := suite.NewReceiver(skR, info)
		check(err)
		opener, err := receiver.Setup(enc)
		check(err)
		out, err := opener.Open(ct, nil)
		check(err)
		if len(out) != len(pt) {
			panic("wrong plaintext")
		}
	}
	run := func(d time.Duration) (wall, cpu float64) {
		n := 0
		start, cpuStart := time.Now(), cpuSeconds()
		for time.Since(start) < d {
			for i := 0; i < 100; i++ {
				once()
			}
			n += 100
		}
		return float64(n) / time.Since(start).Seconds(), float64(n) / (cpuSeconds() - cpuStart)
	}
	run(time.Duration(seconds / 3 * float64(time.Second))) // warm-up
	wall, cpu := run(time.Duration(seconds * float64(time.Second)))
	fmt.Printf("circl-hpke-setupR-open-1KiB %.1f %.1f %s\n", wall, cpu, runtime.Version())
}

// cpuSeconds is the user and system CPU time of the whole process so far.
func cpuSeconds() float64 {
	var u syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &u))
	return float64(u.Utime.Sec+u.Stime.Sec) + float64(u.Utime.Usec+u.Stime.Usec)/1e6
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
