package scan_test

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/scan"
)

// latency is the round trip the figures assume for every Graph request.
const latency = 200 * time.Millisecond

// BenchmarkScanThrottled scans fleets of 1,000 and 10,000 accounts (20
// legacy sign-ins each) under Graph's documented limits, which simcloud
// always enforces, and reports:
//
//   - sim-seconds: the scan's simulated wall time. The demo clock
//     (simcloud.RunningClock) runs with real time and jumps over every wait
//     the client makes for Graph's limits, so this is real time plus the
//     waits a real tenant would impose.
//   - wall-seconds-200ms: sim-seconds plus 200 ms for each request on the
//     rate-limited path (log pages and method-read batches go one at a time,
//     each charged when its answer is in, so their latency adds up; the
//     other batches overlap them). The benchmark adds no real latency: a
//     scan of 10,000 accounts would otherwise take minutes of real time.
//   - floor-seconds: the limit's floor, (reports requests − the burst of 5)
//     × 2 s, where reports requests are the log's pages and one method
//     read per account (each $batch item counts), and ratio-to-floor.
//   - requests, peak-heap-MB (HeapInuse sampled every 20 ms, garbage not
//     yet collected included; the simulator shares the process and holds
//     before-scan-heap-MB of it before the scan starts), peak-live-heap-MB
//     (the heap marked live by each garbage collection, the simulator's
//     included), accounts and legacy-sign-ins.
func BenchmarkScanThrottled(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			cloud, client := startScenario(b, smallFleet(b, n))
			// What the simulator and the signed-in client hold before the scan.
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			var peak, peakLive atomic.Uint64
			live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // sample the heap while the scan runs
				defer close(done)
				tick := time.NewTicker(20 * time.Millisecond)
				defer tick.Stop()
				var m runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						runtime.ReadMemStats(&m)
						peak.Store(max(peak.Load(), m.HeapInuse))
						metrics.Read(live)
						peakLive.Store(max(peakLive.Load(), live[0].Value.Uint64()))
					}
				}
			}()
			var res scan.Result
			var last scan.Progress
			began := cloud.Clock.Now()
			b.ResetTimer()
			for range b.N {
				var err error
				res, err = scan.Run(ctxT(b), client, scan.Options{Now: cloud.Server.Now(), Days: 7, Progress: func(p scan.Progress) { last = p }})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			close(stop)
			<-done
			sim := cloud.Clock.Now().Sub(began) / time.Duration(b.N)
			reports := last.Pages + len(res.Rows)
			sequential := last.Pages + (len(res.Rows)+4)/5 // log pages and batches of at most 5 method reads
			floor := time.Duration(reports-5) * graphclient.ReportsInterval
			wall := sim + time.Duration(sequential)*latency
			b.ReportMetric(sim.Seconds(), "sim-seconds")
			b.ReportMetric(wall.Seconds(), "wall-seconds-200ms")
			b.ReportMetric(floor.Seconds(), "floor-seconds")
			b.ReportMetric(wall.Seconds()/floor.Seconds(), "ratio-to-floor")
			b.ReportMetric(float64(res.Requests), "requests")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(before.HeapInuse)/(1<<20), "before-scan-heap-MB")
			b.ReportMetric(float64(peakLive.Load())/(1<<20), "peak-live-heap-MB")
			b.ReportMetric(float64(len(res.Rows)), "accounts")
			b.ReportMetric(float64(res.LegacySignIns), "legacy-sign-ins")
			b.ReportMetric(float64(cloud.Server.Throttled()), "throttled")
		})
	}
}
