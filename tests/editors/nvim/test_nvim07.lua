-- hubspot-ls in a real Neovim (Debian's 0.7: vim.lsp.start_client + vim.lsp.buf_attach_client).
--
-- Run: HOME=<tmp>/home TEST_ROOT=<tmp> HUBSPOT_LS=<binary> \
--      nvim --headless -u NONE -c 'luafile tests/editors/nvim/test_nvim07.lua'
-- <tmp> holds a copy of tests/editors/fixtures (home/.hscli/config.yml, project/...).
-- Prints one line per check and exits 0 when every check passed, 1 otherwise.

local bin = os.getenv('HUBSPOT_LS') or 'hubspot-ls'
local root = assert(os.getenv('TEST_ROOT'), 'TEST_ROOT is not set')
local home = assert(os.getenv('HOME'), 'HOME is not set')
local timeout = tonumber(os.getenv('NVIM_TEST_TIMEOUT_MS') or '') or 10000

local passed, failed = 0, 0

local function out(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    out('PASS nvim: ' .. name)
  else
    failed = failed + 1
    out('FAIL nvim: ' .. name .. (detail and (': ' .. detail) or ''))
  end
end

local function finish()
  out(string.format('nvim: %d passed, %d failed', passed, failed))
  vim.schedule(function()
    os.exit(failed == 0 and 0 or 1)
  end)
end

-- Anything unexpected is a failure, never a hang.
local ok_all, err_all = pcall(function()
  out('nvim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch))

  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'hubspot_ls',
    cmd = { bin },
    root_dir = root .. '/project',
    on_exit = function(code, signal)
      exited = { code = code, signal = signal }
    end,
  })
  check('start_client', client_id ~= nil, 'vim.lsp.start_client returned nil for ' .. bin)
  if not client_id then
    return
  end
  local initialized = vim.wait(timeout, function()
    local c = vim.lsp.get_client_by_id(client_id)
    return (c ~= nil and c.initialized) or exited ~= nil
  end, 20)
  local client = vim.lsp.get_client_by_id(client_id)
  check('initialize', initialized and client ~= nil and exited == nil,
    exited and ('server exited with code ' .. tostring(exited.code)) or 'no initialize response')
  if not client or exited then
    return
  end

  local function codes_of(buf)
    local codes = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code
      if code == nil and d.user_data and d.user_data.lsp then
        code = d.user_data.lsp.code
      end
      codes[#codes + 1] = tostring(code)
    end
    table.sort(codes)
    return codes
  end

  local function describe(buf)
    local parts = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code
      if code == nil and d.user_data and d.user_data.lsp then
        code = d.user_data.lsp.code
      end
      parts[#parts + 1] = string.format('%d:%d [%s] %s', d.lnum + 1, d.col + 1, tostring(code), d.message)
    end
    return table.concat(parts, ' | ')
  end

  local function open(path, filetype)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local buf = vim.api.nvim_get_current_buf()
    vim.api.nvim_buf_set_option(buf, 'filetype', filetype)
    vim.lsp.buf_attach_client(buf, client_id)
    return buf
  end

  -- Waits until the buffer has a diagnostic with `code`; returns it (or nil).
  local function wait_code(buf, code)
    local found = nil
    vim.wait(timeout, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        local c = d.code
        if c == nil and d.user_data and d.user_data.lsp then
          c = d.user_data.lsp.code
        end
        if c == code then
          found = d
          return true
        end
      end
      return false
    end, 20)
    return found
  end

  local function expect_code(what, buf, code, line, msg_pattern)
    local d = wait_code(buf, code)
    local detail = 'no `' .. code .. '` diagnostic; got: [' .. describe(buf) .. ']'
    if d and line and d.lnum + 1 ~= line then
      detail = string.format('`%s` on line %d, expected line %d', code, d.lnum + 1, line)
      d = nil
    end
    if d and msg_pattern and not d.message:find(msg_pattern) then
      detail = string.format('`%s` message %q does not mention %q', code, d.message, msg_pattern)
      d = nil
    end
    if d and d.source ~= nil and d.source ~= 'hubspot-ls' then
      detail = 'source is ' .. tostring(d.source)
      d = nil
    end
    check(what, d ~= nil, detail)
  end

  -- 1. The global config: `httpTimeout: fast` (type) and an unknown key (unknown-key).
  local config_buf = open(home .. '/.hscli/config.yml', 'yaml')
  expect_code('global config: type on `httpTimeout: fast`', config_buf, 'type', 3, 'httpTimeout')
  expect_code('global config: unknown-key on `colour`', config_buf, 'unknown-key', 5, 'colour')

  -- 2. settings.json linking an id the global config does not have.
  local settings_buf = open(root .. '/project/.hs/settings.json', 'json')
  expect_code('settings.json: linked-account-unknown on 555555', settings_buf, 'linked-account-unknown', 2, '555555')

  -- 3. .hsaccount holding a name instead of an id.
  local hsaccount_buf = open(root .. '/project/theme/.hsaccount', 'hsaccount')
  expect_code('.hsaccount: hsaccount-invalid on a name', hsaccount_buf, 'hsaccount-invalid', 1, 'prod%-portal')

  -- Completion: the account ids where settings.json names an account.
  local function complete(buf, line0, col0)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = line0, character = col0 },
      context = { triggerKind = 1 },
    }
    local responses, err = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, timeout)
    if not responses then
      return nil, 'no response: ' .. tostring(err)
    end
    local r = responses[client_id]
    if not r then
      return nil, 'no response from hubspot-ls'
    end
    if r.err then
      return nil, 'error: ' .. vim.inspect(r.err)
    end
    local result = r.result
    if result == nil or result == vim.NIL then
      return {}, nil
    end
    return result.items or result, nil
  end

  local function item_text(item)
    local t = item.insertText
    if item.textEdit and item.textEdit.newText then
      t = item.textEdit.newText
    end
    return tostring(t or item.label)
  end

  local function summarize(items)
    local parts = {}
    for i, item in ipairs(items or {}) do
      if i > 12 then
        parts[#parts + 1] = '…'
        break
      end
      parts[#parts + 1] = string.format('%s→%s (%s)', tostring(item.label), item_text(item), tostring(item.detail))
    end
    return table.concat(parts, ', ')
  end

  -- An item inserting `id` whose label or detail names the account.
  local function has_account(items, id, name)
    for _, item in ipairs(items or {}) do
      local text = item_text(item)
      local shown = tostring(item.label) .. ' ' .. tostring(item.detail or '') .. ' ' .. tostring(item.labelDetails and item.labelDetails.description or '')
        .. ' ' .. tostring(item.labelDetails and item.labelDetails.detail or '')
      if text:find(id, 1, true) and shown:find(name, 1, true) then
        return true
      end
    end
    return false
  end

  vim.api.nvim_set_current_buf(settings_buf)
  vim.api.nvim_buf_set_lines(settings_buf, 0, -1, false, {
    '{',
    '  "accounts": [123456, 555555],',
    '  "localDefaultAccount": ',
    '}',
  })
  local items, err = complete(settings_buf, 2, #'  "localDefaultAccount": ')
  check('settings.json: completion after `"localDefaultAccount": ` offers 789012 (sandbox)',
    items ~= nil and has_account(items, '789012', 'sandbox'),
    err or ('items: [' .. summarize(items) .. ']'))

  vim.api.nvim_set_current_buf(hsaccount_buf)
  vim.api.nvim_buf_set_lines(hsaccount_buf, 0, -1, false, { '' })
  items, err = complete(hsaccount_buf, 0, 0)
  check('.hsaccount: completion in an empty file offers 123456 (prod-portal)',
    items ~= nil and has_account(items, '123456', 'prod-portal'),
    err or ('items: [' .. summarize(items) .. ']'))
  -- The edit is seen: the empty file is now invalid in another way (or valid once typed).
  vim.api.nvim_buf_set_lines(hsaccount_buf, 0, -1, false, { '789012' })
  local cleared = vim.wait(timeout, function()
    for _, c in ipairs(codes_of(hsaccount_buf)) do
      if c == 'hsaccount-invalid' then
        return false
      end
    end
    return true
  end, 20)
  check('.hsaccount: typing an id clears hsaccount-invalid (incremental sync)', cleared,
    'still: [' .. describe(hsaccount_buf) .. ']')

  -- Code action: the quick fix for the name in .hsaccount.
  vim.api.nvim_buf_set_lines(hsaccount_buf, 0, -1, false, { 'prod-portal' })
  local d = wait_code(hsaccount_buf, 'hsaccount-invalid')
  local lsp_diags = {}
  for _, diag in ipairs(vim.diagnostic.get(hsaccount_buf)) do
    if diag.user_data and diag.user_data.lsp then
      lsp_diags[#lsp_diags + 1] = diag.user_data.lsp
    end
  end
  local actions_ok, actions_detail = false, 'no hsaccount-invalid diagnostic to fix'
  local caps = client.server_capabilities or {}
  if d and not caps.codeActionProvider then
    actions_detail = 'the server does not advertise codeActionProvider'
  elseif d then
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(hsaccount_buf) },
      range = {
        start = { line = d.lnum, character = d.col },
        ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
      },
      context = { diagnostics = lsp_diags },
    }
    local responses, rerr = vim.lsp.buf_request_sync(hsaccount_buf, 'textDocument/codeAction', params, timeout)
    local r = responses and responses[client_id]
    if not r then
      actions_detail = 'no response: ' .. tostring(rerr)
    elseif r.err then
      actions_detail = 'error: ' .. tostring(r.err.message or vim.inspect(r.err))
    else
      local titles = {}
      for _, a in ipairs((r.result ~= vim.NIL and r.result) or {}) do
        titles[#titles + 1] = tostring(a.title)
        if a.kind == 'quickfix' and tostring(a.title):find('123456', 1, true) then
          actions_ok = true
        end
      end
      actions_detail = 'actions: [' .. table.concat(titles, ' | ') .. ']'
    end
  end
  check('.hsaccount: a quickfix offers to write 123456', actions_ok, actions_detail)

  vim.lsp.stop_client(client_id)
  vim.wait(2000, function()
    return exited ~= nil
  end, 20)
  check('server exits on shutdown', exited ~= nil and exited.code == 0,
    exited and ('exit code ' .. tostring(exited.code)) or 'still running 2 s after stop_client')
end)

if not ok_all then
  check('test script ran to the end', false, tostring(err_all))
end
finish()
