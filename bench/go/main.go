// Command gort-bench-go runs the workloads of gort's side-by-side benchmark
// (issue 4) on Go's own runtime, with the same sizes, the same command line
// and the same output lines as crates/gort-bench:
//
//	gort-bench-go --workload pingpong --procs 2 [--quick]
//
// prints `go <workload> <value> <unit>` per measurement. GOMAXPROCS is set
// from --procs. Standard library only. With --serve it is instead one of the
// servers of the network workloads (serve.go), which gort-bench's driver
// starts and loads.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// Sizes mirrors gort-bench's common::Sizes.
type Sizes struct {
	Spawn, Skynet, Pingpong, LockedPingpong, Yields, ChanBuffered, Select4 int
	ParkedSmall, ParkedLarge, Sleepers, SleeperIters                       int
	HandoffRun                                                             time.Duration
	ScaleTasks                                                             int
	ScaleIters                                                             uint64
	UnderLoadOps                                                           int
	TracerBudget                                                           time.Duration
}

const (
	chanCap         = 1024
	sleepPeriod     = 10 * time.Millisecond
	handoffBlockers = 8
	handoffSyscall  = time.Millisecond
	handoffUnit     = 100000
	handoffPerYield = 100
	churnPairs      = 50
	underLoadSleep  = 20 * time.Microsecond
	underLoadWarmup = 20
	// tracer_under_load (see tracerUnderLoad).
	tracerChurnPause      = 10 * time.Microsecond
	tracerChurnPauseEvery = 100
	tracerWarmup          = 2
)

func sizesOf(quick bool) Sizes {
	if quick {
		return Sizes{10000, 10000, 10000, 2000, 20000, 100000, 20000,
			1000, 10000, 1000, 5, 200 * time.Millisecond, 16, 500000, 200, 2 * time.Second}
	}
	return Sizes{1000000, 1000000, 1000000, 20000, 1000000, 10000000, 1000000,
		100000, 1000000, 100000, 10, 500 * time.Millisecond, 64, 8000000, 2000, 10 * time.Second}
}

var workloads = []struct {
	name  string
	cases []string
}{
	{"spawn", []string{"spawn"}},
	{"skynet", []string{"skynet"}},
	{"pingpong", []string{"pingpong"}},
	{"locked_pingpong", []string{"locked_pingpong_one", "locked_pingpong_both"}},
	{"yield", []string{"yield"}},
	{"chan_buffered", []string{"chan_buffered"}},
	{"select4", []string{"select4"}},
	{"parked_mem", []string{"parked_mem_100k", "parked_mem_1m"}},
	{"sleepers", []string{"sleepers"}},
	{"syscall_handoff", []string{"syscall_handoff_wrapped", "syscall_handoff_plain"}},
	{"scale", []string{"scale"}},
	{"sleep_under_load", []string{"sleep_under_load"}},
	{"wired_sleep_under_load", []string{"wired_sleep_under_load"}},
	{"wired_roundtrip_under_load", []string{"wired_roundtrip_under_load"}},
	{"mutex_under_load", []string{"mutex_under_load"}},
	{"wake_from_thread_under_load", []string{"wake_from_thread_under_load"}},
	{"tracer_under_load", []string{"tracer_under_load"}},
}

func emit(name string, value float64, unit string) {
	if value >= 100 || value <= -100 {
		fmt.Printf("go %s %.1f %s\n", name, value, unit)
	} else {
		fmt.Printf("go %s %.4f %s\n", name, value, unit)
	}
}

func nsPer(d time.Duration, ops int) float64 {
	if ops < 1 {
		ops = 1
	}
	return float64(d.Nanoseconds()) / float64(ops)
}

// spin is the same serial xorshift chain as gort-bench's common::spin.
//
//go:noinline
func spin(iters uint64, seed uint64) uint64 {
	x := seed | 1
	for i := uint64(0); i < iters; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

var sink uint64

func rssBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

func threadCount() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "Threads:") {
			n, _ := strconv.ParseUint(strings.TrimSpace(l[len("Threads:"):]), 10, 64)
			return n
		}
	}
	return 0
}

// Histogram: 1 µs buckets up to 2 s, then overflow (as in gort-bench).
const histRes = 1
const histBuckets = 2000000

type histogram struct{ b []uint64 }

func newHistogram() *histogram { return &histogram{make([]uint64, histBuckets+1)} }

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	i := uint64(d.Microseconds()) / histRes
	if i > histBuckets {
		i = histBuckets
	}
	atomic.AddUint64(&h.b[i], 1)
}

// meanUs counts each duration at its bucket's middle (the overflow bucket at its lower edge).
func (h *histogram) meanUs() float64 {
	var total uint64
	var sum float64
	for i := range h.b {
		n := atomic.LoadUint64(&h.b[i])
		at := (float64(i) + 0.5) * histRes
		if i == histBuckets {
			at = float64(i) * histRes
		}
		total += n
		sum += at * float64(n)
	}
	if total == 0 {
		return 0
	}
	return sum / float64(total)
}

func (h *histogram) quantileUs(q float64) float64 {
	var total uint64
	for i := range h.b {
		total += atomic.LoadUint64(&h.b[i])
	}
	if total == 0 {
		return 0
	}
	rank := uint64(float64(total)*q + 0.999999999)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i := range h.b {
		seen += atomic.LoadUint64(&h.b[i])
		if seen >= rank {
			return float64((uint64(i) + 1) * histRes)
		}
	}
	return histBuckets * histRes
}

func spawn(n int) {
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
	emit("spawn", nsPer(time.Since(start), n), "ns/op")
}

func skynet(c chan<- uint64, num, size, div uint64) {
	if size == 1 {
		c <- num
		return
	}
	rc := make(chan uint64)
	sub := size / div
	for i := uint64(0); i < div; i++ {
		go skynet(rc, num+i*sub, sub, div)
	}
	var sum uint64
	for i := uint64(0); i < div; i++ {
		sum += <-rc
	}
	c <- sum
}

func skynetRun(leaves uint64) {
	start := time.Now()
	c := make(chan uint64)
	go skynet(c, 0, leaves, 10)
	sum := <-c
	if sum != leaves*(leaves-1)/2 {
		panic("skynet: wrong sum")
	}
	emit("skynet", time.Since(start).Seconds(), "s")
}

// pingpong with `wired` of the two sides locked to their OS thread.
func pingpong(name string, n int, wired int) {
	a := make(chan uint64)
	b := make(chan uint64)
	done := make(chan time.Duration)
	go func() {
		if wired >= 1 {
			runtime.LockOSThread()
		}
		for v := range a {
			b <- v
		}
	}()
	go func() {
		if wired >= 2 {
			runtime.LockOSThread()
		}
		start := time.Now()
		for i := 0; i < n; i++ {
			a <- uint64(i)
			<-b
		}
		d := time.Since(start)
		close(a)
		done <- d
	}()
	emit(name, nsPer(<-done, n), "ns/op")
}

func yields(n int) {
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(2)
	for g := 0; g < 2; g++ {
		go func() {
			for i := 0; i < n; i++ {
				runtime.Gosched()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	emit("yield", nsPer(time.Since(start), 2*n), "ns/op")
}

func chanBuffered(n int) {
	c := make(chan uint64, chanCap)
	start := time.Now()
	go func() {
		for i := 0; i < n; i++ {
			c <- uint64(i)
		}
		close(c)
	}()
	done := make(chan uint64)
	go func() {
		var sum uint64
		for v := range c {
			sum += v
		}
		done <- sum
	}()
	sink += <-done
	emit("chan_buffered", nsPer(time.Since(start), n), "ns/op")
}

func select4(n int) {
	per := n / 4
	var cs [4]chan uint64
	start := time.Now()
	for k := range cs {
		cs[k] = make(chan uint64)
		go func(c chan uint64) {
			for i := 0; i < per; i++ {
				c <- uint64(i)
			}
		}(cs[k])
	}
	done := make(chan uint64)
	go func() {
		var sum uint64
		for i := 0; i < per*4; i++ {
			select {
			case v := <-cs[0]:
				sum += v
			case v := <-cs[1]:
				sum += v
			case v := <-cs[2]:
				sum += v
			case v := <-cs[3]:
				sum += v
			}
		}
		done <- sum
	}()
	sink += <-done
	emit("select4", nsPer(time.Since(start), per*4), "ns/op")
}

func parkedMem(name string, n int) {
	c := make(chan struct{})
	var started int64
	var wg sync.WaitGroup
	wg.Add(n)
	runtime.GC()
	before := rssBytes()
	for i := 0; i < n; i++ {
		go func() {
			atomic.AddInt64(&started, 1)
			<-c
			wg.Done()
		}()
	}
	for atomic.LoadInt64(&started) < int64(n) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	after := rssBytes()
	close(c)
	wg.Wait()
	var grown float64
	if after > before {
		grown = float64(after - before)
	}
	emit(name, grown/float64(n), "bytes/goroutine")
}

func sleepers(sz Sizes) {
	h := newHistogram()
	var finished int64
	for i := 0; i < sz.Sleepers; i++ {
		go func() {
			for k := 0; k < sz.SleeperIters; k++ {
				t := time.Now()
				time.Sleep(sleepPeriod)
				h.record(time.Since(t) - sleepPeriod)
			}
			atomic.AddInt64(&finished, 1)
		}()
	}
	peak := threadCount()
	for atomic.LoadInt64(&finished) < int64(sz.Sleepers) {
		if t := threadCount(); t > peak {
			peak = t
		}
		time.Sleep(20 * time.Millisecond)
	}
	emit("sleepers_threads", float64(peak), "threads")
	emit("sleepers_mean", h.meanUs(), "us")
	emit("sleepers_p50", h.quantileUs(0.50), "us")
	emit("sleepers_p99", h.quantileUs(0.99), "us")
}

func countFor(run time.Duration) uint64 {
	res := make(chan uint64)
	go func() {
		end := time.Now().Add(run)
		var units uint64
		x := uint64(1)
		for time.Now().Before(end) {
			// ~10 ms of work between yields (Go's preemption quantum),
			// counted in units of ~0.1 ms, as in gort-bench.
			for k := 0; k < handoffPerYield && time.Now().Before(end); k++ {
				x = spin(handoffUnit, x)
				units++
			}
			runtime.Gosched()
		}
		sink += x
		res <- units
	}()
	return <-res
}

// rawNanosleep blocks in nanosleep without telling the scheduler (no
// entersyscall), like a plain blocking call inside a gort goroutine.
func rawNanosleep(d time.Duration) {
	ts := syscall.NsecToTimespec(d.Nanoseconds())
	syscall.RawSyscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
}

// syscallHandoff: "wrapped" is syscall.Nanosleep (the runtime hands the P
// off), "plain" is a RawSyscall the runtime cannot see.
func syscallHandoff(name string, sz Sizes, wrapped bool) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	// Warm up, then count alone before and after the blockers and take the
	// mean, as gort-bench does.
	countFor(100 * time.Millisecond)
	aloneBefore := countFor(sz.HandoffRun)
	var stop int32
	var wg sync.WaitGroup
	wg.Add(handoffBlockers)
	for i := 0; i < handoffBlockers; i++ {
		go func() {
			ts := syscall.NsecToTimespec(handoffSyscall.Nanoseconds())
			for atomic.LoadInt32(&stop) == 0 {
				if wrapped {
					syscall.Nanosleep(&ts, nil)
				} else {
					rawNanosleep(handoffSyscall)
				}
				runtime.Gosched()
			}
			wg.Done()
		}()
	}
	with := countFor(sz.HandoffRun)
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	alone := (aloneBefore + countFor(sz.HandoffRun)) / 2
	if alone == 0 {
		alone = 1
	}
	emit(name, 100*float64(with)/float64(alone), "%")
}

func scale(sz Sizes) {
	start := time.Now()
	res := make(chan uint64, sz.ScaleTasks)
	for i := 0; i < sz.ScaleTasks; i++ {
		go func(seed uint64) { res <- spin(sz.ScaleIters, seed) }(uint64(i))
	}
	var acc uint64
	for i := 0; i < sz.ScaleTasks; i++ {
		acc ^= <-res
	}
	sink += acc
	emit("scale", time.Since(start).Seconds(), "s")
}

// latencyMetrics prints p50, p99 and max of the samples in µs (exact
// quantiles, as gort-bench's common::latency_metrics), the first
// underLoadWarmup left out.
func latencyMetrics(name string, samples []time.Duration) {
	latencyMetricsAfter(name, samples, underLoadWarmup)
}

// tracerMetrics: latencyMetrics after tracerWarmup requests, how many
// requests were served after those within the budget, and latencyMetrics of
// the round trip and the yield inside each request.
func tracerMetrics(name string, t requestTimes) {
	if len(t.requests) <= tracerWarmup {
		fmt.Printf("go %s skip no samples\n", name)
		return
	}
	latencyMetricsAfter(name, t.requests, tracerWarmup)
	emit(name+"_done", float64(len(t.requests)-tracerWarmup), "requests")
	latencyMetricsAfter(name+"_roundtrip", t.roundTrips, tracerWarmup)
	latencyMetricsAfter(name+"_yield", t.yields, tracerWarmup)
}

// requestTimes: how long each of tracer_under_load's requests took, whole and
// its two steps timed on their own (gort-bench's common::RequestTimes).
type requestTimes struct {
	requests, roundTrips, yields []time.Duration
}

func latencyMetricsAfter(name string, samples []time.Duration, warmup int) {
	samples = samples[warmup:]
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	at := func(q float64) float64 {
		rank := int(math.Ceil(float64(len(samples)) * q))
		if rank < 1 {
			rank = 1
		}
		if rank > len(samples) {
			rank = len(samples)
		}
		return float64(samples[rank-1].Nanoseconds()) / 1000
	}
	emit(name+"_p50", at(0.50), "us")
	emit(name+"_p99", at(0.99), "us")
	emit(name+"_max", at(1.0), "us")
}

// underLoadN is the number of operations a *_under_load case runs, the
// warm-up included.
func underLoadN(sz Sizes) int { return sz.UnderLoadOps + underLoadWarmup }

// churnStop ends the churn (set once a case is measured: the collection
// that runCase starts next would otherwise compete with it for seconds).
var churnStop int32

// churn starts the load of the *_under_load workloads: churnPairs pairs of
// goroutines taking turns over two unbuffered channels until churnStop is
// set. With lock, the first goroutine of the first pair holds it across each
// send.
func churn(lock *sync.Mutex) { startChurn(lock, false) }

// selectChurn: the churn of tracer_under_load, the pairs taking turns
// through two-way selects (each side also watches a channel nobody sends on),
// the first of each pair pausing tracerChurnPause every tracerChurnPauseEvery
// messages.
func selectChurn(lock *sync.Mutex) { startChurn(lock, true) }

func startChurn(lock *sync.Mutex, selects bool) {
	atomic.StoreInt32(&churnStop, 0)
	quit := make(chan struct{})
	for k := 0; k < churnPairs; k++ {
		a, b := make(chan int), make(chan int)
		var l *sync.Mutex
		if k == 0 {
			l = lock
		}
		go func() {
			defer close(a)
			for i := 0; atomic.LoadInt32(&churnStop) == 0; i++ {
				if l != nil {
					l.Lock()
				}
				if selects {
					select {
					case a <- i:
					case <-quit:
						return
					}
				} else {
					a <- i
				}
				if l != nil {
					l.Unlock()
				}
				<-b
				if selects && i%tracerChurnPauseEvery == tracerChurnPauseEvery-1 {
					time.Sleep(tracerChurnPause)
				}
			}
		}()
		go func() {
			if !selects {
				for v := range a {
					b <- v
				}
				return
			}
			for {
				select {
				case v, ok := <-a:
					if !ok {
						return
					}
					b <- v
				case <-quit:
					return
				}
			}
		}()
	}
}

// sleepUnderLoad: a goroutine (locked to its thread if wired) sleeps
// underLoadSleep again and again under the churn.
func sleepUnderLoad(sz Sizes, wired bool) []time.Duration {
	churn(nil)
	res := make(chan []time.Duration)
	go func() {
		if wired {
			runtime.LockOSThread()
		}
		v := make([]time.Duration, 0, underLoadN(sz))
		for i := 0; i < underLoadN(sz); i++ {
			t := time.Now()
			time.Sleep(underLoadSleep)
			v = append(v, time.Since(t))
		}
		res <- v
	}()
	return <-res
}

// wiredRoundtripUnderLoad: a goroutine locked to its thread and an echo
// goroutine, round trips over two unbuffered channels, under the churn.
func wiredRoundtripUnderLoad(sz Sizes) []time.Duration {
	churn(nil)
	a, b := make(chan int), make(chan int)
	go func() {
		for v := range a {
			b <- v
		}
	}()
	res := make(chan []time.Duration)
	go func() {
		runtime.LockOSThread()
		v := make([]time.Duration, 0, underLoadN(sz))
		for i := 0; i < underLoadN(sz); i++ {
			t := time.Now()
			a <- i
			<-b
			v = append(v, time.Since(t))
		}
		res <- v
	}()
	return <-res
}

// mutexUnderLoad: a goroutine takes a sync.Mutex that a churning goroutine
// holds across each of its sends, pausing underLoadSleep between takes.
func mutexUnderLoad(sz Sizes) []time.Duration {
	var m sync.Mutex
	churn(&m)
	res := make(chan []time.Duration)
	go func() {
		v := make([]time.Duration, 0, underLoadN(sz))
		for i := 0; i < underLoadN(sz); i++ {
			time.Sleep(underLoadSleep)
			t := time.Now()
			m.Lock()
			v = append(v, time.Since(t))
			m.Unlock()
		}
		res <- v
	}()
	return <-res
}

// wakeFromThreadUnderLoad: Go has no thread outside its scheduler, so the
// sender is a goroutine locked to its thread that blocks in nanosleep (a
// syscall: its P is free meanwhile) between sends; a goroutine receives.
// Measured from just before each send to the receipt.
func wakeFromThreadUnderLoad(sz Sizes) []time.Duration {
	churn(nil)
	c := make(chan time.Time)
	go func() {
		runtime.LockOSThread()
		ts := syscall.NsecToTimespec(underLoadSleep.Nanoseconds())
		for i := 0; i < underLoadN(sz); i++ {
			syscall.Nanosleep(&ts, nil)
			c <- time.Now()
		}
	}()
	v := make([]time.Duration, 0, underLoadN(sz))
	for i := 0; i < underLoadN(sz); i++ {
		v = append(v, time.Since(<-c))
	}
	return v
}

// tracerUnderLoad: a goroutine locked to its thread serves requests as a
// ptrace tracer's does, under selectChurn. A request is a system call
// (getppid, standing in for the ptrace request), a round trip with an echo
// goroutine, a Gosched, an underLoadSleep sleep, a round trip answered on one
// of two channels and taken with a two-way select, and the mutex a churning
// goroutine holds across its sends: how long each request and its round
// trip and Gosched took, until UnderLoadOps are done or TracerBudget has passed.
func tracerUnderLoad(sz Sizes) requestTimes {
	var m sync.Mutex
	selectChurn(&m)
	req, rep := make(chan int), make(chan int)
	ask, even, odd := make(chan int), make(chan int), make(chan int)
	go func() {
		for v := range req {
			rep <- v
		}
	}()
	go func() {
		for v := range ask {
			if v%2 == 0 {
				even <- v
			} else {
				odd <- v
			}
		}
	}()
	res := make(chan requestTimes)
	go func() {
		runtime.LockOSThread()
		n := sz.UnderLoadOps + tracerWarmup
		end := time.Now().Add(sz.TracerBudget)
		var v requestTimes
		for i := 0; i < n && time.Now().Before(end); i++ {
			t := time.Now()
			syscall.Getppid()
			rt := time.Now()
			req <- i
			if <-rep != i {
				panic("echo")
			}
			y := time.Now()
			v.roundTrips = append(v.roundTrips, y.Sub(rt))
			runtime.Gosched()
			v.yields = append(v.yields, time.Since(y))
			time.Sleep(underLoadSleep)
			ask <- i
			var got int
			select {
			case got = <-even:
			case got = <-odd:
			}
			if got != i {
				panic("select")
			}
			m.Lock()
			m.Unlock()
			v.requests = append(v.requests, time.Since(t))
		}
		res <- v
	}()
	return <-res
}

func runCase(c string, sz Sizes) {
	switch c {
	case "spawn":
		spawn(sz.Spawn)
	case "skynet":
		skynetRun(uint64(sz.Skynet))
	case "pingpong":
		pingpong(c, sz.Pingpong, 0)
	case "locked_pingpong_one":
		pingpong(c, sz.LockedPingpong, 1)
	case "locked_pingpong_both":
		pingpong(c, sz.LockedPingpong, 2)
	case "yield":
		yields(sz.Yields)
	case "chan_buffered":
		chanBuffered(sz.ChanBuffered)
	case "select4":
		select4(sz.Select4)
	case "parked_mem_100k":
		parkedMem(c, sz.ParkedSmall)
	case "parked_mem_1m":
		parkedMem(c, sz.ParkedLarge)
	case "sleepers":
		sleepers(sz)
	case "syscall_handoff_wrapped":
		syscallHandoff(c, sz, true)
	case "syscall_handoff_plain":
		syscallHandoff(c, sz, false)
	case "scale":
		scale(sz)
	case "sleep_under_load":
		latencyMetrics(c, sleepUnderLoad(sz, false))
	case "wired_sleep_under_load":
		latencyMetrics(c, sleepUnderLoad(sz, true))
	case "wired_roundtrip_under_load":
		latencyMetrics(c, wiredRoundtripUnderLoad(sz))
	case "mutex_under_load":
		latencyMetrics(c, mutexUnderLoad(sz))
	case "wake_from_thread_under_load":
		latencyMetrics(c, wakeFromThreadUnderLoad(sz))
	case "tracer_under_load":
		tracerMetrics(c, tracerUnderLoad(sz))
	default:
		fmt.Fprintf(os.Stderr, "unknown case %s\n", c)
		os.Exit(2)
	}
	atomic.StoreInt32(&churnStop, 1)
}

func casesOf(w string) []string {
	var all []string
	for _, wl := range workloads {
		if wl.name == w {
			return wl.cases
		}
		all = append(all, wl.cases...)
	}
	if w == "all" {
		return all
	}
	for _, c := range all {
		if c == w {
			return []string{c}
		}
	}
	return nil
}

func main() {
	peer := flag.String("peer", "go", "peer name (always go)")
	workload := flag.String("workload", "", "workload, case, or all")
	procs := flag.Int("procs", 1, "GOMAXPROCS")
	quick := flag.Bool("quick", false, "tiny sizes")
	version := flag.Bool("version", false, "print the Go version this program was built with")
	serveKind := flag.String("serve", "", "run a network server instead: echo, echo_deadline, http or nethttp")
	addr := flag.String("addr", "127.0.0.1:0", "address the --serve server listens on")
	flag.Parse()
	if *version {
		fmt.Println(runtime.Version())
		return
	}
	if *serveKind != "" {
		runtime.GOMAXPROCS(*procs)
		serveMain(*serveKind, *addr)
		return
	}
	if *peer != "go" {
		fmt.Fprintf(os.Stderr, "this program only runs peer go\n")
		os.Exit(2)
	}
	cases := casesOf(*workload)
	if cases == nil {
		fmt.Fprintf(os.Stderr, "unknown workload %q\n", *workload)
		os.Exit(2)
	}
	runtime.GOMAXPROCS(*procs)
	debug.SetGCPercent(100)
	sz := sizesOf(*quick)
	for _, c := range cases {
		runCase(c, sz)
		runtime.GC()
	}
	if sink == 42 {
		fmt.Fprintln(os.Stderr, "")
	}
}
