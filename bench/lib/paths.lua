-- wrk script for GET scenarios: rotates through the paths listed in $BENCH_PATHS_FILE (one per line, '#' starts a
-- comment) and sends "Authorization: Bearer $BENCH_TOKEN" when a token is set. Each wrk thread loads this file in
-- its own Lua state; threads start at different offsets so they do not walk the list in lockstep.

local paths = {}
local file = assert(io.open(os.getenv("BENCH_PATHS_FILE"), "r"), "BENCH_PATHS_FILE not readable")
for line in file:lines() do
  local path = line:gsub("#.*$", ""):match("^%s*(.-)%s*$")
  if path ~= "" then
    paths[#paths + 1] = path
  end
end
file:close()
assert(#paths > 0, "no paths in " .. os.getenv("BENCH_PATHS_FILE"))

local token = os.getenv("BENCH_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/json"

local counter = 0
local next_thread = 0

function setup(thread)
  thread:set("offset", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  counter = (offset or 0) % #paths
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter - 1) % #paths + 1])
end
