-- Batch create: POST /api/serials/batch {"workOrderId", "quantity", "certId"}: $BENCH_BATCH_QUANTITY serials
-- (default 10000) with certificate CERT-0001 attached at the first step, one transaction per request. The target is
-- one request of 10,000 under 2 s, so run it alone with one connection:
--   bench/load.sh --connections 1 --threads 1 --duration 20s --warmup 0 batch-create
-- Every request adds quantity x 3 rows (serials, step events, attachments): run it after the read scenarios.
-- Work orders (not closed) come from the serials generator's scenario file, in rotation.
local file_name = os.getenv("BENCH_SERIALS_FILE")
if file_name == nil or file_name == "" then
  local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/x.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
  file_name = scenarios .. "/../out/serials-scenario.txt"
end

local orders = {}
local file = assert(io.open(file_name, "r"), "no scenario file " .. file_name .. ": generate with the serials generator (bench/run.sh)")
for line in file:lines() do
  local number = line:match("^workorder (%S+)$")
  if number then orders[#orders + 1] = number end
end
file:close()
assert(#orders > 0, "no open work orders in " .. file_name)

local quantity = tonumber(os.getenv("BENCH_BATCH_QUANTITY") or "") or 10000

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local counter = 0

function request()
  counter = counter + 1
  return wrk.format(nil, "/api/serials/batch", nil,
    string.format('{"workOrderId":"%s","quantity":%d,"certId":"CERT-0001"}', orders[(counter - 1) % #orders + 1], quantity))
end
