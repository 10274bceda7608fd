// storm is the client side of the reconnect-storm measurement (ReconnectStorm in src-server's
// test tree starts and restarts the servers and prints the table). It keeps N nats.go clients
// connected to one URL with reconnect on, and answers on stdin/stdout:
//
//	ARM      -> ARMED   forget who is back (sent before the server is stopped)
//	GO <ns>  -> BACK first p50 p99 all missing
//	            once every client is reconnected and has had a publish and a flush answered
//	            (or -wait passed): milliseconds since <ns>, the Unix time in nanoseconds at which
//	            the new server process was started
//
// A load generator in Go because 2,000 jnats connections in one JVM (two threads and buffers
// each) were slower than either server on a 2-core machine and measured themselves.
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o target/storm storm.go
// (Debian's golang-github-nats-io-go-nats-dev, or any GOPATH holding nats.go 1.2x).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

type fleet struct {
	mu    sync.Mutex
	back  []int64 // Unix ns when client i was back; 0 while it is not
	armed bool
	count int
	done  chan struct{}
}

func (f *fleet) markBack(i int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.armed || f.back[i] != 0 {
		return
	}
	f.back[i] = time.Now().UnixNano()
	f.count++
	if f.count == len(f.back) {
		close(f.done)
	}
}

// confirm publishes and flushes until a flush is answered: a client told it is reconnected may
// lose that connection again in the storm.
func (f *fleet) confirm(nc *nats.Conn, i int) {
	for attempt := 0; attempt < 100; attempt++ {
		if nc.Publish(fmt.Sprintf("storm.%d", i), []byte("back")) == nil && nc.FlushTimeout(2*time.Second) == nil {
			f.markBack(i)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func main() {
	url := flag.String("url", "nats://127.0.0.1:4222", "server URL")
	n := flag.Int("clients", 2000, "clients")
	users := flag.String("users", "", "file of \"<user jwt> <user seed>\" lines, one per client (none: no auth)")
	wait := flag.Duration("wait", 60*time.Second, "longest wait for the fleet after GO")
	reconnectWait := flag.Duration("reconnect-wait", 2*time.Second, "nats.go ReconnectWait (its default)")
	flag.Parse()

	var creds [][2]string
	if *users != "" {
		data, err := os.ReadFile(*users)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			parts := strings.Fields(line)
			creds = append(creds, [2]string{parts[0], parts[1]})
		}
	}
	f := &fleet{back: make([]int64, *n), done: make(chan struct{})}
	conns := make([]*nats.Conn, *n)
	for i := 0; i < *n; i++ {
		i := i
		opts := []nats.Option{
			nats.MaxReconnects(-1),
			nats.ReconnectWait(*reconnectWait),
			nats.ReconnectBufSize(-1),
			nats.ReconnectHandler(func(nc *nats.Conn) { go f.confirm(nc, i) }),
			nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}),
		}
		if creds != nil {
			c := creds[i%len(creds)]
			opts = append(opts, nats.UserJWTAndSeed(c[0], c[1]))
		}
		nc, err := nats.Connect(*url, opts...)
		if err != nil {
			fmt.Fprintf(os.Stderr, "client %d: %v\n", i, err)
			os.Exit(1)
		}
		conns[i] = nc
	}
	fmt.Println("READY")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		switch {
		case len(fields) == 1 && fields[0] == "ARM":
			f.mu.Lock()
			for i := range f.back {
				f.back[i] = 0
			}
			f.count = 0
			f.armed = true
			f.done = make(chan struct{})
			f.mu.Unlock()
			fmt.Println("ARMED")
		case len(fields) == 2 && fields[0] == "GO":
			exec, _ := strconv.ParseInt(fields[1], 10, 64)
			f.mu.Lock()
			done := f.done
			f.mu.Unlock()
			select {
			case <-done:
			case <-time.After(*wait):
			}
			f.mu.Lock()
			f.armed = false
			times := make([]float64, 0, len(f.back))
			missing := 0
			for _, t := range f.back {
				if t == 0 {
					missing++
				} else {
					times = append(times, float64(t-exec)/1e6)
				}
			}
			f.mu.Unlock()
			sort.Float64s(times)
			at := func(q float64) float64 {
				if len(times) == 0 {
					return -1
				}
				k := int(q*float64(*n)+0.999999) - 1
				if k >= len(times) {
					return -1 // not everyone is back
				}
				if k < 0 {
					k = 0
				}
				return times[k]
			}
			fmt.Printf("BACK %.1f %.1f %.1f %.1f %d\n", at(0), at(0.5), at(0.99), at(1), missing)
		default:
			fmt.Println("ERR unknown command")
		}
	}
	for _, nc := range conns {
		nc.Close()
	}
}
