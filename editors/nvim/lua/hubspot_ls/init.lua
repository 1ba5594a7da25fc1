-- hubspot-ls for Neovim: the client configuration, client-side command handlers that ask for
-- what a code action cannot carry (a personal access key, a secret's value), and the
-- :HubSpot… user commands. Works with the 0.11 `vim.lsp.config`/`vim.lsp.enable` API
-- (lsp/hubspot_ls.lua), nvim-lspconfig, and, through `setup()`, with older Neovim down to 0.7.
--
-- This file: the names, options, file recognition, the client configuration and start. The rest
-- is in util.lua (helpers), gatherers.lua (prompts per command), commands.lua (running commands,
-- user commands) and accounts.lua (the :HubSpotAccounts picker); their public functions are
-- here too.

local U = require('hubspot_ls.util')
local normalize, dirname, exists = U.normalize, U.dirname, U.exists

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
  ['hubspot.sandbox.create'] = 'Create sandbox',
  ['hubspot.sandbox.delete'] = 'Delete sandbox',
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

-- 0.11 made `is_stopped` a method (the 0.7 closure ignores the argument), and warns when it is
-- called without the client.
local function is_stopped(client)
  return client.is_stopped ~= nil and client:is_stopped()
end

--- The running hubspot-ls client, started (detached from any buffer) when there is none, with
--- what setup() was given, else the `vim.lsp.config` of 0.11+.
function M.client()
  local own = M._client_id and vim.lsp.get_client_by_id(M._client_id)
  if own and not is_stopped(own) then
    return own
  end
  local clients = get_clients()
  if #clients > 0 then
    return clients[1]
  end
  local new_api = vim.fn.has('nvim-0.11') == 1
  local cfg
  if not M._setup_opts and new_api and vim.lsp.config and vim.lsp.config[M.name] then
    cfg = vim.deepcopy(vim.lsp.config[M.name])
    cfg.name = M.name
  else
    local opts = M._setup_opts or {}
    cfg = M.config({ init_options = opts.init_options, on_attach = opts.on_attach })
  end
  cfg.root_dir = vim.fn.getcwd()
  local id
  if new_api then
    id = vim.lsp.start(cfg, { attach = false })
  else
    id = vim.lsp.start_client(cfg)
  end
  M._client_id = id
  local client = id and vim.lsp.get_client_by_id(id)
  if not client then
    error('could not start ' .. table.concat(cfg.cmd or M.options.cmd, ' '), 0)
  end
  vim.wait(10000, function()
    return client.initialized == true or is_stopped(client)
  end, 20)
  return client
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
  -- Kept for M.client(), which starts the server before any buffer is open (a command run
  -- from an empty Neovim).
  M._setup_opts = opts
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
  if not existing or is_stopped(existing) then
    id = vim.lsp.start_client(cfg)
    M._client_id = id
  end
  if id and not vim.lsp.buf_is_attached(bufnr, id) then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- ---------------------------------------------------------------------------------------------
-- The other modules' public functions

local gatherers = require('hubspot_ls.gatherers')
local commands = require('hubspot_ls.commands')

M.gatherers = gatherers.gatherers
M.format_result = commands.format_result
M.key_needed = commands.key_needed
M.run = commands.run
M.command_handlers = commands.command_handlers
M.user_commands = commands.user_commands
M.create_user_commands = commands.create_user_commands
M._execute = U.execute
--- :HubSpotAccounts (`opts.bufnr`: the buffer whose folder the link actions act on).
M.accounts = function(opts)
  return require('hubspot_ls.accounts').open(opts)
end

return M
