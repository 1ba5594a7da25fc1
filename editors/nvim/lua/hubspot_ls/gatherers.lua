-- One gatherer per server command: fills in what a command lacks before it goes to the server,
-- asking with vim.ui.input / vim.ui.select, and with a masked prompt for keys and secret values.

local U = require('hubspot_ls.util')
local input, required, secret, select, confirm = U.input, U.required, U.secret, U.select, U.confirm
local context_directory, account_label, account_ref = U.context_directory, U.account_label, U.account_ref
local ids, find_upward = U.ids, U.find_upward

local G = {}

--- The configured accounts (hubspot.account.list for `directory`) and the ids linked there.
function G.list_accounts(directory)
  local r = U.execute('hubspot.account.list', { directory = directory })
  if type(r) ~= 'table' then
    r = {}
  end
  return type(r.accounts) == 'table' and r.accounts or {}, type(r.linked) == 'table' and r.linked or {}
end
local list_accounts = G.list_accounts

local IN_FORCE = { label = 'the account in force here' }

--- Picks an account from hubspot.account.list: all of them, or those `filter` keeps (`none`
--- says why there are none); with `allow_in_force`, "the account in force here" first (nil).
local function pick_account(prompt, directory, allow_in_force, filter, none)
  local accounts = list_accounts(directory)
  if filter then
    accounts = vim.tbl_filter(filter, accounts)
  end
  local items = {}
  if allow_in_force then
    items[#items + 1] = IN_FORCE
  end
  for _, a in ipairs(accounts) do
    items[#items + 1] = a
  end
  if #accounts == 0 then
    error(none or 'no accounts are configured: run :HubSpotAccountAuth first', 0)
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

function G.secret_name_ok(v)
  if not v:match('^[%w_]+$') then
    error('a secret name holds letters, digits and underscores only', 0)
  end
  return v
end
local secret_name_ok = G.secret_name_ok

--- `interactive`: run from a user command (ask for optional fields too); otherwise from a code
--- action (ask only for what it lacks).
G.gatherers = {
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
  ['hubspot.sandbox.create'] = function(arg, interactive, bufnr)
    arg.directory = arg.directory or context_directory(bufnr)
    if arg.type == nil then
      arg.type = select({ 'standard', 'development' }, {
        prompt = 'Sandbox type',
        format_item = function(t)
          return t .. ' sandbox'
        end,
      })
    end
    arg.name = arg.name or required('Sandbox name: ')
    if interactive and arg.account == nil then
      -- The parent: the account in force (the server refuses it when it is not production),
      -- or one of the production accounts.
      arg.account = pick_account('Parent account of the sandbox', arg.directory, true, U.is_production,
        'no production account is configured to be the parent: run :HubSpotAccountAuth first')
    end
    return arg
  end,
  ['hubspot.sandbox.delete'] = function(arg, interactive, bufnr)
    arg.directory = arg.directory or context_directory(bufnr)
    arg.account = arg.account
      or pick_account('Delete sandbox', arg.directory, false, U.is_sandbox, 'no sandbox account is configured')
    if interactive then
      confirm('Delete the sandbox ' .. tostring(arg.account) .. ' in HubSpot and remove it from the config?')
    end
    return arg
  end,
}

return G
