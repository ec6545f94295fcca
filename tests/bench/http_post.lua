-- http_post.lua — wrk script for the HTTP section of run.sh: POST /orders
-- with a fresh order id each time, keep-alive.  WRK_BATCH (env), when
-- over 1, posts that many orders per request as a JSON array.
local counter = 0
local prefix = ""
local batch = tonumber(os.getenv("WRK_BATCH") or "1")

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
end

function init(args)
	prefix = string.format("w%d-%d-", os.time(), tid or 0)
	n = 0
end

local function order()
	n = n + 1
	return string.format('{"order_id":"%s%d","user_id":"user%d","item":"pen",'
		.. '"quantity":%d,"unit_price":2.5}', prefix, n, n % 97, 1 + n % 3)
end

function request()
	local body
	if batch > 1 then
		local parts = {}
		for i = 1, batch do
			parts[i] = order()
		end
		body = "[" .. table.concat(parts, ",") .. "]"
	else
		body = order()
	end
	return wrk.format("POST", "/orders", { ["Content-Type"] = "application/json" }, body)
end
