-- :HubSpotAccounts: a picker over hubspot.account.list (sandboxes under their parent), then a
-- picker of what applies to the chosen account. Each action runs through hubspot_ls.run, so it
-- asks for what it lacks, confirms what destroys, and reports with vim.notify.

local U = require('hubspot_ls.util')

local A = {}

-- Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil): os.time reads a
-- table as local time, and the expiry is UTC.
local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

--- Seconds since the epoch of an ISO 8601 time (`Z`, `±HH:MM` or no offset = UTC); nil if not one.
function A.parse_time(text)
  if type(text) ~= 'string' then
    return nil
  end
  local y, mo, d, h, mi, s, rest = text:match('^(%d%d%d%d)-(%d%d)-(%d%d)[T ](%d%d):(%d%d):(%d%d)(.*)$')
  if not y then
    return nil
  end
  local t = days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 86400 + tonumber(h) * 3600
    + tonumber(mi) * 60 + tonumber(s)
  local sign, oh, om = rest:match('([+-])(%d%d):?(%d%d)$')
  if sign then
    local offset = tonumber(oh) * 3600 + tonumber(om) * 60
    t = sign == '+' and t - offset or t + offset
  end
  return t
end

--- The access token's state from `tokenExpiresAt` (when it expires, never the token).
function A.token_state(expires_at, now)
  if not U.present(expires_at) then
    return 'no token yet'
  end
  local t = A.parse_time(expires_at)
  if not t then
    return 'token expiry ' .. tostring(expires_at)
  end
  if t <= (now or os.time()) then
    return 'token expired'
  end
  return 'token valid until ' .. os.date('!%Y-%m-%d %H:%M UTC', t)
end

local function type_text(a)
  if not U.present(a.accountType) then
    return 'standard'
  end
  return (tostring(a.accountType):lower():gsub('_', ' '))
end

--- The picker's line for an account `depth` levels under its parent.
function A.label(a, depth)
  local parts = { string.rep('    ', depth) .. (depth > 0 and '└ ' or '') .. U.account_label(a), type_text(a) }
  if U.present(a.env) then
    parts[#parts + 1] = tostring(a.env)
  end
  local marks = {}
  if a.isDefault == true then
    marks[#marks + 1] = '[default]'
  end
  if a.isLinked == true then
    marks[#marks + 1] = '[linked]'
  end
  if a.isLocalDefault == true then
    marks[#marks + 1] = '[local default]'
  end
  if #marks > 0 then
    parts[#parts + 1] = table.concat(marks, ' ')
  end
  parts[#parts + 1] = A.token_state(a.tokenExpiresAt)
  return table.concat(parts, '  ')
end

--- The accounts in config order, each followed by its sandboxes (`parentAccountId`), indented.
--- A sandbox whose parent is not configured stays at the top level. Returns { {account, depth} }.
function A.tree(accounts)
  local by_id, children = {}, {}
  for _, a in ipairs(accounts) do
    if U.present(a.accountId) then
      by_id[tostring(a.accountId)] = a
    end
  end
  local roots = {}
  for _, a in ipairs(accounts) do
    local parent = U.present(a.parentAccountId) and by_id[tostring(a.parentAccountId)]
    if parent and parent ~= a then
      children[parent] = children[parent] or {}
      table.insert(children[parent], a)
    else
      roots[#roots + 1] = a
    end
  end
  local out, seen = {}, {}
  local function walk(a, depth)
    if seen[a] then
      return
    end
    seen[a] = true
    out[#out + 1] = { account = a, depth = depth }
    for _, c in ipairs(children[a] or {}) do
      walk(c, depth + 1)
    end
  end
  for _, a in ipairs(roots) do
    walk(a, 0)
  end
  -- A cycle of parents has no root: list what is left rather than hide it.
  for _, a in ipairs(accounts) do
    walk(a, 0)
  end
  return out
end

--- What applies to account `a` in `directory`: { {label, command, arg, interactive} }.
function A.actions(a, directory, config_path)
  local ref = U.account_ref(a)
  local id = U.present(a.accountId) and a.accountId or ref
  local out = {}
  local function add(label, command, arg, interactive)
    out[#out + 1] = { label = label, command = command, arg = arg, interactive = interactive or false }
  end
  if a.isDefault ~= true then
    -- hubspot.account.use sets the local default in a folder that links the account, so it runs
    -- in the config's own folder, which no project links (absent: the server's root).
    local global = U.present(config_path) and U.dirname(config_path) or nil
    add('Use as default', 'hubspot.account.use', { account = ref, directory = global })
  end
  if a.isLinked == true then
    add('Unlink from this folder', 'hubspot.account.unlink', { directory = directory, accounts = { id } })
  else
    add('Link to this folder', 'hubspot.account.link', { directory = directory, accounts = { id } })
  end
  if a.isLocalDefault ~= true then
    if a.isLinked == true then
      add('Make local default', 'hubspot.account.use', { account = ref, directory = directory })
    else
      add('Make local default (links it)', 'hubspot.account.link', { directory = directory, accounts = { id }, defaultAccount = id })
    end
  end
  add('Show info', 'hubspot.account.info', { account = ref, directory = directory })
  add('Remove from the config', 'hubspot.account.remove', { account = ref }, true)
  if U.is_production(a) then
    add('Create sandbox', 'hubspot.sandbox.create', { account = ref, directory = directory }, true)
  end
  if U.is_sandbox(a) then
    add('Delete sandbox', 'hubspot.sandbox.delete', { account = ref, directory = directory }, true)
  end
  add('Add secret', 'hubspot.secrets.add', { account = ref, directory = directory }, true)
  return out
end

--- :HubSpotAccounts. `opts.bufnr`: the buffer whose folder link actions act on (default current).
function A.open(opts)
  opts = opts or {}
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  local directory = U.context_directory(bufnr)
  U.run_async(function()
    local ok, err = pcall(function()
      local r = U.execute('hubspot.account.list', { directory = directory }, bufnr)
      local accounts = type(r) == 'table' and type(r.accounts) == 'table' and r.accounts or {}
      if #accounts == 0 then
        error('no accounts are configured: run :HubSpotAccountAuth first', 0)
      end
      local config_path = type(r) == 'table' and U.present(r.configPath) and r.configPath or nil
      local where = config_path and (' in ' .. config_path) or ''
      local chosen = U.select(A.tree(accounts), {
        prompt = 'HubSpot accounts' .. where,
        format_item = function(item)
          return A.label(item.account, item.depth)
        end,
      }).account
      local action = U.select(A.actions(chosen, directory, config_path), {
        prompt = U.account_label(chosen),
        format_item = function(item)
          return item.label
        end,
      })
      require('hubspot_ls').run(action.command, action.arg, { interactive = action.interactive, bufnr = bufnr })
    end)
    if not ok and err ~= U.Cancelled then
      U.notify('Accounts: ' .. tostring(err), vim.log.levels.ERROR)
    end
  end)
end

return A
