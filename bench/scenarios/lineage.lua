-- Lineage of the probe unit (1,000 relatives over 50 levels: 500 ancestors, 500 descendants): two recursive queries.
-- GET /api/v1/serialization/propagation/lineage/{probe id}; compare runs on databases of 10,000 and 1,000,000 serials
-- (Operator.Bench generate --genealogy-serials N): the probe is the same unit, so the time should stay flat.
-- The probe file: $BENCH_LINEAGE_PROBE, else bench/out/lineage-probe.txt next to this scenario folder (the genealogy
-- generator writes it).
local file_name = os.getenv("BENCH_LINEAGE_PROBE")
if file_name == nil or file_name == "" then
  local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/lineage.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
  file_name = scenarios .. "/../out/lineage-probe.txt"
end

local file = assert(io.open(file_name, "r"), "no probe file " .. file_name .. ": generate with the genealogy generator (bench/run.sh)")
local probe = file:read("*l")
file:close()
assert(probe ~= nil and probe ~= "", "no probe id in " .. file_name)

local token = os.getenv("BENCH_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/json"

local path = "/api/v1/serialization/propagation/lineage/" .. probe

function request()
  return wrk.format("GET", path)
end
