-- wrk script for scripts/bench-writes: each connection POSTs /api/v1/organizations as fast as
-- answers come back, spreading creates over the townships in BENCH_TOWNSHIPS (comma-separated),
-- with the API token in BENCH_TOKEN. Counts the 201s and prints the first refusals; writes the
-- number of acknowledged creates to BENCH_CREATED_FILE. A C client instead of Python's threads,
-- so that the load generator takes little of the two cores the server runs on.
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  townships = {}
  for code in string.gmatch(os.getenv("BENCH_TOWNSHIPS"), "[^,]+") do table.insert(townships, code) end
  n = 0
  created = 0
  refused = 0
  wrk.method = "POST"
  wrk.path = "/api/v1/organizations"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  n = n + 1
  local township = townships[((id * 7919 + n) % #townships) + 1]
  local body = string.format('{"townshipCode":"%s","name":"基准写入%s%d号第%d个团支部","orgType":"团支部",'
    .. '"unitCategory":"非公企业","buildMode":"单独建团","stage":"已建立","foundedOn":"2012-11-20",'
    .. '"preparationApprovedOn":"2012-11-01","memberCount":5,"dualManagement":false,'
    .. '"secretaryName":"张三","secretaryPhone":"13800000000"}',
    township, os.getenv("BENCH_TAG") or "", id, n)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    refused = refused + 1
    if refused <= 5 then io.write("  refused ", status, " ", string.sub(body, 1, 200), "\n") end
  end
end

function done(summary, latency, requests)
  local total_created, total_refused = 0, 0
  for _, thread in ipairs(threads) do
    total_created = total_created + thread:get("created")
    total_refused = total_refused + thread:get("refused")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests %d, created %d, errors %d (socket: %d), %.0f creates/s\n",
    summary.requests, total_created, total_refused,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    total_created / seconds))
  io.write(string.format("latency ms: p50 %.0f, p90 %.0f, p99 %.0f, max %.0f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  local out = assert(io.open(os.getenv("BENCH_CREATED_FILE"), "w"))
  out:write(tostring(total_created))
  out:close()
end
