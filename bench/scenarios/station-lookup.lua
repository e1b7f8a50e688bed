-- Station lookup by serial number: GET /api/serials/{number} (path progress, certificates per step, holds, history).
-- Rotates through the serials the serials generator listed in its scenario file ("serial SN-..." lines of the first
-- organization, spread over all of its serials), so the database cannot serve the run from a few hot pages.
-- The file: $BENCH_SERIALS_FILE, else bench/out/serials-scenario.txt next to this scenario folder.
local file_name = os.getenv("BENCH_SERIALS_FILE")
if file_name == nil or file_name == "" then
  local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/x.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
  file_name = scenarios .. "/../out/serials-scenario.txt"
end

local serials = {}
local file = assert(io.open(file_name, "r"), "no scenario file " .. file_name .. ": generate with the serials generator (bench/run.sh)")
for line in file:lines() do
  local number = line:match("^serial (%S+)$")
  if number then serials[#serials + 1] = number end
end
file:close()
assert(#serials > 0, "no serials in " .. file_name)

wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Accept"] = "application/json"

local counter = 0
local next_thread = 0

function setup(thread)
  thread:set("offset", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  -- Threads start far apart in the list so they do not ask for the same serials in lockstep.
  counter = math.floor((offset or 0) * #serials / 7) % #serials
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/api/serials/" .. serials[(counter - 1) % #serials + 1])
end
