package scan_test

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/simcloud"
)

// latency is the simulated round trip of every Graph request.
const latency = 200 * time.Millisecond

// BenchmarkScanRoundTrips scans the fleet scenario (about 1,000 accounts
// and 20,000 legacy sign-ins) with 200 ms added to every Graph request and
// reports the round trips in sequence (the wall time over the latency),
// the requests made and the peak heap. Budget (DESIGN.md): under 40 round
// trips in sequence and under 100 MB.
func BenchmarkScanRoundTrips(b *testing.B) {
	cloud, client := start(b, "fleet")
	if err := cloud.Server.AddFault(simcloud.Fault{Kind: simcloud.FaultLatency, DelayMS: int(latency / time.Millisecond)}); err != nil {
		b.Fatal(err)
	}
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() { // sample the heap while the scan runs
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	defer close(stop)
	var accounts, rows int
	requests := cloud.Server.GraphRequests()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		res, err := scan.Run(ctxT(b), client, scan.Options{Now: cloud.Server.Now(), Days: 7})
		if err != nil {
			b.Fatal(err)
		}
		accounts, rows = len(res.Rows), res.LegacySignIns
	}
	elapsed := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	b.ReportMetric(float64(elapsed)/float64(latency), "roundtrips/scan")
	b.ReportMetric(float64(cloud.Server.GraphRequests()-requests)/float64(b.N), "requests/scan")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(accounts), "accounts")
	b.ReportMetric(float64(rows), "legacy-sign-ins")
}
