-- Holds list (issue 3): GET /api/quality/holds with the filters, search and sorts a QA screen sends, in rotation:
-- the default page, active by urgency, a priority list, date ranges, a hold type, searches by number and by reason
-- word, a search with a filter, and deep offsets. At 100,000 holds of the signed-in organization among 1,000,000.
local paths = {
  "/api/quality/holds",
  "/api/quality/holds?status=active&sort=priority%20DESC",
  "/api/quality/holds?status=active,released&priority=critical,high&limit=50",
  "/api/quality/holds?from=2026-06-01&to=2026-06-30&sort=held_at%20ASC",
  "/api/quality/holds?hold_type=recall&sort=held_at%20DESC",
  "/api/quality/holds?search=QH-202605",
  "/api/quality/holds?search=contamination",
  "/api/quality/holds?search=seal&status=active",
  "/api/quality/holds?status=released&offset=2000",
  "/api/quality/holds?priority=low&sort=priority%20ASC&offset=500&limit=100",
}

wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Accept"] = "application/json"

local counter = 0
local next_thread = 0

function setup(thread)
  thread:set("offset", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  counter = (offset or 0) * 3
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter - 1) % #paths + 1])
end
