-- SPDX-License-Identifier: Apache-2.0
-- wrk script of `pnpm bench:envoy`: GET / with "authorization: Bearer <token>", the tokens taken in
-- turn from lines [offset, offset + n) of a file (n = 1 repeats one token: the warm case), and the
-- thread stops after `limit` responses, so every run sends a fixed number of requests (-d is only a bound).
-- Arguments (after `--`): tokens_file offset n limit
local tokens = {}
local limit, seen, nextToken = 0, 0, 1

function init(args)
  local file, offset, n = args[1], tonumber(args[2]), tonumber(args[3])
  limit = tonumber(args[4])
  local i = 0
  for line in io.lines(file) do
    if i >= offset + n then break end
    if i >= offset then tokens[#tokens + 1] = "Bearer " .. line end
    i = i + 1
  end
end

function request()
  local value = tokens[nextToken]
  nextToken = nextToken + 1
  if nextToken > #tokens then nextToken = 1 end
  return wrk.format("GET", "/", { ["authorization"] = value })
end

function response(status, headers, body)
  seen = seen + 1
  if seen == limit then
    -- wrk's main thread sleeps for the whole -d even after every thread stopped; the marker tells
    -- the bench to send SIGINT, which wrk answers by printing its summary at once.
    io.stdout:write("LIMIT\n")
    io.stdout:flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"status_errors":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
