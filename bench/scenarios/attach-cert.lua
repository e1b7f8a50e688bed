-- Attach certificate: POST /api/serials/{number}/attach-cert {"certId", "userId"}, the spec's idempotent write.
-- Serials (not completed) and certificates come from the serials generator's scenario file; userId is the first
-- organization's operator. Every pass over the serials uses the next certificate, so requests create new attachments
-- until every serial has had every certificate at its current step; only then (or where the generator already
-- attached that certificate at that step) are they idempotent re-attachments, still 200 but without a write.
-- The file: $BENCH_SERIALS_FILE, else bench/out/serials-scenario.txt next to this scenario folder.
local file_name = os.getenv("BENCH_SERIALS_FILE")
if file_name == nil or file_name == "" then
  local scenarios = (os.getenv("BENCH_PATHS_FILE") or "bench/scenarios/x.paths"):match("^(.*)/[^/]*$") or "bench/scenarios"
  file_name = scenarios .. "/../out/serials-scenario.txt"
end

local serials, certs, user = {}, {}, nil
local file = assert(io.open(file_name, "r"), "no scenario file " .. file_name .. ": generate with the serials generator (bench/run.sh)")
for line in file:lines() do
  local kind, value = line:match("^(%S+) (%S+)$")
  if kind == "serial" then serials[#serials + 1] = value
  elseif kind == "cert" then certs[#certs + 1] = value
  elseif kind == "user" then user = value end
end
file:close()
assert(#serials > 0 and #certs > 0 and user, "serials, certificates and a user are needed in " .. file_name)

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
  -- Threads start 1/16 of all (serial, certificate) pairs apart, so they do not send the same pair at once.
  counter = (offset or 0) * math.max(1, math.floor(#serials * #certs / 16))
end

function request()
  local n = counter
  counter = counter + 1
  local serial = serials[n % #serials + 1]
  local cert = certs[math.floor(n / #serials) % #certs + 1]
  return wrk.format(nil, "/api/serials/" .. serial .. "/attach-cert", nil,
    string.format('{"certId":"%s","userId":"%s"}', cert, user))
end
