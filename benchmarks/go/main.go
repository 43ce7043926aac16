// Command rungroup-go-bench is the Go contender of the side-by-side harness
// (dev.rungroup.bench.Compare): it runs the harness's scenarios A, B and C over
// github.com/oklog/run and answers the harness's child protocol
// (dev.rungroup.bench.ChildContender) on stdin and stdout.
//
// Protocol, one line each way per run:
//
//	READY go=<runtime version> oklog-run=<version> gomaxprocs=<n>   (once, at start)
//	RUN <A|B> virtual <N> <gc|nogc>          ->  TOOK <ns> | FAILED <text>
//	RUN C virtual <N> <gc|nogc> <graph|flat> ->  TOOK <start ns> <stop ns> | FAILED <text>
//
// The program exits when its stdin ends. Goroutines are the only kind of thread here;
// the harness sends only "virtual". "gc" asks for runtime.GC() after the set-up, just
// before the clock starts (and, in C, again before the stop clock).
//
// What is timed is what the Java contenders time (Measure.java, ScenarioC.java):
//
//   - A: N-1 actors block until interrupted, the last one added returns an error at
//     once; the time of Run from call to return.
//   - B: N actors block; once every one of them has begun its execute (a WaitGroup of
//     N), the group is stopped from outside; the time from the stop to Run returning
//     on its own goroutine. Stopping from outside is an actor of its own, added last,
//     whose execute waits on a channel that the benchmark closes (the shape of
//     run.SignalHandler and of Prometheus's cancel actor): oklog/run has no Stop.
//   - C: layers of 10 actors, each actor of a layer waiting for the 10 of the layer
//     before to be ready (a channel each closes), as Prometheus wires its actors by
//     hand; stopped layer by layer, each layer's interrupt waiting until the layer after
//     it has returned (a channel each actor closes on return). The actors are added
//     last layer first, so that Run, which calls the interrupts in the order the actors
//     were added, interrupts the dependents first. Against the same N added without
//     wiring (flat). Two clocks: start, from the call of Run to every actor being ready
//     (flat: having begun its execute); stop, from the stop to Run returning.
//
// The actor is the same everywhere: execute waits on a channel of its own, interrupt
// closes it (the Go form of the Java contenders' CountDownLatch).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oklog/run"
)

// oklogRunVersion is the oklog/run package this program was built with, set by the
// harness at build time (-ldflags "-X main.oklogRunVersion=...").
var oklogRunVersion = "unknown"

// layer is the number of actors per layer in scenario C (ScenarioC.LAYER).
const layer = 10

// errFailed is what the failing actor of scenario A returns; made once, as in Java.
var errFailed = errors.New("actor failed at once (scenario A)")

func main() {
	fmt.Printf("READY go=%s oklog-run=%s gomaxprocs=%d\n",
		runtime.Version(), oklogRunVersion, runtime.GOMAXPROCS(0))
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		fmt.Fprintln(out, answer(in.Text()))
		out.Flush()
	}
}

// answer runs the request of one line and returns the answer line.
func answer(line string) string {
	words := strings.Fields(line)
	if len(words) < 5 || words[0] != "RUN" {
		return "FAILED not a request: '" + line + "'"
	}
	if words[2] != "virtual" {
		return "FAILED goroutines only: no " + words[2] + " threads in Go"
	}
	n, err := strconv.Atoi(words[3])
	if err != nil || n < 1 {
		return "FAILED not a number of actors: '" + words[3] + "'"
	}
	gc := words[4] == "gc"
	switch {
	case words[1] == "A" && len(words) == 5:
		took, err := scenarioA(n, gc)
		return took1(took, err)
	case words[1] == "B" && len(words) == 5:
		took, err := scenarioB(n, gc)
		return took1(took, err)
	case words[1] == "C" && len(words) == 6 && (words[5] == "graph" || words[5] == "flat"):
		start, stop, err := scenarioC(n, gc, words[5] == "graph")
		if err != nil {
			return failed(err)
		}
		return fmt.Sprintf("TOOK %d %d", start.Nanoseconds(), stop.Nanoseconds())
	default:
		return "FAILED unknown request: '" + line + "'"
	}
}

func took1(took time.Duration, err error) string {
	if err != nil {
		return failed(err)
	}
	return fmt.Sprintf("TOOK %d", took.Nanoseconds())
}

func failed(err error) string {
	return "FAILED " + strings.ReplaceAll(err.Error(), "\n", " ")
}

// blocker is the idle actor: execute counts itself started (if asked) and waits until
// interrupt closes its channel.
type blocker struct {
	stop    chan struct{}
	started *sync.WaitGroup
}

func newBlocker(started *sync.WaitGroup) *blocker {
	return &blocker{stop: make(chan struct{}), started: started}
}

func (b *blocker) execute() error {
	if b.started != nil {
		b.started.Done()
	}
	<-b.stop
	return nil
}

func (b *blocker) interrupt(error) {
	close(b.stop)
}

// stopper is the actor by which the benchmark stops a group from outside: its execute
// returns once stop is called; Run then interrupts every actor.
type stopper struct {
	ch   chan struct{}
	once sync.Once
}

func newStopper() *stopper {
	return &stopper{ch: make(chan struct{})}
}

func (s *stopper) execute() error {
	<-s.ch
	return nil
}

// interrupt is called by Run after execute returned, or by the benchmark as the stop.
func (s *stopper) interrupt(error) {
	s.once.Do(func() { close(s.ch) })
}

// scenarioA: N-1 blockers and a failing actor added last; the time of Run.
func scenarioA(n int, gc bool) (time.Duration, error) {
	var g run.Group
	for i := 0; i < n-1; i++ {
		b := newBlocker(nil)
		g.Add(b.execute, b.interrupt)
	}
	g.Add(func() error { return errFailed }, func(error) {})
	if gc {
		runtime.GC()
	}
	began := time.Now()
	err := g.Run()
	took := time.Since(began)
	if err != errFailed {
		return 0, fmt.Errorf("unexpected error from Run: %v", err)
	}
	return took, nil
}

// result is what Run returned on its own goroutine, and when.
type result struct {
	err error
	at  time.Time
}

// runAsync calls Run on a goroutine of its own; the channel gets what it returned.
func runAsync(g *run.Group, began *time.Time) <-chan result {
	done := make(chan result, 1)
	go func() {
		if began != nil {
			*began = time.Now()
		}
		err := g.Run()
		done <- result{err, time.Now()}
	}()
	return done
}

// scenarioB: N blockers; once all started, the stop; the time from the stop to Run
// returning.
func scenarioB(n int, gc bool) (time.Duration, error) {
	var g run.Group
	var started sync.WaitGroup
	started.Add(n)
	for i := 0; i < n; i++ {
		b := newBlocker(&started)
		g.Add(b.execute, b.interrupt)
	}
	stop := newStopper()
	g.Add(stop.execute, stop.interrupt)
	done := runAsync(&g, nil)
	started.Wait()
	if gc {
		runtime.GC()
	}
	began := time.Now()
	stop.interrupt(nil)
	r := <-done
	if r.err != nil {
		return 0, fmt.Errorf("unexpected error from Run: %v", r.err)
	}
	return r.at.Sub(began), nil
}

// countdown is counted down once by each of n actors; the last one notes the time and
// closes done, as the Java side's listener notes the time of groupReady.
type countdown struct {
	left int64
	at   time.Time
	done chan struct{}
}

func newCountdown(n int) *countdown {
	return &countdown{left: int64(n), done: make(chan struct{})}
}

func (c *countdown) countDown() {
	if atomic.AddInt64(&c.left, -1) == 0 {
		c.at = time.Now()
		close(c.done)
	}
}

// wired is an actor of C's graph: waits until its dependencies are ready, is ready,
// blocks until interrupted; its interrupt waits until its dependents have returned.
type wired struct {
	stop       chan struct{}
	ready      chan struct{}
	exited     chan struct{}
	after      []*wired // the layer before: its dependencies
	dependents []*wired // the layer after
	readyCount *countdown
}

func (w *wired) execute() error {
	defer close(w.exited)
	for _, d := range w.after {
		select {
		case <-d.ready:
		case <-w.stop:
			return nil
		}
	}
	close(w.ready)
	w.readyCount.countDown()
	<-w.stop
	return nil
}

func (w *wired) interrupt(error) {
	for _, d := range w.dependents {
		<-d.exited
	}
	close(w.stop)
}

// flat is an actor of C's flat group: ready as its execute begins.
type flat struct {
	stop       chan struct{}
	readyCount *countdown
}

func (f *flat) execute() error {
	f.readyCount.countDown()
	<-f.stop
	return nil
}

func (f *flat) interrupt(error) {
	close(f.stop)
}

// scenarioC: the graph or the flat group of N actors; start and stop clocks.
func scenarioC(n int, gc bool, graph bool) (time.Duration, time.Duration, error) {
	var g run.Group
	ready := newCountdown(n)
	if graph {
		actors := make([]*wired, n)
		for i := range actors {
			actors[i] = &wired{
				stop:       make(chan struct{}),
				ready:      make(chan struct{}),
				exited:     make(chan struct{}),
				readyCount: ready,
			}
		}
		for first := layer; first < n; first += layer {
			before := actors[first-layer : first]
			this := actors[first:min(first+layer, n)]
			for _, a := range this {
				a.after = before
			}
			for _, d := range before {
				d.dependents = this
			}
		}
		// the last layer first: Run interrupts in the order of Add
		for first := (n - 1) / layer * layer; first >= 0; first -= layer {
			for _, a := range actors[first:min(first+layer, n)] {
				g.Add(a.execute, a.interrupt)
			}
		}
	} else {
		for i := 0; i < n; i++ {
			f := &flat{stop: make(chan struct{}), readyCount: ready}
			g.Add(f.execute, f.interrupt)
		}
	}
	stop := newStopper()
	g.Add(stop.execute, stop.interrupt)
	if gc {
		runtime.GC()
	}
	var began time.Time
	done := runAsync(&g, &began)
	<-ready.done
	start := ready.at.Sub(began)
	if gc {
		runtime.GC()
	}
	stopBegan := time.Now()
	stop.interrupt(nil)
	r := <-done
	if r.err != nil {
		return 0, 0, fmt.Errorf("unexpected error from Run: %v", r.err)
	}
	return start, r.at.Sub(stopBegan), nil
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
