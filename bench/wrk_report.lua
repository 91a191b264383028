-- wrk script of the benchmarks. With WRK_SERVICES set (e.g. "ABCDEF") every request is
-- POST {"service": "<letter>"} with the letters in turn; without it wrk sends its plain GET.
-- With WRK_THINK_MS set, each connection (one client) waits a random think time (uniform in
-- 0 .. 2 x WRK_THINK_MS, so that mean) after each response before its next request, so the offered rate is about
-- connections / (think + latency), as with real kiosks; without it wrk sends back to back.
-- At the end it prints one line "WRK_JSON {...}" that bench/report.py reads.

local services = os.getenv("WRK_SERVICES")
local sent = 0

if services and #services > 0 then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = os.getenv("WRK_AUTHORIZATION")
  request = function()
    sent = sent + 1
    local i = (sent % #services) + 1
    return wrk.format(nil, nil, nil, '{"service": "' .. services:sub(i, i) .. '"}')
  end
end

local think = tonumber(os.getenv("WRK_THINK_MS") or "0")
if think > 0 then
  math.randomseed(os.time())
  delay = function()
    return 2 * think * math.random()
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local ms = function(us) return us / 1000.0 end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_s": %.3f, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_ms": {"mean": %.3f, "p50": %.3f, "p90": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f}}\n',
    summary.requests, summary.duration / 1e6, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    ms(latency.mean), ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(95)), ms(latency:percentile(99)), ms(latency.max)))
end
