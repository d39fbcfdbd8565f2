-- wrk script of the mock-server benchmark: sends the requests of the Lua table named by BENCH_REQUESTS (written by
-- generate.py) in rotation, each thread starting at a different place, and prints one machine-readable RESULT line.
local requests = dofile(os.getenv("BENCH_REQUESTS"))
local formatted = {}
local next_index = 1

function init(args)
  for i, r in ipairs(requests) do
    formatted[i] = wrk.format(r.method, r.path, r.headers, r.body)
  end
  next_index = math.random(#formatted)
end

function request()
  local r = formatted[next_index]
  next_index = next_index % #formatted + 1
  return r
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect, e.read, e.write, e.timeout))
end
