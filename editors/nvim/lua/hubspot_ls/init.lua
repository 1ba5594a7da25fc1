-- hubspot-ls for Neovim: the client configuration, client-side command handlers that ask for
-- what a code action cannot carry (a personal access key, a secret's value), and the
-- :HubSpot… user commands. Works with the 0.11 `vim.lsp.config`/`vim.lsp.enable` API
-- (lsp/hubspot_ls.lua), nvim-lspconfig, and, through `setup()`, with older Neovim down to 0.7.

local M = {}

M.name = 'hubspot_ls'

--- Root markers, nearest first wins.
M.root_markers = { '.hs', '.hsaccount', '.git' }

M.filetypes = { 'yaml', 'json', 'jsonc', 'hsaccount' }

--- The server's commands (workspace/executeCommand) and their titles.
M.command_titles = {
  ['hubspot.account.auth'] = 'Authenticate account',
  ['hubspot.account.list'] = 'List accounts',
  ['hubspot.account.resolve'] = 'Account in force',
  ['hubspot.account.info'] = 'Account info',
  ['hubspot.account.use'] = 'Use account',
  ['hubspot.account.remove'] = 'Remove account',
  ['hubspot.account.clean'] = 'Remove inactive accounts',
  ['hubspot.account.link'] = 'Link accounts',
  ['hubspot.account.unlink'] = 'Unlink accounts',
  ['hubspot.override.migrate'] = 'Migrate .hsaccount',
  ['hubspot.config.migrate'] = 'Migrate hubspot.config.yml',
  ['hubspot.secrets.list'] = 'List secrets',
  ['hubspot.secrets.add'] = 'Add secret',
  ['hubspot.secrets.update'] = 'Update secret',
  ['hubspot.secrets.delete'] = 'Delete secret',
  ['hubspot.files.upload'] = 'Upload',
  ['hubspot.files.fetch'] = 'Fetch',
  ['hubspot.api.request'] = 'API request',
}

--- Options for setup(); also read by the handlers.
M.options = {
  cmd = { 'hubspot-ls' },
  --- Prompt for secrets (personal access keys, secret values) without echoing them
  --- (`vim.fn.inputsecret`); false: `vim.ui.input`, e.g. to use a picker UI plugin.
  masked_secrets = true,
}

-- ---------------------------------------------------------------------------------------------
-- Files

local function normalize(path)
  return (path or ''):gsub('\\', '/')
end

local function dirname(path)
  return vim.fn.fnamemodify(path, ':h')
end

local function exists(path)
  return (vim.loop or vim.uv).fs_stat(path) ~= nil
end

--- Is `path` a file hubspot-ls serves (recognised by path, as the server does)?
function M.is_hubspot_file(path)
  path = normalize(path)
  if path == '' then
    return false
  end
  local env = os.getenv('HUBSPOT_CONFIG_PATH')
  if env and env ~= '' and vim.fn.fnamemodify(env, ':p') == vim.fn.fnamemodify(path, ':p') then
    return true
  end
  return path:match('/%.hscli/config%.yml$') ~= nil
    or path:match('/hubspot%.config%.yml$') ~= nil
    or path:match('/hubspot%.config%.yaml$') ~= nil
    or path:match('/%.hs/settings%.json$') ~= nil
    or path:match('/%.hsaccount$') ~= nil
end

--- The workspace root for a HubSpot file: the nearest folder holding a root marker; the global
--- config's own folder; else the file's folder.
function M.find_root(path)
  path = normalize(path)
  local dir = dirname(path)
  if path:match('/%.hscli/config%.yml$') then
    return dir
  end
  local d = dir
  while d and d ~= '' do
    for _, marker in ipairs(M.root_markers) do
      if exists(d .. '/' .. marker) then
        return d
      end
    end
    local parent = dirname(d)
    if parent == d then
      break
    end
    d = parent
  end
  return dir
end

--- `root_dir` for vim.lsp.config (0.11): attaches to HubSpot files only.
function M.root_dir(bufnr, on_dir)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if M.is_hubspot_file(path) then
    on_dir(M.find_root(path))
  end
end

--- Filetype detection: `.hsaccount` → hsaccount; the global config → yaml.
function M.add_filetypes()
  if not (vim.filetype and vim.filetype.add) then
    return
  end
  vim.filetype.add({
    filename = { ['.hsaccount'] = 'hsaccount' },
    pattern = {
      ['.*/%.hscli/config%.yml'] = 'yaml',
      ['.*/%.hs/settings%.json'] = 'json',
      ['.*/hubspot%.config%.ya?ml'] = 'yaml',
    },
  })
end

-- ---------------------------------------------------------------------------------------------
-- Coroutine helpers: prompts and requests in sequence

local Cancelled = {}

local function notify(msg, level)
  vim.notify('HubSpot: ' .. msg, level or vim.log.levels.INFO)
end

local function resume(co, ...)
  local ok, err = coroutine.resume(co, ...)
  if not ok and err ~= Cancelled then
    notify(tostring(err), vim.log.levels.ERROR)
  end
end

local function run_async(fn, ...)
  resume(coroutine.create(fn), ...)
end

--- vim.ui.input in a coroutine; cancel raises Cancelled, empty gives nil.
local function input(prompt, default, completion)
  local co = coroutine.running()
  vim.ui.input({ prompt = prompt, default = default, completion = completion }, function(v)
    vim.schedule(function()
      resume(co, v)
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

local function required(prompt, default, completion)
  local v = input(prompt, default, completion)
  if v == nil then
    error(Cancelled, 0)
  end
  return v
end

--- A secret: not echoed (vim.fn.inputsecret) unless masked_secrets = false.
local function secret(prompt)
  local v
  if M.options.masked_secrets then
    local ok, r = pcall(vim.fn.inputsecret, prompt)
    v = ok and r or nil
    if v == nil or v == '' then
      error(Cancelled, 0)
    end
    return v
  end
  return required(prompt)
end

local function select(items, opts)
  local co = coroutine.running()
  vim.ui.select(items, opts, function(choice)
    vim.schedule(function()
      resume(co, choice)
    end)
  end)
  local choice = coroutine.yield()
  if choice == nil then
    error(Cancelled, 0)
  end
  return choice
end

local function confirm(question)
  local choice = select({ 'No', 'Yes' }, { prompt = question })
  if choice ~= 'Yes' then
    error(Cancelled, 0)
  end
end

-- ---------------------------------------------------------------------------------------------
-- The client

local function get_clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ name = M.name })
  end
  local out = {}
  for _, c in pairs(vim.lsp.get_active_clients()) do
    if c.name == M.name then
      out[#out + 1] = c
    end
  end
  return out
end

local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- The running hubspot-ls client, started (detached from any buffer) when there is none.
function M.client()
  local own = M._client_id and vim.lsp.get_client_by_id(M._client_id)
  if own and not (own.is_stopped and own.is_stopped()) then
    return own
  end
  local clients = get_clients()
  if #clients > 0 then
    return clients[1]
  end
  local id
  if vim.fn.has('nvim-0.11') == 1 and vim.lsp.config and vim.lsp.config[M.name] then
    local cfg = vim.deepcopy(vim.lsp.config[M.name])
    cfg.name = M.name
    cfg.root_dir = vim.fn.getcwd()
    id = vim.lsp.start(cfg, { attach = false })
  else
    local cfg = M.config()
    cfg.root_dir = vim.fn.getcwd()
    id = vim.lsp.start_client(cfg)
    M._client_id = id
  end
  local client = id and vim.lsp.get_client_by_id(id)
  if not client then
    error('could not start ' .. table.concat(M.options.cmd, ' '), 0)
  end
  vim.wait(10000, function()
    return client.initialized == true or client.is_stopped and client.is_stopped()
  end, 20)
  return client
end

--- workspace/executeCommand in a coroutine: returns the result, or raises the error message.
local function execute(command, arg, bufnr)
  local client = M.client()
  local co = coroutine.running()
  request(client, 'workspace/executeCommand', { command = command, arguments = { arg } }, function(err, result)
    vim.schedule(function()
      resume(co, err, result)
    end)
  end, bufnr)
  local err, result = coroutine.yield()
  if err then
    error(err.message or vim.inspect(err), 0)
  end
  return result
end
M._execute = execute

-- ---------------------------------------------------------------------------------------------
-- Gathering arguments

--- The directory commands act for: the current file's folder (the folder holding `.hs/` for
--- settings.json), else the working directory.
local function context_directory(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr or 0)
  if name ~= '' and vim.bo[bufnr or 0].buftype == '' then
    local dir = dirname(vim.fn.fnamemodify(name, ':p'))
    if vim.fn.fnamemodify(dir, ':t') == '.hs' then
      dir = dirname(dir)
    end
    return dir
  end
  return vim.fn.getcwd()
end

local function account_label(a)
  if type(a) ~= 'table' then
    return tostring(a)
  end
  if a.name and a.name ~= vim.NIL and a.name ~= '' then
    return string.format('%s (%s)', a.name, tostring(a.accountId))
  end
  return tostring(a.accountId)
end

local function list_accounts(directory)
  local r = execute('hubspot.account.list', { directory = directory })
  if type(r) ~= 'table' then
    r = {}
  end
  return type(r.accounts) == 'table' and r.accounts or {}, type(r.linked) == 'table' and r.linked or {}
end

local function account_ref(a)
  if a.name and a.name ~= vim.NIL and a.name ~= '' then
    return tostring(a.name)
  end
  return tostring(a.accountId)
end

local IN_FORCE = { label = 'the account in force here' }

local function pick_account(prompt, directory, allow_in_force)
  local accounts = list_accounts(directory)
  local items = {}
  if allow_in_force then
    items[#items + 1] = IN_FORCE
  end
  for _, a in ipairs(accounts) do
    items[#items + 1] = a
  end
  if #accounts == 0 then
    error('no accounts are configured: run :HubSpotAccountAuth first', 0)
  end
  local choice = select(items, {
    prompt = prompt,
    format_item = function(a)
      if a == IN_FORCE then
        return IN_FORCE.label
      end
      return account_label(a) .. (a.isDefault and ' [default]' or '') .. (a.accountType and a.accountType ~= vim.NIL and (' ' .. a.accountType) or '')
    end,
  })
  if choice == IN_FORCE then
    return nil
  end
  return account_ref(choice)
end

local function optional_account(arg, interactive, prompt, bufnr)
  if arg.directory == nil then
    arg.directory = context_directory(bufnr)
  end
  if interactive and arg.account == nil then
    -- Only to offer a choice: when the list cannot be had, the account in force is used.
    local ok, accounts = pcall(list_accounts, arg.directory)
    if ok and #accounts > 1 then
      arg.account = pick_account(prompt, arg.directory, true)
    end
  end
end

local function ids(text)
  local out = {}
  for part in tostring(text):gmatch('[^,%s]+') do
    out[#out + 1] = tonumber(part) or part
  end
  return out
end

local function find_upward(names, start)
  local d = start
  while d and d ~= '' do
    for _, n in ipairs(names) do
      if exists(d .. '/' .. n) then
        return d .. '/' .. n
      end
    end
    local parent = dirname(d)
    if parent == d then
      break
    end
    d = parent
  end
  return nil
end

local function secret_name_ok(v)
  if not v:match('^[%w_]+$') then
    error('a secret name holds letters, digits and underscores only', 0)
  end
  return v
end

--- One gatherer per command: fills what is missing. `interactive`: run from a user command
--- (ask for optional fields too); otherwise from a code action (ask only for what it lacks).
M.gatherers = {
  ['hubspot.account.auth'] = function(arg, interactive)
    if arg.personalAccessKey == nil or arg.personalAccessKey == '' then
      arg.personalAccessKey = secret('HubSpot personal access key: ')
    end
    if interactive then
      arg.name = arg.name or input('Account name (optional, no spaces): ')
      if arg.env == nil then
        local env = select({ 'prod', 'qa' }, { prompt = 'Environment' })
        if env ~= 'prod' then
          arg.env = env
        end
      end
      if arg.makeDefault == nil and select({ 'No', 'Yes' }, { prompt = 'Make it the default account?' }) == 'Yes' then
        arg.makeDefault = true
      end
    end
    return arg
  end,
  ['hubspot.account.list'] = function(arg, _, bufnr)
    arg.directory = arg.directory or context_directory(bufnr)
    return arg
  end,
  ['hubspot.account.resolve'] = function(arg, _, bufnr)
    arg.directory = arg.directory or context_directory(bufnr)
    return arg
  end,
  ['hubspot.account.info'] = function(arg, interactive, bufnr)
    optional_account(arg, interactive, 'Account', bufnr)
    return arg
  end,
  ['hubspot.account.use'] = function(arg, interactive, bufnr)
    if interactive then
      arg.directory = arg.directory or context_directory(bufnr)
    end
    arg.account = arg.account or pick_account('Use account', arg.directory, false)
    return arg
  end,
  ['hubspot.account.remove'] = function(arg, interactive)
    arg.account = arg.account or pick_account('Remove account', nil, false)
    if interactive then
      confirm('Remove the HubSpot account ' .. tostring(arg.account) .. ' from the global config?')
    end
    return arg
  end,
  ['hubspot.account.clean'] = function(arg, interactive)
    if interactive and arg.dryRun == nil then
      arg.dryRun = select({ 'Preview (dry run)', 'Remove inactive accounts' }, { prompt = 'Inactive accounts' }) == 'Preview (dry run)'
    end
    return arg
  end,
  ['hubspot.account.link'] = function(arg, _, bufnr)
    arg.directory = arg.directory or required('Folder to link: ', context_directory(bufnr), 'dir')
    if arg.accounts == nil then
      local accounts, linked = list_accounts(arg.directory)
      local known = {}
      for _, a in ipairs(accounts) do
        known[#known + 1] = account_label(a)
      end
      local default = {}
      for _, id in ipairs(linked) do
        default[#default + 1] = tostring(id)
      end
      arg.accounts = ids(required('Account ids to link (' .. table.concat(known, ', ') .. '): ', table.concat(default, ', ')))
      if #arg.accounts > 1 and arg.defaultAccount == nil then
        local choices = { '(none)' }
        for _, id in ipairs(arg.accounts) do
          choices[#choices + 1] = tostring(id)
        end
        local d = select(choices, { prompt = 'Local default account' })
        if d ~= '(none)' then
          arg.defaultAccount = tonumber(d) or d
        end
      end
    end
    return arg
  end,
  ['hubspot.account.unlink'] = function(arg, _, bufnr)
    arg.directory = arg.directory or required('Folder to unlink: ', context_directory(bufnr), 'dir')
    if arg.accounts == nil then
      local _, linked = list_accounts(arg.directory)
      local default = {}
      for _, id in ipairs(linked) do
        default[#default + 1] = tostring(id)
      end
      arg.accounts = ids(required('Account ids to unlink: ', table.concat(default, ', ')))
    end
    return arg
  end,
  ['hubspot.override.migrate'] = function(arg, _, bufnr)
    if arg.path == nil then
      local name = vim.api.nvim_buf_get_name(bufnr or 0)
      if vim.fn.fnamemodify(name, ':t') == '.hsaccount' then
        arg.path = name
      else
        arg.path = find_upward({ '.hsaccount' }, context_directory(bufnr))
          or error('no .hsaccount here or above: open one first', 0)
      end
    end
    return arg
  end,
  ['hubspot.config.migrate'] = function(arg, interactive, bufnr)
    if arg.path == nil then
      local name = vim.api.nvim_buf_get_name(bufnr or 0)
      local t = vim.fn.fnamemodify(name, ':t')
      if t == 'hubspot.config.yml' or t == 'hubspot.config.yaml' then
        arg.path = name
      else
        arg.path = find_upward({ 'hubspot.config.yml', 'hubspot.config.yaml' }, context_directory(bufnr))
          or error('no hubspot.config.yml here or above: open one first', 0)
      end
    end
    if interactive then
      confirm('Migrate ' .. arg.path .. ' into the global config (existing values win)?')
    end
    return arg
  end,
  ['hubspot.secrets.list'] = function(arg, interactive, bufnr)
    optional_account(arg, interactive, 'Account', bufnr)
    return arg
  end,
  ['hubspot.secrets.add'] = function(arg, interactive, bufnr)
    optional_account(arg, interactive, 'Account', bufnr)
    arg.name = arg.name or secret_name_ok(required('Secret name: '))
    if arg.value == nil then
      arg.value = secret('Value of ' .. arg.name .. ': ')
    end
    return arg
  end,
  ['hubspot.secrets.update'] = function(arg, interactive, bufnr)
    optional_account(arg, interactive, 'Account', bufnr)
    arg.name = arg.name or secret_name_ok(required('Secret name: '))
    if arg.value == nil then
      arg.value = secret('New value of ' .. arg.name .. ': ')
    end
    return arg
  end,
  ['hubspot.secrets.delete'] = function(arg, interactive, bufnr)
    optional_account(arg, interactive, 'Account', bufnr)
    arg.name = arg.name or secret_name_ok(required('Secret to delete: '))
    if interactive then
      confirm('Delete the secret ' .. arg.name .. '?')
    end
    return arg
  end,
  ['hubspot.files.upload'] = function(arg, interactive, bufnr)
    arg.src = arg.src or required('Upload (file or folder): ', vim.api.nvim_buf_get_name(bufnr or 0), 'file')
    arg.dest = arg.dest or required('Destination in the Design Manager: ', vim.fn.fnamemodify(arg.src, ':t'))
    optional_account(arg, interactive, 'Account', bufnr)
    return arg
  end,
  ['hubspot.files.fetch'] = function(arg, interactive, bufnr)
    arg.src = arg.src or required('Fetch from the Design Manager: ')
    arg.dest = arg.dest or required('Into folder: ', vim.fn.getcwd(), 'dir')
    if interactive and arg.overwrite == nil then
      arg.overwrite = select({ 'Keep existing files', 'Overwrite existing files' }, { prompt = 'Existing files' })
        == 'Overwrite existing files'
    end
    optional_account(arg, interactive, 'Account', bufnr)
    return arg
  end,
  ['hubspot.api.request'] = function(arg, interactive, bufnr)
    arg.path = arg.path or required('API path: ', '/account-info/v3/details')
    if interactive and arg.method == nil then
      arg.method = select({ 'GET', 'POST', 'PUT', 'PATCH', 'DELETE' }, { prompt = 'Method' })
    end
    local m = tostring(arg.method or 'GET'):upper()
    if interactive and arg.data == nil and (m == 'POST' or m == 'PUT' or m == 'PATCH') then
      local data = input('JSON body (optional): ')
      if data then
        local ok, decoded = pcall(vim.fn.json_decode, data)
        if not ok then
          error('the body is not JSON: ' .. tostring(decoded), 0)
        end
        arg.data = decoded
      end
    end
    optional_account(arg, interactive, 'Account', bufnr)
    return arg
  end,
}

-- ---------------------------------------------------------------------------------------------
-- Reporting

local function list_text(t)
  if type(t) ~= 'table' or #t == 0 then
    return 'none'
  end
  local out = {}
  for _, v in ipairs(t) do
    out[#out + 1] = tostring(v)
  end
  return table.concat(out, ', ')
end

function M.format_result(command, arg, r)
  r = type(r) == 'table' and r or {}
  if command == 'hubspot.account.auth' then
    return 'authenticated ' .. account_label(r) .. (r.accountType and r.accountType ~= vim.NIL and (', ' .. r.accountType) or '')
  elseif command == 'hubspot.account.list' then
    local lines = {}
    for _, a in ipairs(type(r.accounts) == 'table' and r.accounts or {}) do
      lines[#lines + 1] = '  ' .. account_label(a) .. (a.isDefault and ' [default]' or '')
        .. (a.accountType and a.accountType ~= vim.NIL and (' ' .. a.accountType) or '')
    end
    return #lines .. ' account(s)\n' .. table.concat(lines, '\n')
      .. (type(r.linked) == 'table' and #r.linked > 0 and ('\nlinked here: ' .. list_text(r.linked)) or '')
  elseif command == 'hubspot.account.resolve' then
    return 'account in force: ' .. account_label(r) .. ', from ' .. tostring(r.source)
      .. (r.path and r.path ~= vim.NIL and (' (' .. r.path .. ')') or '')
  elseif command == 'hubspot.account.info' then
    return account_label(r) .. ', scopes: ' .. list_text(r.scopes)
  elseif command == 'hubspot.account.clean' then
    return (arg.dryRun and 'would remove: ' or 'removed: ') .. list_text(r.removed)
  elseif command == 'hubspot.secrets.list' then
    return 'secrets: ' .. list_text(r.secrets)
  elseif command == 'hubspot.files.upload' then
    return 'uploaded ' .. list_text(r.uploaded)
  elseif command == 'hubspot.files.fetch' then
    return 'wrote ' .. list_text(r.written) .. (type(r.skipped) == 'table' and #r.skipped > 0 and ('; skipped ' .. list_text(r.skipped)) or '')
  elseif command == 'hubspot.api.request' then
    local body = r.body
    if type(body) == 'table' then
      body = vim.fn.json_encode(body)
    end
    return tostring(arg.method or 'GET') .. ' ' .. tostring(arg.path) .. ': ' .. tostring(r.status) .. '\n' .. tostring(body)
  elseif command == 'hubspot.config.migrate' then
    return 'migrated to ' .. tostring(r.configPath) .. (r.archivedPath and r.archivedPath ~= vim.NIL and ('; old file: ' .. r.archivedPath) or '')
  end
  local what = {
    ['hubspot.account.use'] = 'now using ' .. tostring(arg.account),
    ['hubspot.account.remove'] = 'removed ' .. tostring(arg.account),
    ['hubspot.account.link'] = 'linked ' .. list_text(arg.accounts),
    ['hubspot.account.unlink'] = 'unlinked ' .. list_text(arg.accounts),
    ['hubspot.override.migrate'] = 'migrated ' .. tostring(arg.path) .. ' to .hs/settings.json',
    ['hubspot.secrets.add'] = 'added secret ' .. tostring(arg.name),
    ['hubspot.secrets.update'] = 'updated secret ' .. tostring(arg.name),
    ['hubspot.secrets.delete'] = 'deleted secret ' .. tostring(arg.name),
  }
  return what[command] or ((M.command_titles[command] or command) .. ': done')
end

--- Does this error message (a JSON-RPC error from the server) say that a key is needed?
function M.key_needed(message)
  local m = tostring(message):lower()
  local about_key = m:find('personal access key', 1, true) or m:find('personalaccesskey', 1, true) or m:find('%f[%w]key%f[%W]')
  local needed = m:find('need') or m:find('required') or m:find('missing') or m:find('provide') or m:find('without')
  return about_key ~= nil and needed ~= nil
end

--- Runs a server command: gathers what is missing, executes, reports with vim.notify.
--- `on_done(err, result)` is called at the end (for tests and scripts).
function M.run(command, arg, opts)
  opts = opts or {}
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  run_async(function()
    local a = vim.deepcopy(arg or {})
    local gather = M.gatherers[command]
    local ok, err = pcall(function()
      local interactive = opts.interactive
      if interactive == nil then
        interactive = arg == nil
      end
      if gather then
        a = gather(a, interactive, bufnr) or a
      end
    end)
    if not ok then
      if err ~= Cancelled then
        notify((M.command_titles[command] or command) .. ': ' .. tostring(err), vim.log.levels.ERROR)
      end
      if opts.on_done then
        opts.on_done(err == Cancelled and 'cancelled' or tostring(err), nil)
      end
      return
    end
    local ok2, result = pcall(execute, command, a, bufnr)
    if not ok2 and command == 'hubspot.account.auth' and M.key_needed(result) then
      -- The server answers an auth without a usable key with an error saying a key is needed:
      -- ask for it (masked) and run the command again, once.
      local asked, key = pcall(secret, tostring(result) .. ' Personal access key: ')
      if asked then
        a.personalAccessKey = key
        ok2, result = pcall(execute, command, a, bufnr)
      end
    end
    if not ok2 then
      notify((M.command_titles[command] or command) .. ' failed: ' .. tostring(result), vim.log.levels.ERROR)
      if opts.on_done then
        opts.on_done(tostring(result), nil)
      end
      return
    end
    if not opts.silent then
      notify(M.format_result(command, a, result))
    end
    if opts.on_done then
      opts.on_done(nil, result)
    end
  end)
end

--- Client-side handlers for code-action commands: `commands` in the client config. A code
--- action's command lacking a key or a secret value gets it asked for, then goes to the server.
function M.command_handlers()
  local handlers = {}
  for command in pairs(M.command_titles) do
    handlers[command] = function(cmd, ctx)
      local arg = cmd.arguments and cmd.arguments[1]
      M.run(cmd.command, type(arg) == 'table' and arg or {}, { interactive = false, bufnr = ctx and ctx.bufnr })
    end
  end
  return handlers
end

-- ---------------------------------------------------------------------------------------------
-- User commands

local function split_args(s)
  local out = {}
  for w in (s or ''):gmatch('%S+') do
    out[#out + 1] = w
  end
  return out
end

M.user_commands = {
  HubSpotAccountAuth = { 'hubspot.account.auth', nargs = 0 },
  HubSpotAccountList = { 'hubspot.account.list', nargs = 0 },
  HubSpotAccountResolve = { 'hubspot.account.resolve', nargs = '?', complete = 'dir', args = function(a)
    return a[1] and { directory = vim.fn.fnamemodify(a[1], ':p') } or nil
  end },
  HubSpotAccountInfo = { 'hubspot.account.info', nargs = '?', args = function(a)
    return a[1] and { account = a[1] } or nil
  end },
  HubSpotAccountUse = { 'hubspot.account.use', nargs = '?', args = function(a)
    return a[1] and { account = a[1] } or nil
  end },
  HubSpotAccountRemove = { 'hubspot.account.remove', nargs = '?', args = function(a)
    return a[1] and { account = a[1] } or nil
  end },
  HubSpotAccountClean = { 'hubspot.account.clean', nargs = 0 },
  HubSpotAccountLink = { 'hubspot.account.link', nargs = 0 },
  HubSpotAccountUnlink = { 'hubspot.account.unlink', nargs = 0 },
  HubSpotOverrideMigrate = { 'hubspot.override.migrate', nargs = 0 },
  HubSpotConfigMigrate = { 'hubspot.config.migrate', nargs = 0 },
  HubSpotSecretsList = { 'hubspot.secrets.list', nargs = 0 },
  HubSpotSecretsAdd = { 'hubspot.secrets.add', nargs = '?', args = function(a)
    return a[1] and { name = a[1] } or nil
  end },
  HubSpotSecretsUpdate = { 'hubspot.secrets.update', nargs = '?', args = function(a)
    return a[1] and { name = a[1] } or nil
  end },
  HubSpotSecretsDelete = { 'hubspot.secrets.delete', nargs = '?', args = function(a)
    return a[1] and { name = a[1] } or nil
  end },
  HubSpotUpload = { 'hubspot.files.upload', nargs = '*', complete = 'file', args = function(a)
    return a[1] and { src = vim.fn.fnamemodify(a[1], ':p'), dest = a[2] } or nil
  end },
  HubSpotFetch = { 'hubspot.files.fetch', nargs = '*', args = function(a)
    return a[1] and { src = a[1], dest = a[2] and vim.fn.fnamemodify(a[2], ':p') or vim.fn.getcwd() } or nil
  end },
  HubSpotApi = { 'hubspot.api.request', nargs = '*', args = function(a)
    if not a[1] then
      return nil
    end
    local method, path = 'GET', a[1]
    if a[1]:match('^%u+$') and a[2] then
      method, path = a[1], a[2]
    end
    return { method = method, path = path }
  end },
}

function M.create_user_commands()
  for name, spec in pairs(M.user_commands) do
    vim.api.nvim_create_user_command(name, function(info)
      local a = split_args(info.args)
      local arg = spec.args and spec.args(a) or nil
      -- Given arguments still get the rest asked for, interactively.
      M.run(spec[1], arg, { interactive = true })
    end, { nargs = spec.nargs, complete = spec.complete, desc = 'HubSpot: ' .. M.command_titles[spec[1]] })
  end
end

-- ---------------------------------------------------------------------------------------------
-- Configuration

--- The client configuration, for vim.lsp.config (0.11), nvim-lspconfig, or vim.lsp.start.
function M.config(overrides)
  local cfg = {
    name = M.name,
    cmd = M.options.cmd,
    filetypes = M.filetypes,
    root_markers = M.root_markers,
    root_dir = M.root_dir,
    workspace_required = false,
    -- One server serves every HubSpot file: the global config, projects, per-folder files.
    reuse_client = function(client, config)
      return client.name == config.name
    end,
    commands = M.command_handlers(),
    init_options = vim.empty_dict and vim.empty_dict() or {},
  }
  return vim.tbl_deep_extend('force', cfg, overrides or {})
end

--- For Neovim before 0.11 (and without nvim-lspconfig): attach on FileType/BufEnter.
--- `opts`: { cmd = {...}, masked_secrets = bool, init_options = {...}, on_attach = fn }
function M.setup(opts)
  opts = opts or {}
  if opts.cmd then
    M.options.cmd = opts.cmd
  end
  if opts.masked_secrets ~= nil then
    M.options.masked_secrets = opts.masked_secrets
  end
  M.add_filetypes()
  M.create_user_commands()
  local group = vim.api.nvim_create_augroup('hubspot_ls', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile', 'FileType' }, {
    group = group,
    callback = function(ev)
      M.attach(ev.buf, opts)
    end,
  })
end

--- Attaches the (shared) hubspot-ls client to `bufnr` when it is a HubSpot file.
function M.attach(bufnr, opts)
  opts = opts or {}
  local path = vim.api.nvim_buf_get_name(bufnr)
  if not M.is_hubspot_file(path) then
    return nil
  end
  local cfg = M.config({ init_options = opts.init_options, on_attach = opts.on_attach })
  cfg.root_dir = M.find_root(path)
  if vim.lsp.start then
    return vim.lsp.start(cfg, { bufnr = bufnr, reuse_client = cfg.reuse_client })
  end
  -- Neovim 0.7: one client for all (tracked here: 0.7 lists a client only once initialized).
  local id = M._client_id
  local existing = id and vim.lsp.get_client_by_id(id)
  if not existing or (existing.is_stopped and existing.is_stopped()) then
    id = vim.lsp.start_client(cfg)
    M._client_id = id
  end
  if id and not vim.lsp.buf_is_attached(bufnr, id) then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

return M
