-- Hold detail (issue 3): GET /api/quality/holds/{id} with items and audit history, rotating through hold ids spread
-- over all of the first organization's holds (the holds generator's scenario file, "hold <id>" lines).
-- The file: $BENCH_HOLDS_FILE, else bench/out/holds-scenario.txt next to this scenario folder.
local file_name = os.getenv("BENCH_HOLDS_FILE")
if file_name == nil or file_name == "" then
  local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/x.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
  file_name = scenarios .. "/../out/holds-scenario.txt"
end

local holds = {}
local file = assert(io.open(file_name, "r"), "no scenario file " .. file_name .. ": generate with the holds generator (bench/run.sh)")
for line in file:lines() do
  local id = line:match("^hold (%S+)$")
  if id then holds[#holds + 1] = id end
end
file:close()
assert(#holds > 0, "no holds in " .. file_name)

wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Accept"] = "application/json"

local counter = 0
local next_thread = 0

function setup(thread)
  thread:set("offset", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  counter = math.floor((offset or 0) * #holds / 7) % #holds
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/api/quality/holds/" .. holds[(counter - 1) % #holds + 1])
end
