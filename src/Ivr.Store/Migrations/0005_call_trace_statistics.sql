-- call_trace is read by call_id and cleaned up by started_at, never by what a trace holds: ANALYZE needs no
-- statistics of the documents and only a small sample of the keys. With the default targets each ANALYZE read a
-- 30,000-row sample, ~110 ms of one core on the benchmark machine, as often as once a minute under its load; with
-- these the sample is 3,000 rows and ~20 ms (docs/benchmarks.md). The reads keep their index plans
-- (Ivr.Store.Tests, CallTraceStatisticsTests).
ALTER TABLE call_trace
    ALTER COLUMN trace SET STATISTICS 0,
    ALTER COLUMN call_id SET STATISTICS 10,
    ALTER COLUMN started_at SET STATISTICS 10;
