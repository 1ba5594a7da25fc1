-- Running a server command: gathering its arguments, executing it, reporting the outcome with
-- vim.notify; the client-side handlers of code-action commands; the :HubSpot… user commands.

local U = require('hubspot_ls.util')
local Cancelled, notify, secret, execute, run_async = U.Cancelled, U.notify, U.secret, U.execute, U.run_async
local account_label, list_text, split_args = U.account_label, U.list_text, U.split_args

local M = {}

-- Through the public table, so that what a user replaces there (format_result, gatherers…) counts.
local function hs()
  return require('hubspot_ls')
end

local function titles()
  return hs().command_titles
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
  elseif command == 'hubspot.sandbox.create' then
    return 'created sandbox ' .. account_label({ name = r.name, accountId = r.accountId })
      .. (U.present(r.accountType) and (', ' .. r.accountType) or '')
      .. (U.present(r.parentAccountId) and (', parent ' .. tostring(r.parentAccountId)) or '')
      .. (U.present(r.status) and (', status ' .. tostring(r.status)) or '')
  elseif command == 'hubspot.sandbox.delete' then
    return 'deleted sandbox ' .. tostring(arg.account)
      .. (r.deletedInHubSpot == false and ' from the config (HubSpot no longer had it)' or '')
      .. (U.present(r.defaultAccount) and ('; default account: ' .. tostring(r.defaultAccount)) or '')
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
  return what[command] or ((titles()[command] or command) .. ': done')
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
    local gather = hs().gatherers[command]
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
        notify((titles()[command] or command) .. ': ' .. tostring(err), vim.log.levels.ERROR)
      end
      if opts.on_done then
        opts.on_done(err == Cancelled and 'cancelled' or tostring(err), nil)
      end
      return
    end
    local ok2, result = pcall(execute, command, a, bufnr)
    if not ok2 and command == 'hubspot.account.auth' and hs().key_needed(result) then
      -- The server answers an auth without a usable key with an error saying a key is needed:
      -- ask for it (masked) and run the command again, once.
      local asked, key = pcall(secret, tostring(result) .. ' Personal access key: ')
      if asked then
        a.personalAccessKey = key
        ok2, result = pcall(execute, command, a, bufnr)
      end
    end
    if not ok2 then
      notify((titles()[command] or command) .. ' failed: ' .. tostring(result), vim.log.levels.ERROR)
      if opts.on_done then
        opts.on_done(tostring(result), nil)
      end
      return
    end
    if not opts.silent then
      notify(hs().format_result(command, a, result))
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
  for command in pairs(titles()) do
    handlers[command] = function(cmd, ctx)
      local arg = cmd.arguments and cmd.arguments[1]
      hs().run(cmd.command, type(arg) == 'table' and arg or {}, { interactive = false, bufnr = ctx and ctx.bufnr })
    end
  end
  return handlers
end

-- ---------------------------------------------------------------------------------------------
-- User commands

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
  -- A sandbox's name may hold spaces ("Orbit Dev Box"): the whole argument is the name.
  HubSpotSandboxCreate = { 'hubspot.sandbox.create', nargs = '?', args = function(_, raw)
    raw = vim.trim(raw or '')
    return raw ~= '' and { name = raw } or nil
  end },
  HubSpotSandboxDelete = { 'hubspot.sandbox.delete', nargs = '?', args = function(a)
    return a[1] and { account = a[1] } or nil
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
  vim.api.nvim_create_user_command('HubSpotAccounts', function()
    hs().accounts()
  end, { nargs = 0, desc = 'HubSpot: accounts and what to do with them' })
  for name, spec in pairs(hs().user_commands) do
    vim.api.nvim_create_user_command(name, function(info)
      local a = split_args(info.args)
      local arg = spec.args and spec.args(a, info.args) or nil
      -- Given arguments still get the rest asked for, interactively.
      hs().run(spec[1], arg, { interactive = true })
    end, { nargs = spec.nargs, complete = spec.complete, desc = 'HubSpot: ' .. titles()[spec[1]] })
  end
end

return M
