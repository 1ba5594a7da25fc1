-- hubspot-ls in a real Neovim (Debian's 0.7: vim.lsp.start_client + vim.lsp.buf_attach_client).
--
-- Run: HOME=<tmp>/home TEST_ROOT=<tmp> HUBSPOT_LS=<binary> \
--      nvim --headless -u NONE -c 'luafile tests/editors/nvim/test_nvim07.lua'
-- <tmp> holds a copy of tests/editors/fixtures (home/.hscli/config.yml, project/...).
-- Prints one line per check and exits 0 when every check passed, 1 otherwise.

local bin = os.getenv('HUBSPOT_LS') or 'hubspot-ls'
local root = assert(os.getenv('TEST_ROOT'), 'TEST_ROOT is not set')
local home = assert(os.getenv('HOME'), 'HOME is not set')
-- The shared harness sits next to this file.
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*)/') or '.'
local H = dofile(here .. '/harness.lua')('nvim')
local check, wait_for, timeout = H.check, H.wait_for, H.timeout

H.run(function()
  local v = vim.version()
  H.out('nvim ' .. v.major .. '.' .. v.minor .. '.' .. v.patch)

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
  local initialized = wait_for('the initialize response', function()
    local c = vim.lsp.get_client_by_id(client_id)
    return (c ~= nil and c.initialized) or exited ~= nil
  end)
  local client = vim.lsp.get_client_by_id(client_id)
  check('initialize', initialized and client ~= nil and exited == nil,
    exited and ('server exited with code ' .. tostring(exited.code)) or 'no initialize response')
  if not client or exited then
    return
  end

  local function open(path, filetype)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local buf = vim.api.nvim_get_current_buf()
    vim.api.nvim_buf_set_option(buf, 'filetype', filetype)
    vim.lsp.buf_attach_client(buf, client_id)
    return buf
  end

  -- Waits until the buffer has a diagnostic with `code` (on 1-based `line`, when given);
  -- returns it (or nil).
  local function wait_code(buf, code, line)
    if not wait_for('a `' .. code .. '` diagnostic', function()
      return H.find_code(buf, code, line) ~= nil
    end) then
      return nil
    end
    return H.find_code(buf, code, line)
  end

  local function expect_code(what, buf, code, line, msg_pattern)
    local d = wait_code(buf, code, line)
    local detail = 'no `' .. code .. '` diagnostic' .. (line and (' on line ' .. line) or '') .. '; got: ' .. H.describe(buf)

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

  -- 1. The global config: `httpTimeout: fast` (type), an unknown key (unknown-key), an account
  --    name with a space (name-whitespace).
  local config_buf = open(home .. '/.hscli/config.yml', 'yaml')
  expect_code('global config: type on `httpTimeout: fast`', config_buf, 'type', 3, 'httpTimeout')
  expect_code('global config: unknown-key on `colour`', config_buf, 'unknown-key', 5, 'colour')
  expect_code('global config: name-whitespace on `name: my sandbox`', config_buf, 'name-whitespace', 27, 'my sandbox')

  -- 1b. A legacy hubspot.config.yml next to the global config: ignored by the CLI, old key names.
  local legacy_buf = open(root .. '/legacy/hubspot.config.yml', 'yaml')
  expect_code('legacy hubspot.config.yml: legacy-config-ignored on line 1', legacy_buf, 'legacy-config-ignored', 1)
  expect_code('legacy hubspot.config.yml: deprecated on `portals`', legacy_buf, 'deprecated', 3, 'portals')
  expect_code('legacy hubspot.config.yml: enum on `env: staging`', legacy_buf, 'enum', 8, 'staging')

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
  -- The global config: account ids after `defaultAccount: `.
  vim.api.nvim_set_current_buf(config_buf)
  local saved_config = vim.api.nvim_buf_get_lines(config_buf, 0, -1, false)
  vim.api.nvim_buf_set_lines(config_buf, 1, 2, false, { 'defaultAccount: ' })
  items, err = complete(config_buf, 1, #'defaultAccount: ')
  check('global config: completion after `defaultAccount: ` offers 345678 (my sandbox)',
    items ~= nil and has_account(items, '345678', 'my sandbox'),
    err or ('items: [' .. summarize(items) .. ']'))
  vim.api.nvim_buf_set_lines(config_buf, 0, -1, false, saved_config)

  -- The legacy config: account ids after `defaultPortal: ` (its own portals).
  vim.api.nvim_set_current_buf(legacy_buf)
  local saved_legacy = vim.api.nvim_buf_get_lines(legacy_buf, 0, -1, false)
  vim.api.nvim_buf_set_lines(legacy_buf, 1, 2, false, { 'defaultPortal: ' })
  items, err = complete(legacy_buf, 1, #'defaultPortal: ')
  check('legacy hubspot.config.yml: completion after `defaultPortal: ` offers 111111 (old-portal)',
    items ~= nil and has_account(items, '111111', 'old-portal'),
    err or ('items: [' .. summarize(items) .. ']'))
  vim.api.nvim_buf_set_lines(legacy_buf, 0, -1, false, saved_legacy)

  vim.api.nvim_set_current_buf(hsaccount_buf)
  -- The edit is seen: the empty file is now invalid in another way (or valid once typed).
  vim.api.nvim_buf_set_lines(hsaccount_buf, 0, -1, false, { '789012' })
  local cleared = wait_for('hsaccount-invalid to clear', function()
    return H.find_code(hsaccount_buf, 'hsaccount-invalid') == nil
  end)
  check('.hsaccount: typing an id clears hsaccount-invalid (incremental sync)', cleared,
    'still: ' .. H.describe(hsaccount_buf))

  -- Code action: the quick fix for the name in .hsaccount.
  vim.api.nvim_buf_set_lines(hsaccount_buf, 0, -1, false, { 'prod-portal' })
  local d = wait_code(hsaccount_buf, 'hsaccount-invalid')
  -- The line's diagnostics in LSP form (range, severity, code, message), as
  -- vim.lsp.buf.code_action() sends them.
  local lsp_diags = d and vim.lsp.diagnostic.get_line_diagnostics(hsaccount_buf, d.lnum, nil, client_id) or {}
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

  -- Code action: the quick fix for `name: my sandbox` is exactly `Rename to "my-sandbox"`, a
  -- quickfix whose one TextEdit touches only the name's value; applied, the diagnostic goes.
  local function edits_of(action)
    local edits = {}
    local we = action.edit or {}
    for uri, list in pairs(we.changes or {}) do
      for _, e in ipairs(list) do
        edits[#edits + 1] = { uri = uri, edit = e }
      end
    end
    for _, dc in ipairs(we.documentChanges or {}) do
      if dc.textDocument then
        for _, e in ipairs(dc.edits or {}) do
          edits[#edits + 1] = { uri = dc.textDocument.uri, edit = e }
        end
      else
        edits[#edits + 1] = { uri = tostring(dc.uri), edit = dc }
      end
    end
    return edits
  end
  vim.api.nvim_set_current_buf(config_buf)
  local ws_diag = wait_code(config_buf, 'name-whitespace')
  local rename_ok, rename_detail = false, 'no name-whitespace diagnostic to fix'
  if ws_diag and not caps.codeActionProvider then
    rename_detail = 'the server does not advertise codeActionProvider'
  elseif ws_diag then
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(config_buf) },
      range = {
        start = { line = ws_diag.lnum, character = ws_diag.col },
        ['end'] = { line = ws_diag.end_lnum or ws_diag.lnum, character = ws_diag.end_col or ws_diag.col },
      },
      context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(config_buf, ws_diag.lnum, nil, client_id), only = { 'quickfix' } },
    }
    local responses, rerr = vim.lsp.buf_request_sync(config_buf, 'textDocument/codeAction', params, timeout)
    local r = responses and responses[client_id]
    if not r then
      rename_detail = 'no response: ' .. tostring(rerr)
    elseif r.err then
      rename_detail = 'error: ' .. tostring(r.err.message or vim.inspect(r.err))
    else
      local titles, action = {}, nil
      for _, a in ipairs((r.result ~= vim.NIL and r.result) or {}) do
        titles[#titles + 1] = tostring(a.title) .. ' (' .. tostring(a.kind) .. ')'
        if a.title == 'Rename to "my-sandbox"' then
          action = a
        end
      end
      rename_detail = 'actions: [' .. table.concat(titles, ' | ') .. ']'
      if action then
        if action.edit == nil and action.data ~= nil and caps.codeActionProvider and type(caps.codeActionProvider) == 'table'
          and caps.codeActionProvider.resolveProvider then
          local rr = vim.lsp.buf_request_sync(config_buf, 'codeAction/resolve', action, timeout)
          if rr and rr[client_id] and rr[client_id].result then
            action = rr[client_id].result
          end
        end
        local edits = edits_of(action)
        local e = edits[1] and edits[1].edit
        if action.kind ~= 'quickfix' then
          rename_detail = 'kind is ' .. tostring(action.kind) .. ', not quickfix'
        elseif #edits ~= 1 or edits[1].uri ~= vim.uri_from_bufnr(config_buf) or not e.range then
          rename_detail = 'expected one TextEdit on the config, got: ' .. vim.inspect(action.edit)
        elseif e.range.start.line ~= 26 or e.range['end'].line ~= 26 or e.range.start.character < 10 or e.range['end'].character > 20 then
          rename_detail = 'the TextEdit is not on the value `my sandbox` (line 27, columns 11-20): ' .. vim.inspect(e)
        else
          vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
          local line = vim.api.nvim_buf_get_lines(config_buf, 26, 27, false)[1]
          local gone = wait_for('name-whitespace to clear', function()
            return H.find_code(config_buf, 'name-whitespace') == nil
          end)
          if line ~= '  - name: my-sandbox' then
            rename_detail = 'after the edit line 27 reads ' .. vim.inspect(line)
          elseif not gone then
            rename_detail = 'name-whitespace is still reported: ' .. H.describe(config_buf)
          else
            rename_ok = true
          end
        end
      end
    end
  end
  check('global config: quickfix `Rename to "my-sandbox"` renames the value and clears name-whitespace', rename_ok, rename_detail)

  vim.lsp.stop_client(client_id)
  local stopped = wait_for('the server to exit', function()
    return exited ~= nil
  end)
  check('server exits on shutdown', stopped and exited.code == 0,
    exited and ('exit code ' .. tostring(exited.code)) or 'still running after stop_client')
end)
