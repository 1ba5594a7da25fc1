-- Helpers the other modules share: paths, prompts and requests run in sequence in a coroutine,
-- account labels. Modules reach `hubspot_ls` (options, the client) only inside functions, so
-- that any of them can be required first.

local U = {}

-- ---------------------------------------------------------------------------------------------
-- Files

function U.normalize(path)
  return (path or ''):gsub('\\', '/')
end

function U.dirname(path)
  return vim.fn.fnamemodify(path, ':h')
end

function U.exists(path)
  return (vim.uv or vim.loop).fs_stat(path) ~= nil
end

--- The first of `names` found in `start` or a folder above it, as a path; nil when none.
function U.find_upward(names, start)
  local d = start
  while d and d ~= '' do
    for _, n in ipairs(names) do
      if U.exists(d .. '/' .. n) then
        return d .. '/' .. n
      end
    end
    local parent = U.dirname(d)
    if parent == d then
      break
    end
    d = parent
  end
  return nil
end

--- The directory commands act for: the current file's folder (the folder holding `.hs/` for
--- settings.json), else the working directory.
function U.context_directory(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr or 0)
  if name ~= '' and vim.bo[bufnr or 0].buftype == '' then
    local dir = U.dirname(vim.fn.fnamemodify(name, ':p'))
    if vim.fn.fnamemodify(dir, ':t') == '.hs' then
      dir = U.dirname(dir)
    end
    return dir
  end
  return vim.fn.getcwd()
end

-- ---------------------------------------------------------------------------------------------
-- Coroutine helpers: prompts and requests in sequence

--- Raised (as the error value) when the user cancels a prompt: ends the command silently.
U.Cancelled = {}
local Cancelled = U.Cancelled

function U.notify(msg, level)
  vim.notify('HubSpot: ' .. msg, level or vim.log.levels.INFO)
end

function U.resume(co, ...)
  local ok, err = coroutine.resume(co, ...)
  if not ok and err ~= Cancelled then
    U.notify(tostring(err), vim.log.levels.ERROR)
  end
end

function U.run_async(fn, ...)
  U.resume(coroutine.create(fn), ...)
end

--- vim.ui.input in a coroutine; cancel raises Cancelled, empty gives nil.
function U.input(prompt, default, completion)
  local co = coroutine.running()
  vim.ui.input({ prompt = prompt, default = default, completion = completion }, function(v)
    vim.schedule(function()
      U.resume(co, v)
    end)
  end)
  local v = coroutine.yield()
  if v == nil then
    error(Cancelled, 0)
  end
  v = vim.trim(v)
  if v == '' then
    return nil
  end
  return v
end

function U.required(prompt, default, completion)
  local v = U.input(prompt, default, completion)
  if v == nil then
    error(Cancelled, 0)
  end
  return v
end

--- A secret: not echoed (vim.fn.inputsecret) unless masked_secrets = false.
function U.secret(prompt)
  if require('hubspot_ls').options.masked_secrets then
    local ok, r = pcall(vim.fn.inputsecret, prompt)
    local v = ok and r or nil
    if v == nil or v == '' then
      error(Cancelled, 0)
    end
    return v
  end
  return U.required(prompt)
end

function U.select(items, opts)
  local co = coroutine.running()
  vim.ui.select(items, opts, function(choice)
    vim.schedule(function()
      U.resume(co, choice)
    end)
  end)
  local choice = coroutine.yield()
  if choice == nil then
    error(Cancelled, 0)
  end
  return choice
end

function U.confirm(question)
  local choice = U.select({ 'No', 'Yes' }, { prompt = question })
  if choice ~= 'Yes' then
    error(Cancelled, 0)
  end
end

-- ---------------------------------------------------------------------------------------------
-- Requests

local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- workspace/executeCommand in a coroutine: returns the result, or raises the error message.
function U.execute(command, arg, bufnr)
  local client = require('hubspot_ls').client()
  local co = coroutine.running()
  request(client, 'workspace/executeCommand', { command = command, arguments = { arg } }, function(err, result)
    vim.schedule(function()
      U.resume(co, err, result)
    end)
  end, bufnr)
  local err, result = coroutine.yield()
  if err then
    error(err.message or vim.inspect(err), 0)
  end
  return result
end

-- ---------------------------------------------------------------------------------------------
-- Values

--- A JSON value that is present: not nil, not null, not empty text.
function U.present(v)
  return v ~= nil and v ~= vim.NIL and v ~= ''
end

function U.account_label(a)
  if type(a) ~= 'table' then
    return tostring(a)
  end
  if U.present(a.name) then
    return string.format('%s (%s)', a.name, tostring(a.accountId))
  end
  return tostring(a.accountId)
end

--- A sandbox (STANDARD_SANDBOX, DEVELOPMENT_SANDBOX): what `hubspot.sandbox.delete` takes.
function U.is_sandbox(a)
  return U.present(a.accountType) and tostring(a.accountType):match('SANDBOX$') ~= nil
end

--- A production account, the only kind that can be a sandbox's parent: STANDARD, or no
--- accountType at all (accounts added before the CLI recorded it).
function U.is_production(a)
  return not U.present(a.accountType) or a.accountType == 'STANDARD'
end

--- How a command names an account: its name, else its id.
function U.account_ref(a)
  if U.present(a.name) then
    return tostring(a.name)
  end
  return tostring(a.accountId)
end

function U.list_text(t)
  if type(t) ~= 'table' or #t == 0 then
    return 'none'
  end
  local out = {}
  for _, v in ipairs(t) do
    out[#out + 1] = tostring(v)
  end
  return table.concat(out, ', ')
end

function U.ids(text)
  local out = {}
  for part in tostring(text):gmatch('[^,%s]+') do
    out[#out + 1] = tonumber(part) or part
  end
  return out
end

function U.split_args(s)
  local out = {}
  for w in (s or ''):gmatch('%S+') do
    out[#out + 1] = w
  end
  return out
end

return U
