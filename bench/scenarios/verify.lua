-- Public verification of genuine signed codes (anonymous, 1 in 20 not genuine): compare with bare.
-- GET /api/public/serial/verify/{code}, rotating through the codes the public-codes generator wrote; the forged,
-- mistyped and unregistered ones answer 404 and count as non-2xx. Needs the app started with the generator's secret
-- and the rate limit lifted (bench/run.sh does both).
-- The codes file: $BENCH_VERIFY_CODES, else bench/out/verify-codes.txt next to this scenario folder.
local file_name = os.getenv("BENCH_VERIFY_CODES")
if file_name == nil or file_name == "" then
  local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/verify.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
  file_name = scenarios .. "/../out/verify-codes.txt"
end

local codes = {}
local file = assert(io.open(file_name, "r"), "no codes file " .. file_name .. ": generate with the public-codes generator (bench/run.sh)")
for line in file:lines() do
  if line ~= "" then codes[#codes + 1] = line end
end
file:close()
assert(#codes > 0, "no codes in " .. file_name)

wrk.headers["Accept"] = "application/json"

local counter = 0
local next_thread = 0

function setup(thread)
  thread:set("offset", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  -- Threads start far apart in the list so they do not ask for the same codes in lockstep.
  counter = math.floor((offset or 0) * #codes / 7) % #codes
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/api/public/serial/verify/" .. codes[(counter - 1) % #codes + 1])
end
