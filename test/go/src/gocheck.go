// gocheck: the Go runtime's own needs, each printed as one line.
//   recover   a nil-pointer dereference becomes a panic that recover() catches
//   threads   GOMAXPROCS>1: goroutines on several OS threads, locked threads, channels
//   timers    time.Sleep, tickers and timeouts in simulated time
//   preempt   a goroutine spinning without function calls is preempted (SIGURG)
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

func recoverCheck() {
	defer func() {
		r := recover()
		fmt.Println("recover:", r)
	}()
	var p *struct{ x int }
	fmt.Println(p.x)
}

func threadsCheck() {
	tids := make(map[int]bool)
	var mu sync.Mutex
	var wg sync.WaitGroup
	results := make(chan uint64, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			mu.Lock()
			tids[syscall.Gettid()] = true
			mu.Unlock()
			h := uint64(14695981039346656037)
			for j := 0; j < 200000*(i+1); j++ {
				h = (h ^ uint64(j)) * 1099511628211
			}
			time.Sleep(time.Millisecond)
			results <- h
		}(i)
	}
	wg.Wait()
	close(results)
	var x uint64
	for r := range results {
		x ^= r
	}
	fmt.Printf("threads: GOMAXPROCS %d, %d OS threads, result %x\n", runtime.GOMAXPROCS(0), len(tids), x)
}

func timersCheck() {
	start := time.Now()
	time.Sleep(1500 * time.Millisecond)
	t := time.NewTicker(100 * time.Millisecond)
	n := 0
	for range t.C {
		n++
		if n == 5 {
			break
		}
	}
	t.Stop()
	select {
	case <-time.After(250 * time.Millisecond):
	}
	fmt.Printf("timers: %d ticks, %v elapsed\n", n, time.Since(start).Round(time.Millisecond))
}

func preemptCheck() {
	runtime.GOMAXPROCS(1)
	done := make(chan bool)
	stop := false
	go func() {
		x := 0
		for !stop {
			x++
		}
		done <- true
	}()
	time.Sleep(50 * time.Millisecond) // only returns if the spinner is preempted
	stop = true
	<-done
	fmt.Println("preempt: ok")
}

func main() {
	for _, c := range os.Args[1:] {
		switch c {
		case "recover":
			recoverCheck()
		case "threads":
			threadsCheck()
		case "timers":
			timersCheck()
		case "preempt":
			preemptCheck()
		default:
			fmt.Println("unknown check", c)
			os.Exit(2)
		}
	}
}
