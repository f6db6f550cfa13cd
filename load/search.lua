-- wrk script: GET /api/v1/search cycling through a mix of queries —
-- English, Chinese, typos, abbreviations — URL-encoded here (UTF-8 bytes).
-- Each thread starts at a different point in the list.
--
-- `wrk ... -s search.lua URL -- uncached TAG`: every request's query string
-- is new (a unique `n` parameter, which search ignores, with the run's TAG
-- so that runs stay apart): no answer can come from the server's cache, as
-- with a long tail of different queries.

local queries = {
  -- English names and words
  "project management", "actuary", "teacher California", "chartered accountant",
  "Kubernetes administrator", "financial analyst", "registered nurse", "architect",
  "football coach", "cloud security", "structural engineer", "internal auditor",
  -- abbreviations
  "PMP", "CFA", "CKA", "ACCA", "FRM", "CPA", "PRINCE2", "UEFA", "CISSP", "AWS",
  -- typos
  "Kubernets admin", "acturay", "finacial analyst", "projet managment", "chartred accountant", "teachr",
  -- Chinese
  "加州教师", "精算师", "项目管理", "注册会计师", "金融分析师", "教练", "建筑师", "护士",
  "教师资格证书", "管理会计师", "英国", "美国",
}

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
for i, q in ipairs(queries) do
  paths[i] = "/api/v1/search?q=" .. encode(q)
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("start", counter * 17)
end

-- Requests are formatted once per thread, so that wrk spends no more
-- time per request on this mix than on a plain URL.
local requests = nil
local i = nil
local uncached = false
local tag = ""
local sent = 0
function init(args)
  uncached = args[1] == "uncached"
  tag = args[2] or ""
  requests = {}
  for k, p in ipairs(paths) do requests[k] = wrk.format("GET", p) end
end

function request()
  if i == nil then i = (tonumber(start) or 0) % #requests end
  i = i % #requests + 1
  if uncached then
    sent = sent + 1
    return wrk.format("GET", paths[i] .. "&n=" .. tag .. "-" .. tostring(start) .. "-" .. tostring(sent))
  end
  return requests[i]
end
