-- The Neovim integration in editors/nvim, loaded as a plugin in Debian's Neovim 0.7 headless:
-- filetype detection, attaching only to HubSpot files, and the client-side command handlers
-- that ask for a key or a secret value (masked) before the command goes to the server.
--
-- Run: HOME=<tmp>/home TEST_ROOT=<tmp> HUBSPOT_LS=<binary> PLUGIN_DIR=editors/nvim \
--      nvim --headless -u NONE -c 'luafile tests/editors/nvim/test_nvim_plugin.lua'

local bin = os.getenv('HUBSPOT_LS') or 'hubspot-ls'
local root = assert(os.getenv('TEST_ROOT'), 'TEST_ROOT is not set')
local home = assert(os.getenv('HOME'), 'HOME is not set')
local plugin_dir = assert(os.getenv('PLUGIN_DIR'), 'PLUGIN_DIR is not set')
-- The shared harness sits next to this file.
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*)/') or '.'
local H = dofile(here .. '/harness.lua')('nvim-plugin')
local check, wait_for = H.check, H.wait_for

H.run(function()
  -- Filetype detection as a user has it (0.7 needs filetype.lua switched on).
  vim.g.do_filetype_lua = 1
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('filetype on')
  vim.cmd('runtime! plugin/hubspot_ls.lua')
  local deprecated = H.watch_deprecations(plugin_dir)
  local hubspot = require('hubspot_ls')
  hubspot.setup({ cmd = { bin } })

  -- Record what is notified: each command run reports its outcome there, and no secret may appear.
  local notified = {}
  vim.notify = function(msg, level)
    notified[#notified + 1] = tostring(msg)
  end

  local function client_of(buf)
    return H.clients('hubspot_ls', buf)[1]
  end

  local function open(path)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    return vim.api.nvim_get_current_buf()
  end

  local function has_code(buf, code)
    return H.find_code(buf, code) ~= nil
  end

  check(':HubSpotSecretsAdd and friends exist', vim.fn.exists(':HubSpotSecretsAdd') == 2 and vim.fn.exists(':HubSpotAccountAuth') == 2
    and vim.fn.exists(':HubSpotSecretsList') == 2, 'user commands missing')

  -- Every Lua file of the integration compiles (LuaJIT, as Neovim runs it).
  local bad = {}
  for _, file in ipairs(vim.fn.globpath(plugin_dir, '**/*.lua', false, true)) do
    local chunk, err = loadfile(file)
    if not chunk then
      bad[#bad + 1] = err
    end
  end
  check('every editors/nvim/**/*.lua compiles', #bad == 0, table.concat(bad, '; '))

  -- lsp/hubspot_ls.lua: the vim.lsp.config (0.11) table.
  local lsp_cfg = dofile(plugin_dir .. '/lsp/hubspot_ls.lua')
  check('lsp/hubspot_ls.lua: cmd (as given to setup()), filetypes, root markers, workspace_required = false',
    type(lsp_cfg) == 'table' and lsp_cfg.cmd and lsp_cfg.cmd[1] == bin and vim.tbl_contains(lsp_cfg.filetypes, 'yaml')
      and vim.tbl_contains(lsp_cfg.filetypes, 'json') and vim.tbl_contains(lsp_cfg.filetypes, 'hsaccount')
      and vim.tbl_contains(lsp_cfg.root_markers, '.hs') and vim.tbl_contains(lsp_cfg.root_markers, '.hsaccount')
      and vim.tbl_contains(lsp_cfg.root_markers, '.git') and lsp_cfg.workspace_required == false
      and type(lsp_cfg.root_dir) == 'function' and type(lsp_cfg.commands) == 'table',
    vim.inspect(lsp_cfg):sub(1, 400))
  -- nvim-lspconfig's format.
  local lspconfig_cfg = dofile(plugin_dir .. '/lua/lspconfig/configs/hubspot_ls.lua')
  check('lua/lspconfig/configs/hubspot_ls.lua: default_config with cmd, filetypes, root_dir',
    type(lspconfig_cfg) == 'table' and type(lspconfig_cfg.default_config) == 'table'
      and lspconfig_cfg.default_config.cmd ~= nil and type(lspconfig_cfg.default_config.root_dir) == 'function'
      and lspconfig_cfg.default_config.root_dir(root .. '/project/.hs/settings.json') == root .. '/project'
      and lspconfig_cfg.default_config.root_dir(root .. '/project/other.yml') == nil,
    'root_dir(settings.json) = ' .. tostring(lspconfig_cfg and lspconfig_cfg.default_config.root_dir(root .. '/project/.hs/settings.json')))

  local config_buf = open(home .. '/.hscli/config.yml')
  local roots = {}
  lsp_cfg.root_dir(config_buf, function(dir)
    roots[#roots + 1] = dir
  end)
  check('lsp/hubspot_ls.lua root_dir attaches ~/.hscli/config.yml (root: ~/.hscli)', roots[1] == home .. '/.hscli',
    vim.inspect(roots))
  check('~/.hscli/config.yml: filetype yaml', vim.bo[config_buf].filetype == 'yaml', 'filetype ' .. vim.bo[config_buf].filetype)
  local attached = wait_for('hubspot-ls on ~/.hscli/config.yml with a `type` diagnostic', function()
    return client_of(config_buf) ~= nil and has_code(config_buf, 'type')
  end)
  check('~/.hscli/config.yml: hubspot-ls attached and reported `type`', attached,
    client_of(config_buf) and 'attached, no `type` diagnostic' or 'not attached')

  local hsaccount_buf = open(root .. '/project/theme/.hsaccount')
  check('.hsaccount: filetype hsaccount', vim.bo[hsaccount_buf].filetype == 'hsaccount', 'filetype ' .. vim.bo[hsaccount_buf].filetype)
  check('.hsaccount: hubspot-ls attached and reported `hsaccount-invalid`', wait_for('hsaccount-invalid', function()
    return has_code(hsaccount_buf, 'hsaccount-invalid')
  end), 'no hsaccount-invalid: ' .. H.describe(hsaccount_buf))

  local settings_buf = open(root .. '/project/.hs/settings.json')
  check('.hs/settings.json: hubspot-ls attached and reported `linked-account-unknown`', wait_for('linked-account-unknown', function()
    return has_code(settings_buf, 'linked-account-unknown')
  end), 'no linked-account-unknown: ' .. H.describe(settings_buf))

  local n_clients = #H.clients('hubspot_ls')
  check('one hubspot-ls serves the global config and the project', n_clients == 1, n_clients .. ' clients')

  local other = root .. '/project/other.yml'
  local f = io.open(other, 'w')
  f:write('key: value\n')
  f:close()
  local other_buf = open(other)
  -- Attaching happens in the autocmds `:edit` runs, or in what they schedule: once the event
  -- loop has run what was queued before now, a client would be there.
  local turned = false
  vim.schedule(function()
    turned = true
  end)
  check('a plain YAML file gets no hubspot-ls', wait_for('the event loop to turn', function()
    return turned
  end) and client_of(other_buf) == nil, 'hubspot-ls attached to other.yml')
  roots = {}
  lsp_cfg.root_dir(other_buf, function(dir)
    roots[#roots + 1] = dir
  end)
  check('lsp/hubspot_ls.lua root_dir skips a plain YAML file', #roots == 0, vim.inspect(roots))

  -- Client-side command handlers, as a code action runs them: record the requests they send
  -- (the real server answers them).
  local client = client_of(config_buf)
  local sent = {}
  H.record_requests(client, function(method, params)
    if method == 'workspace/executeCommand' then
      sent[#sent + 1] = vim.deepcopy(params)
    end
  end)
  local prompts = {}
  vim.fn.inputsecret = function(prompt)
    prompts[#prompts + 1] = prompt
    return 'pat-na1-99999999-test-secret'
  end

  local handler = client.commands and client.commands['hubspot.account.auth']
  check('client.commands has a handler for hubspot.account.auth', handler ~= nil, 'no handler')
  if handler then
    handler({ title = 'Authenticate', command = 'hubspot.account.auth', arguments = { { name = 'new-portal' } } },
      { bufnr = config_buf, client_id = client.id })
    local got_auth = wait_for('hubspot.account.auth to be sent', function()
      return #sent > 0
    end)
    local p = sent[1]
    local arg = p and p.arguments and p.arguments[1] or {}
    check('code action hubspot.account.auth without a key: asks for it, masked (inputsecret)', #prompts == 1,
      #prompts .. ' masked prompts')
    check('... then sends it with the key and the action\'s own fields', got_auth and p.command == 'hubspot.account.auth'
      and arg.personalAccessKey == 'pat-na1-99999999-test-secret' and arg.name == 'new-portal',
      'sent: ' .. vim.inspect(sent))

    -- A key of blanks gets past the client (it is not empty) but the server refuses it, saying a
    -- key is needed: the handler shows that reason in a masked prompt and runs the command again.
    sent, prompts = {}, {}
    handler({ title = 'Authenticate', command = 'hubspot.account.auth', arguments = { { name = 'new-portal', personalAccessKey = '   ' } } },
      { bufnr = config_buf, client_id = client.id })
    local retried = wait_for('hubspot.account.auth to be sent again', function()
      return #sent > 1
    end)
    local first = sent[1] and sent[1].arguments and sent[1].arguments[1] or {}
    local again = sent[2] and sent[2].arguments and sent[2].arguments[1] or {}
    check('server error "A personal access key is needed": asks for it masked, re-runs with it', retried
      and #prompts == 1 and prompts[1]:find('A personal access key is needed', 1, true) ~= nil and #sent == 2
      and first.personalAccessKey == '   ' and again.personalAccessKey == 'pat-na1-99999999-test-secret'
      and again.name == 'new-portal',
      'masked prompts: ' .. vim.inspect(prompts) .. '; sent: ' .. vim.inspect(sent):gsub('%s+', ' '))
    check('hubspot_ls.key_needed tells a key-needed error from others',
      hubspot.key_needed('A personal access key is needed (argument `personalAccessKey`). Create or copy one at '
        .. 'https://app.hubspot.com/l/personal-access-key.')
      and hubspot.key_needed('A personal access key is required') and hubspot.key_needed('personalAccessKey is missing')
      and not hubspot.key_needed('Method not found') and not hubspot.key_needed('account 123 not found'),
      'key_needed misjudges')
  end

  -- :HubSpotSecretsAdd NAME asks for the value (masked) and sends name + value. With several
  -- accounts configured it first offers a picker fed by hubspot.account.list (the account in
  -- force first): the test picks that entry, as a user pressing Enter would.
  sent = {}
  prompts = {}
  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      offered[#offered + 1] = opts.format_item and opts.format_item(item) or tostring(item)
    end
    on_choice(items[1], 1)
  end
  vim.api.nvim_set_current_buf(settings_buf)
  vim.cmd('HubSpotSecretsAdd MY_TOKEN')
  local got_add = wait_for('hubspot.secrets.add to be sent', function()
    for _, p in ipairs(sent) do
      if p.command == 'hubspot.secrets.add' then
        return true
      end
    end
    return false
  end)
  local add
  for _, p in ipairs(sent) do
    if p.command == 'hubspot.secrets.add' then
      add = p.arguments[1]
    end
  end
  check(':HubSpotSecretsAdd MY_TOKEN asks for the value masked and sends it', got_add and add ~= nil and add.name == 'MY_TOKEN'
    and add.value == 'pat-na1-99999999-test-secret' and #prompts == 1, 'sent: ' .. vim.inspect(sent):gsub('%s+', ' '))
  local listed_sandbox = false
  for _, label in ipairs(offered) do
    if label:find('my sandbox (345678)', 1, true) then
      listed_sandbox = true
    end
  end
  check(':HubSpotSecretsAdd offers the configured accounts (from hubspot.account.list) in a picker',
    offered[1] == 'the account in force here' and listed_sandbox, 'offered: ' .. vim.inspect(offered))

  -- Each command run ends in a notification, success or failure (HubSpot is unreachable here):
  -- two authentications and the secret. Once all three are in, none may show a secret.
  local function outcomes(title, done)
    local n = 0
    for _, m in ipairs(notified) do
      if vim.startswith(m, 'HubSpot: ' .. title) or vim.startswith(m, 'HubSpot: ' .. done) then
        n = n + 1
      end
    end
    return n
  end
  local answered = wait_for('the outcome of every command run', function()
    return outcomes('Authenticate account', 'authenticated') >= 2 and outcomes('Add secret', 'added secret') >= 1
  end)
  local leaked = false
  for _, m in ipairs(notified) do
    if m:find('99999999', 1, true) then
      leaked = true
    end
  end
  local shown = table.concat(notified, ' | '):gsub('\n', ' ')
  check('every command run reports its outcome, and no notification shows a key or secret value', answered and not leaked,
    (leaked and 'a secret shows in: ' or 'expected 2 authentication outcomes and 1 secret outcome, got: ') .. shown)
  H.out('nvim-plugin: notifications: ' .. shown)

  check('the plugin calls no deprecated Neovim API', #deprecated == 0, table.concat(deprecated, '; '))

  vim.lsp.stop_client(client.id)
  check('hubspot-ls exits on stop_client', wait_for('hubspot-ls to exit', function()
    return vim.lsp.get_client_by_id(client.id) == nil
  end), 'still running after stop_client')
end)
