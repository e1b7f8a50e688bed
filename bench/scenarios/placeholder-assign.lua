-- Late assignment: assign a serial number to a PENDING placeholder (issue 5, p95 target 10 ms).
-- POST /api/v1/serialization/late-assignment/placeholder/{id}/assign {"serialNumber": "BA-<index>"}: the uniqueness
-- guard, a new serial, the placeholder's update and two audit entries per request.
-- Each placeholder can be assigned once, so every wrk run (the warm-up is one too) reserves the next chunk of the ids
-- the serialization workflows generator wrote ($BENCH_PLACEHOLDERS, else bench/out/placeholders.txt) through a cursor
-- file next to it; threads take disjoint stripes of the chunk. A run that outgrows its chunk ($BENCH_PLACEHOLDER_CHUNK,
-- default an eighth of the ids) runs into ids already assigned, which answer 409 (non-2xx): generate more
-- --bench-placeholders (the default 100,000 covers eight runs of 12,500 requests: a warm-up and a measured run 4 times).
local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/placeholder-assign.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
local file_name = os.getenv("BENCH_PLACEHOLDERS")
if file_name == nil or file_name == "" then file_name = scenarios .. "/../out/placeholders.txt" end
local cursor_name = file_name:gsub("%.txt$", "") .. ".cursor"

local ids = {}
local file = assert(io.open(file_name, "r"), "no placeholder file " .. file_name .. ": generate with the serialization workflows generator")
for line in file:lines() do
  if line ~= "" then ids[#ids + 1] = line end
end
file:close()
assert(#ids > 0, "no placeholder ids in " .. file_name)
local chunk = tonumber(os.getenv("BENCH_PLACEHOLDER_CHUNK") or "0")
if chunk <= 0 then chunk = math.max(1, math.floor(#ids / 8)) end

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Content-Type"] = "application/json"

-- Main state: reserve this run's chunk once, then give every thread its stripe and the number of stripes.
local threads = {}
local start = nil

function setup(thread)
  if start == nil then
    local c = io.open(cursor_name, "r")
    start = c and tonumber(c:read("*l")) or 0
    if c then c:close() end
    local w = assert(io.open(cursor_name, "w"))
    w:write(tostring((start + chunk) % #ids))
    w:close()
  end
  table.insert(threads, thread)
  thread:set("first", start)
  thread:set("stripe", #threads - 1)
  for _, t in ipairs(threads) do t:set("stride", #threads) end
end

-- Thread states.
local n = 0

function request()
  local index = (first + stripe + n * stride) % #ids
  n = n + 1
  return wrk.format(nil, "/api/v1/serialization/late-assignment/placeholder/" .. ids[index + 1] .. "/assign", nil,
    string.format('{"serialNumber":"BA-%d"}', index))
end
