// gohttp: an HTTP server and a load generator, standard library only.
//   gohttp serve ADDR N      serve N requests of /data?n=BYTES, then exit
//   gohttp get URL C R       C concurrent connections, R requests each; prints totals
package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
)

func body(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}

func serve(addr string, want int64) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	fmt.Println("listening on", ln.Addr())
	var served int64
	done := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/data", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Write(body(n))
		if atomic.AddInt64(&served, 1) == want {
			close(done)
		}
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	<-done
	srv.Close()
	fmt.Println("served", atomic.LoadInt64(&served))
}

func get(url string, conns, reqs int) {
	var wg sync.WaitGroup
	var bytes, fails int64
	h := make([][32]byte, conns)
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
			sum := sha256.New()
			for r := 0; r < reqs; r++ {
				resp, err := client.Get(fmt.Sprintf("%s/data?n=%d", url, 1000+c*100+r))
				if err != nil {
					fmt.Println("get:", err)
					atomic.AddInt64(&fails, 1)
					continue
				}
				n, _ := io.Copy(sum, resp.Body)
				resp.Body.Close()
				atomic.AddInt64(&bytes, n)
			}
			copy(h[c][:], sum.Sum(nil))
		}(c)
	}
	wg.Wait()
	all := sha256.New()
	for _, x := range h {
		all.Write(x[:])
	}
	fmt.Printf("requests %d failed %d bytes %d sha256 %x\n", conns*reqs, fails, bytes, all.Sum(nil)[:8])
	if fails > 0 {
		os.Exit(1)
	}
}

func main() {
	switch {
	case len(os.Args) == 4 && os.Args[1] == "serve":
		n, _ := strconv.ParseInt(os.Args[3], 10, 64)
		serve(os.Args[2], n)
	case len(os.Args) == 5 && os.Args[1] == "get":
		c, _ := strconv.Atoi(os.Args[3])
		r, _ := strconv.Atoi(os.Args[4])
		get(os.Args[2], c, r)
	default:
		fmt.Println("usage: gohttp serve ADDR N | gohttp get URL CONNS REQS")
		os.Exit(2)
	}
}
