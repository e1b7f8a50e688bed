-- Hold create with 10 items (issue 3): POST /api/quality/holds naming ten distinct license plates, work orders and
-- batches of the first organization (the holds generator's scenario file, "lp|wo|batch <id>" lines), each request
-- the next ten references in turn. Each request is one transaction: a hold number from the day's counter, the
-- hold, ten items, the plates' qa_status and the audit entries.
-- The file: $BENCH_HOLDS_FILE, else bench/out/holds-scenario.txt next to this scenario folder.
local file_name = os.getenv("BENCH_HOLDS_FILE")
if file_name == nil or file_name == "" then
  local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/x.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
  file_name = scenarios .. "/../out/holds-scenario.txt"
end

local refs = {}
local file = assert(io.open(file_name, "r"), "no scenario file " .. file_name .. ": generate with the holds generator (bench/run.sh)")
for line in file:lines() do
  local kind, id = line:match("^(%S+) (%S+)$")
  if kind == "lp" or kind == "wo" or kind == "batch" then refs[#refs + 1] = { kind, id } end
end
file:close()
assert(#refs >= 10, "at least 10 references are needed in " .. file_name)

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local counter = 0
local next_thread = 0

function setup(thread)
  thread:set("offset", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  counter = (offset or 0) * 37
end

function request()
  local items = {}
  local start = counter * 10
  counter = counter + 1
  for i = 0, 9 do
    local ref = refs[(start + i) % #refs + 1]
    items[#items + 1] = string.format('{"reference_type":"%s","reference_id":"%s","quantity_held":5,"uom":"pcs"}', ref[1], ref[2])
  end
  local body = '{"reason":"Bench: suspected contamination found at incoming inspection","hold_type":"investigation",' ..
    '"priority":"high","items":[' .. table.concat(items, ",") .. ']}'
  return wrk.format(nil, "/api/quality/holds", nil, body)
end
