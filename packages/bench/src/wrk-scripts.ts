import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Lua for wrk. Each wrk thread runs its own Lua state: `setup` (main state) numbers the threads
 * and keeps them so `done` can add up their counters; `response` checks every answer for a key
 * only a success carries, so an error at HTTP 200 (API v2's way) is counted, not mistaken for
 * throughput. `done` prints one machine-readable line the runner parses.
 */
const COMMON = `
local threads = {}
local next_thread = 0
local expect = ""
responses = 0
unexpected = 0

-- SMMKIT_WRK_PORTS="p1,p2": thread n connects to the n-th port in turn (several servers, one load).
local spread_ports = {}
for port in string.gmatch(os.getenv("SMMKIT_WRK_PORTS") or "", "%d+") do
  spread_ports[#spread_ports + 1] = port
end

function setup(thread)
  thread:set("thread_id", next_thread)
  if #spread_ports > 0 then
    thread.addr = wrk.lookup("127.0.0.1", spread_ports[next_thread % #spread_ports + 1])[1]
  end
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

local form_headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function done(summary, latency, requests)
  local total_responses, total_unexpected = 0, 0
  for _, thread in ipairs(threads) do
    total_responses = total_responses + thread:get("responses")
    total_unexpected = total_unexpected + thread:get("unexpected")
  end
  local e = summary.errors
  -- Without a response() the bodies were not read: only non-2xx answers are known to be wrong.
  if response == nil then total_unexpected = e.status end
  io.write(string.format(
    '@@WRK {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"responses":%d,' ..
    '"unexpected":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, math.floor(latency:percentile(50)), math.floor(latency:percentile(99)),
    latency.max, total_responses, total_unexpected, e.connect, e.read, e.write, e.status, e.timeout))
end
`;

/** Defining response() makes wrk hand every body to Lua; only the checked scripts do. */
const CHECK_BODIES = `
function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 or not string.find(body, expect, 1, true) then
    unexpected = unexpected + 1
  end
end
`;

/** args: bodies file (one url-encoded body per line), expected substring. */
const ROTATE = `${COMMON}
local prepared = {}
local position = 0

function init(args)
  expect = args[2]
  for line in io.lines(args[1]) do
    if line ~= "" then prepared[#prepared + 1] = wrk.format("POST", nil, form_headers, line) end
  end
  -- Threads start at different places so they do not ask for the same rows in step.
  position = (thread_id * 7919) % #prepared
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end
`;

/** args: keys file, service id, quantity, url-encoded link prefix, expected substring. */
const ADD = `${COMMON}${CHECK_BODIES}
local keys = {}
local service, quantity, prefix
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then keys[#keys + 1] = line end
  end
  service, quantity, prefix, expect = args[2], args[3], args[4], args[5]
end

-- Every add has a link of its own, and consecutive adds come from different users.
function request()
  counter = counter + 1
  local key = keys[(counter + thread_id * 7919) % #keys + 1]
  local body = "key=" .. key .. "&action=add&service=" .. service .. "&link=" .. prefix ..
    thread_id .. "-" .. counter .. "&quantity=" .. quantity
  return wrk.format("POST", nil, form_headers, body)
end
`;

/** args: paths file (one path a line), session cookie (`name=value`), expected substring. */
const GET = `${COMMON}${CHECK_BODIES}
local prepared = {}
local position = 0

function init(args)
  expect = args[3]
  local headers = { ["Cookie"] = args[2], ["Accept"] = "application/json" }
  for line in io.lines(args[1]) do
    if line ~= "" then prepared[#prepared + 1] = wrk.format("GET", line, headers) end
  end
  position = (thread_id * 7919) % #prepared
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end
`;

export interface WrkScripts {
  /** Rotates bodies and checks every answer. */
  readonly rotateChecked: string;
  /** Rotates bodies; status codes only. */
  readonly rotate: string;
  readonly add: string;
  /** GETs rotating over paths with a cookie, every answer checked. */
  readonly getChecked: string;
}

export function writeWrkScripts(dir: string): WrkScripts {
  const scripts = {
    rotateChecked: join(dir, 'rotate-checked.lua'),
    rotate: join(dir, 'rotate.lua'),
    add: join(dir, 'add.lua'),
    getChecked: join(dir, 'get-checked.lua'),
  };
  writeFileSync(scripts.rotateChecked, `${ROTATE}${CHECK_BODIES}`);
  writeFileSync(scripts.rotate, ROTATE);
  writeFileSync(scripts.add, ADD);
  writeFileSync(scripts.getChecked, GET);
  return scripts;
}
