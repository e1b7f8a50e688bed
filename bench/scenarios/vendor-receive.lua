-- Vendor serials: receive a vendor-provided serial number (issue 5, p95 target 10 ms).
-- POST /api/v1/serialization/vendor/receive for the first part of B001 (from $BENCH_WORKFLOWS, else
-- bench/out/workflows.txt, written by the serialization workflows generator). Numbers carry the start time, the thread
-- and a counter, so the warm-up, the measured run and the threads never collide on the unique (part, number) index.
local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/vendor-receive.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
local file_name = os.getenv("BENCH_WORKFLOWS")
if file_name == nil or file_name == "" then file_name = scenarios .. "/../out/workflows.txt" end
local facts = {}
local file = assert(io.open(file_name, "r"), "no facts file " .. file_name .. ": generate with the serialization workflows generator")
for line in file:lines() do
  local key, value = line:match("^([%w]+)=(.*)$")
  if key then facts[key] = value end
end
file:close()
local part = assert(facts["partId"], "no partId in " .. file_name)

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local started, n = os.time(), 0
function request()
  n = n + 1
  return wrk.format(nil, "/api/v1/serialization/vendor/receive", nil,
    string.format('{"vendorSerialNumber":"WV-%d-%d-%d","vendorName":"Bench Vendor","partId":"%s"}', started, id, n, part))
end
