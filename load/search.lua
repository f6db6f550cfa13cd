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

-- Requests are formatted in init, before wrk's clock starts, so that wrk
-- spends no more time per request on this mix than on a plain URL. Uncached
-- runs format POOL (default 400,000) distinct requests per thread there, and
-- format each further one as it goes.
local requests = nil
local i = nil
local uncached = false
local tag = ""
local sent = 0
local pool = 0

local function distinct(k, n)
  return wrk.format("GET", paths[k] .. "&n=" .. tag .. "-" .. tostring(start) .. "-" .. tostring(n))
end

function init(args)
  uncached = args[1] == "uncached"
  tag = args[2] or ""
  requests = {}
  if uncached then
    pool = tonumber(args[3]) or 400000
    for n = 1, pool do requests[n] = distinct((n - 1) % #paths + 1, n) end
  else
    for k, p in ipairs(paths) do requests[k] = wrk.format("GET", p) end
  end
end

function request()
  if uncached then
    sent = sent + 1
    if sent <= pool then return requests[sent] end
    return distinct((sent - 1) % #paths + 1, sent)
  end
  if i == nil then i = (tonumber(start) or 0) % #requests end
  i = i % #requests + 1
  return requests[i]
end
