-- One request per call against a random object of the loaded set.
-- usage: wrk -s bench/wrk/request.lua URL -- METHOD IDS_FILE PATH_TEMPLATE TOKEN [BODY_TEMPLATE]
--   PATH_TEMPLATE contains {id}; BODY_TEMPLATE (PATCH) contains {n}, replaced by a fresh value
--   so every PATCH really changes the object (a no-op PATCH writes nothing), or {toggle},
--   replaced by "inactive" and "active" in turn (a partner status that cascades every time).
local ids = {}
local method, path_tpl, token, body_tpl
local counter = 0
local threads = {}

function setup(thread) table.insert(threads, thread) end

function init(args)
  server_errors = 0
  method = args[1]
  for line in io.lines(args[2]) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  path_tpl = args[3]
  token = args[4]
  body_tpl = args[5]
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local id = ids[math.random(#ids)]
  local path = (path_tpl:gsub("{id}", id))
  local headers = { ["Authorization"] = "Bearer " .. token }
  local body = nil
  if body_tpl ~= nil and body_tpl ~= "" then
    counter = counter + 1
    body = (body_tpl:gsub("{n}", counter .. "-" .. math.random(1000000000)))
    body = (body:gsub("{toggle}", counter % 2 == 1 and "inactive" or "active"))
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end

function done(summary, latency, requests)
  local e = summary.errors
  local server = 0
  for _, t in ipairs(threads) do server = server + (t:get("server_errors") or 0) end
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"status_errors":%d,"server_errors":%d,' ..
    '"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.status, server, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
