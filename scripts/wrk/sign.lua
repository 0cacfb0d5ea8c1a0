-- wrk script for the signing benchmark (benchmarks/measure/signing.py): every request as
-- another logged-in employee.
--
--   wrk -t2 -c4 -d10s -s scripts/wrk/sign.lua http://127.0.0.1:PORT -- MODE FILE THREADS
--
-- FILE has one line per employee: the Cookie header (session and CSRF cookie), a tab,
-- and the sign form's body (urlencoded, with the CSRF token and the typed name).
-- THREADS is wrk's -t: thread i takes lines i, i + THREADS, i + 2 * THREADS, ...
--
-- MODE sign:    POST /handreikingen/sociale-media/bevestigen/ once per employee of the
--               thread's slice; a good answer is 302 to the receipt (/bevestigen/<code>/).
--               When the slice runs out the thread asks for /benchmark/exhausted/ (a 404)
--               and counts it: the run had too few employees ready to sign.
-- MODE trivial: GET /benchmark/trivial/ as the same employees, round robin; a good answer
--               is 200.
--
-- At the end one line "wrk-result: {json}" with the totals, for the runner to read.

local threads = {}
local counter = 0

function setup(thread)
    thread:set("index", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    mode = args[1]
    local path = args[2]
    local count = tonumber(args[3])
    if (mode ~= "sign" and mode ~= "trivial") or path == nil or count == nil then
        error("usage: -- sign|trivial FILE THREADS")
    end
    lines = {}
    local n = 0
    for line in io.lines(path) do
        if n % count == index then
            local tab = line:find("\t", 1, true)
            table.insert(lines, { line:sub(1, tab - 1), line:sub(tab + 1) })
        end
        n = n + 1
    end
    if #lines == 0 then
        error("no employees for thread " .. index .. " in " .. path)
    end
    position = 0
    good = 0
    unexpected = 0
    exhausted = 0
    first_unexpected = ""
end

function request()
    position = position + 1
    if mode == "sign" then
        local item = lines[position]
        if item == nil then
            exhausted = exhausted + 1
            return wrk.format("GET", "/benchmark/exhausted/")
        end
        return wrk.format("POST", "/handreikingen/sociale-media/bevestigen/", {
            ["Cookie"] = item[1],
            ["Content-Type"] = "application/x-www-form-urlencoded",
        }, item[2])
    end
    local item = lines[(position - 1) % #lines + 1]
    return wrk.format("GET", "/benchmark/trivial/", { ["Cookie"] = item[1] })
end

function response(status, headers, body)
    local ok
    if mode == "sign" then
        local location = headers["Location"] or headers["location"] or ""
        ok = status == 302 and location:match("^/bevestigen/[%w%-]+/$") ~= nil
    else
        ok = status == 200
    end
    if ok then
        good = good + 1
    else
        unexpected = unexpected + 1
        if first_unexpected == "" then
            first_unexpected = tostring(status) .. " " .. (headers["Location"] or "")
        end
    end
end

function done(summary, latency, requests)
    local good_total, unexpected_total, exhausted_total = 0, 0, 0
    local first = ""
    for _, thread in ipairs(threads) do
        good_total = good_total + thread:get("good")
        unexpected_total = unexpected_total + thread:get("unexpected")
        exhausted_total = exhausted_total + thread:get("exhausted")
        if first == "" then
            first = thread:get("first_unexpected")
        end
    end
    local errors = summary.errors
    io.write(string.format(
        'wrk-result: {"mode": "%s", "requests": %d, "duration_us": %d, "good": %d, '
            .. '"unexpected": %d, "exhausted": %d, "first_unexpected": "%s", '
            .. '"errors_connect": %d, "errors_read": %d, "errors_write": %d, '
            .. '"errors_status": %d, "errors_timeout": %d, '
            .. '"latency_p50_us": %d, "latency_p90_us": %d, "latency_p99_us": %d}\n',
        threads[1]:get("mode"), summary.requests, summary.duration, good_total,
        unexpected_total, exhausted_total, (first:gsub('[%c"\\]', "?")),
        errors.connect, errors.read, errors.write, errors.status, errors.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99)
    ))
end
