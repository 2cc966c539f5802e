package models

import "testing"

// BenchmarkSchedulerGenerated times one full run (indexing, upper bound,
// greedy, repair) on the generated event of the meetings issue.
func BenchmarkSchedulerGenerated(b *testing.B) {
	in := genSchedEvent(schedGeneratedEvent)
	var st ScheduleStats
	b.ResetTimer()
	for b.Loop() {
		res, err := ScheduleMeetings(in)
		if err != nil {
			b.Fatal(err)
		}
		st = res.Stats
	}
	b.ReportMetric(float64(st.Placed), "placed")
	b.ReportMetric(float64(st.UpperBound), "bound")
}
