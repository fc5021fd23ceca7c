-- Unauthenticated password guessing: POST /core/v2/oauth/token with a random login each time
-- (issue 12, item 1). Run beside an authenticated target to see what the flood costs it.
-- usage: wrk -s bench/wrk/oauth_flood.lua URL
local counter = 0

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  counter = counter + 1
  local body = "grant_type=password&username=guess-" .. math.random(1000000000) .. "-" ..
    counter .. "&password=not-the-password"
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  return wrk.format("POST", "/core/v2/oauth/token", headers, body)
end
