-- http_post.lua — wrk script for the HTTP section of run.sh: POST /orders
-- with a fresh order id each time, keep-alive.  WRK_DELAY_MS (env), when
-- set, waits that long between one connection's requests: wrk 4.1 has no
-- fixed-rate mode, so connections x 1000 / delay is the offered rate.
local counter = 0
local prefix = ""
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
end

function init(args)
	prefix = string.format("w%d-%d-", os.time(), tid or 0)
	n = 0
end

function request()
	n = n + 1
	local body = string.format('{"order_id":"%s%d","user_id":"user%d","item":"pen",'
		.. '"quantity":%d,"unit_price":2.5}', prefix, n, n % 97, 1 + n % 3)
	return wrk.format("POST", "/orders", { ["Content-Type"] = "application/json" }, body)
end

if delay_ms > 0 then
	function delay()
		return delay_ms
	end
end
