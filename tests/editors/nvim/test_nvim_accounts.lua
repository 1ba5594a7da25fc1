-- The editors/nvim plugin's account picker and sandbox commands, headless (Debian's Neovim 0.7,
-- and a current one), against the fake HubSpot (tests/fake-hubspot) that the test starts and
-- reaches the server only through the client's init_options. Each :HubSpotAccounts action is
-- run to the end and checked where a user would notice it: the global config, the project's
-- .hs/settings.json, the fake, the notifications. The prompts are answered by stubs that record
-- what they were offered (accounts_support.lua). NVIM_CLIENT_SETUP=lsp_config configures the
-- client with vim.lsp.config (0.11+) instead of require('hubspot_ls').setup().
--
-- Run: HOME=<tmp>/home TEST_ROOT=<tmp> HUBSPOT_LS=<binary> FAKE_HUBSPOT_BIN=<binary> \
--      PLUGIN_DIR=editors/nvim nvim --headless -u NONE -c 'luafile tests/editors/nvim/test_nvim_accounts.lua'

local bin = os.getenv('HUBSPOT_LS') or 'hubspot-ls'
local fake_bin = assert(os.getenv('FAKE_HUBSPOT_BIN'), 'FAKE_HUBSPOT_BIN is not set')
local root = assert(os.getenv('TEST_ROOT'), 'TEST_ROOT is not set')
local home = assert(os.getenv('HOME'), 'HOME is not set')
local plugin_dir = assert(os.getenv('PLUGIN_DIR'), 'PLUGIN_DIR is not set')
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*)/') or '.'
local H = dofile(here .. '/harness.lua')('nvim-accounts')
local check, wait_for = H.check, H.wait_for
local S = dofile(here .. '/accounts_support.lua')(H)
local write, read, oneline, entry_named = S.write, S.read, S.oneline, S.entry_named

local PROD_KEY = 'pat-na1-00000000-0000-0000-0000-000000000000'
local OLD_KEY = 'pat-na1-33333333-3333-3333-3333-333333333333'
local SPARE_KEY = 'pat-na1-44444444-4444-4444-4444-444444444444'
-- What "Add secret" types: it must reach the fake and appear nowhere else.
local SECRET_VALUE = 'orbit-secret-value-7f3a9c'

H.run(function()
  local fake_url = S.start_fake(fake_bin)
  local admin = S.admin
  admin('POST', '/__fake/accounts', {
    { hubId = 123456, personalAccessKey = PROD_KEY, hubName = 'Prod Portal', accountType = 'STANDARD' },
    { hubId = 222222, personalAccessKey = OLD_KEY, hubName = 'Old Portal', accountType = 'STANDARD' },
    { hubId = 333333, personalAccessKey = SPARE_KEY, hubName = 'Spare Portal', accountType = 'STANDARD' },
  })

  -- A global config of three production accounts (one with an expired token) and a project
  -- folder linking the default one as its local default.
  local config_path = home .. '/.hscli/config.yml'
  write(config_path, table.concat({
    'defaultAccount: prod-portal',
    'accounts:',
    '  - name: prod-portal',
    '    accountId: 123456',
    '    authType: personalaccesskey',
    '    personalAccessKey: ' .. PROD_KEY,
    '    env: prod',
    '    accountType: STANDARD',
    '  - name: old-portal',
    '    accountId: 222222',
    '    authType: personalaccesskey',
    '    personalAccessKey: ' .. OLD_KEY,
    '    env: prod',
    '    accountType: STANDARD',
    '    auth:',
    '      tokenInfo:',
    '        expiresAt: "2020-01-01T00:00:00.000Z"',
    '  - name: spare-portal',
    '    accountId: 333333',
    '    authType: personalaccesskey',
    '    personalAccessKey: ' .. SPARE_KEY,
    '    env: prod',
    '    accountType: STANDARD',
    '',
  }, '\n'))
  local uv = vim.uv or vim.loop
  uv.fs_chmod(config_path, 384) -- 0600, as the CLI writes it
  local project = root .. '/accounts-project'
  local settings_path = project .. '/.hs/settings.json'
  write(settings_path, '{\n  "accounts": [123456],\n  "localDefaultAccount": 123456\n}\n')
  vim.cmd('cd ' .. vim.fn.fnameescape(project))
  local function settings()
    local ok, v = pcall(vim.fn.json_decode, read(settings_path))
    return ok and type(v) == 'table' and v or {}
  end

  -- The server gets the fake's address only through the client's init_options; the environment
  -- it inherits points at a closed port, so a server started without them fails every call.
  vim.env.HUBSPOT_LS_API_URL = 'http://127.0.0.1:9'
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('runtime! plugin/hubspot_ls.lua')
  local deprecated = H.watch_deprecations(plugin_dir)
  local hubspot = require('hubspot_ls')
  local style = os.getenv('NVIM_CLIENT_SETUP') or 'setup'
  if style == 'lsp_config' then
    -- Neovim 0.11+ as the README configures it: vim.lsp.config over lsp/hubspot_ls.lua.
    vim.lsp.config('hubspot_ls', { cmd = { bin }, init_options = { apiUrl = fake_url } })
  else
    hubspot.setup({ cmd = { bin }, init_options = { apiUrl = fake_url } })
  end
  check(':HubSpotSandboxCreate, :HubSpotSandboxDelete and :HubSpotAccounts exist',
    vim.fn.exists(':HubSpotSandboxCreate') == 2 and vim.fn.exists(':HubSpotSandboxDelete') == 2
      and vim.fn.exists(':HubSpotAccounts') == 2, 'user commands missing')

  local notified = {}
  vim.notify = function(msg)
    notified[#notified + 1] = tostring(msg)
  end
  --- The first notification starting with `prefix`, after the first `after` ones.
  local function notified_with(prefix, after)
    for i = (after or 0) + 1, #notified do
      if vim.startswith(notified[i], prefix) then
        return notified[i]
      end
    end
    return nil
  end
  local function all_notified()
    return oneline(table.concat(notified, ' | '))
  end

  local P = S.stub_prompts(SECRET_VALUE)
  local prompt_of, index_of, asked_text = P.prompt_of, P.index_of, P.asked_text
  --- The fake's sandbox named `name` that is not deleted, or nil.
  local function live_sandbox(name)
    for _, s in ipairs((admin('GET', '/__fake/sandboxes') or {}).sandboxes or {}) do
      if s.name == name and not tostring(s.status or ''):lower():find('delet') then
        return s
      end
    end
    return nil
  end

  -- Started with no buffer open: the first command starts the server, with setup()'s (or
  -- vim.lsp.config's) init_options, which alone lead it to the fake.
  check('no hubspot-ls runs before a command (no HubSpot buffer is open)', #H.clients('hubspot_ls') == 0,
    #H.clients('hubspot_ls') .. ' clients')
  local info_done, info_err, info = false, nil, nil
  hubspot.run('hubspot.account.info', { account = 'prod-portal', directory = project }, {
    silent = true,
    on_done = function(err, r)
      info_done, info_err, info = true, err, r
    end,
  })
  wait_for('hubspot.account.info to answer', function()
    return info_done
  end)
  check('the server started for a command with no buffer open gets the init_options of ' .. style
    .. ' (apiUrl: the fake answers account info)', info_done and info_err == nil and type(info) == 'table'
    and vim.tbl_contains(info.scopes or {}, 'sandboxes.write'), oneline(tostring(info_err) .. ' ' .. vim.inspect(info)))

  -- Every command the plugin sends from here on.
  local sent = {}
  H.record_requests(hubspot.client(), function(method, params)
    if method == 'workspace/executeCommand' then
      sent[#sent + 1] = params.command
    end
  end)

  -- :HubSpotSandboxCreate Orbit Dev Box: the name given (spaces and all), then the type and the
  -- parent among production accounts.
  P.asked = {}
  -- A standard sandbox under prod-portal: the answers to the type and parent prompts.
  local function standard_under_prod()
    return {
      ['Sandbox type'] = index_of(function(item)
        return item == 'standard'
      end),
      ['Parent account'] = index_of(function(item)
        return type(item) == 'table' and item.name == 'prod-portal'
      end),
    }
  end
  P.answers = standard_under_prod()
  vim.cmd('HubSpotSandboxCreate Orbit Dev Box')
  local created = wait_for('the outcome of :HubSpotSandboxCreate', function()
    return notified_with('HubSpot: created sandbox') or notified_with('HubSpot: Create sandbox')
  end)
  check(':HubSpotSandboxCreate Orbit Dev Box reports the sandbox created', created and notified_with('HubSpot: created sandbox') ~= nil,
    all_notified())
  local type_prompt, parent_prompt = prompt_of('Sandbox type'), prompt_of('Parent account')
  local parents = parent_prompt and table.concat(parent_prompt.labels, ' | ') or ''
  check(':HubSpotSandboxCreate NAME asks the type (standard/development) and the parent among production accounts, not the name',
    type_prompt and vim.deep_equal(type_prompt.items, { 'standard', 'development' }) and prompt_of('Sandbox name') == nil
      and parent_prompt ~= nil and parents:find('prod-portal (123456)', 1, true) ~= nil
      and parents:find('old-portal (222222)', 1, true) ~= nil,
    'asked: ' .. asked_text())

  local entry
  local on_disk = wait_for('the config to hold orbit-dev-box', function()
    entry = entry_named(read(config_path), 'orbit-dev-box')
    return entry ~= nil
  end)
  check('the global config on disk gains the sandbox, STANDARD_SANDBOX under its parent 123456', on_disk
    and entry:find('accountType:%s*STANDARD_SANDBOX') ~= nil and entry:find('parentAccountId:%s*123456') ~= nil,
    oneline('entry: ' .. tostring(entry) .. '; config: ' .. read(config_path)))
  local in_fake = live_sandbox('Orbit Dev Box')
  check('the fake HubSpot holds the standard sandbox "Orbit Dev Box" under 123456', in_fake ~= nil
    and in_fake.parentHubId == 123456 and tostring(in_fake.type):upper() == 'STANDARD', oneline(vim.inspect(in_fake)))

  --- :HubSpotAccounts, choosing `account` then the action labelled `action`; `more`: other answers.
  local function picker(account, action, more)
    P.asked = {}
    P.answers = vim.tbl_extend('force', {
      ['^HubSpot accounts'] = index_of(function(item)
        return item.account.name == account
      end),
      ['^' .. vim.pesc(account) .. ' %('] = action and index_of(function(item)
        return item.label == action
      end) or nil,
    }, more or {})
    vim.cmd('HubSpotAccounts')
  end

  -- :HubSpotAccounts, once to look (choose the parent, then cancel the actions).
  local before = #notified
  picker('prod-portal', nil)
  local looked = wait_for('the action picker of prod-portal', function()
    return prompt_of('^prod%-portal') ~= nil
  end)
  local list = prompt_of('HubSpot accounts')
  local labels = list and list.labels or {}
  local prod_i, orbit_i, old_i, spare_i
  for i, l in ipairs(labels) do
    if l:find('prod-portal (123456)', 1, true) then
      prod_i = i
    elseif l:find('orbit-dev-box', 1, true) then
      orbit_i = i
    elseif l:find('old-portal (222222)', 1, true) then
      old_i = i
    elseif l:find('spare-portal (333333)', 1, true) then
      spare_i = i
    end
  end
  local shown = table.concat(labels, ' | ')
  H.out(H.suite .. ': the picker: ' .. shown)
  check(':HubSpotAccounts lists every account, the sandbox indented right under its parent', looked and #labels == 4
    and prod_i == 1 and orbit_i == 2 and old_i == 3 and spare_i == 4 and labels[2]:match('^%s+') ~= nil
    and labels[1]:match('^%S') ~= nil, shown)
  local prod, orbit, old = labels[prod_i or 0] or '', labels[orbit_i or 0] or '', labels[old_i or 0] or ''
  check(':HubSpotAccounts markers: the parent is default, linked here and the local default; the sandbox none of them',
    prod:find('[default]', 1, true) and prod:find('[linked]', 1, true) and prod:find('[local default]', 1, true)
      and prod:find('  standard  prod  ', 1, true)
      and orbit:find('standard sandbox', 1, true) and not orbit:find('[default]', 1, true)
      and not orbit:find('[linked]', 1, true) and not orbit:find('[local default]', 1, true)
      and not old:find('[default]', 1, true),
    shown)
  check(':HubSpotAccounts token state from tokenExpiresAt: expired (2020), valid for the others',
    old:find('token expired', 1, true) and prod:find('token valid until', 1, true) ~= nil
      and (orbit:find('token valid until', 1, true) or orbit:find('no token yet', 1, true)) ~= nil, shown)
  local prod_actions = table.concat((prompt_of('^prod%-portal') or { labels = {} }).labels, ' | ')
  check('the parent\'s actions: create sandbox, not delete; link/unlink, info, remove, add secret',
    prod_actions:find('Create sandbox', 1, true) and not prod_actions:find('Delete sandbox', 1, true)
      and prod_actions:find('Unlink from this folder', 1, true) and prod_actions:find('Show info', 1, true)
      and prod_actions:find('Remove', 1, true) and prod_actions:find('Add secret', 1, true)
      and not prod_actions:find('Use as default', 1, true) and not prod_actions:find('Make local default', 1, true),
    prod_actions)

  -- The cancel is handled on a later turn of the event loop: once that has run, nothing is notified.
  local function loop_turned()
    local turned = false
    vim.schedule(function()
      turned = true
    end)
    return wait_for('the event loop to turn', function()
      return turned
    end)
  end
  check('cancelling the action picker does nothing and says nothing', loop_turned() and #notified == before,
    table.concat(vim.list_slice(notified, before + 1), ' | '))

  -- "Create sandbox" from the production account: the type and name asked, the parent not.
  before = #notified
  picker('prod-portal', 'Create sandbox', {
    ['Sandbox type'] = index_of(function(item)
      return item == 'development'
    end),
    ['Sandbox name'] = 'Picker Dev Box',
  })
  wait_for('the outcome of "Create sandbox"', function()
    return notified_with('HubSpot: created sandbox', before) or notified_with('HubSpot: Create sandbox', before)
  end)
  local picked_entry
  wait_for('the config to hold picker-dev-box', function()
    picked_entry = entry_named(read(config_path), 'picker-dev-box')
    return picked_entry ~= nil
  end)
  check('"Create sandbox" asks type and name (not the parent) and the config gains a DEVELOPMENT_SANDBOX under 123456',
    picked_entry ~= nil and picked_entry:find('accountType:%s*DEVELOPMENT_SANDBOX') ~= nil
      and picked_entry:find('parentAccountId:%s*123456') ~= nil and prompt_of('Parent account') == nil
      and prompt_of('Sandbox name') ~= nil, oneline(tostring(picked_entry)) .. '; asked: ' .. asked_text() .. '; ' .. all_notified())
  local picked_fake = live_sandbox('Picker Dev Box')
  check('... and the fake HubSpot holds it under 123456', picked_fake ~= nil and picked_fake.parentHubId == 123456
    and picked_fake.type == 'DEVELOPER', oneline(vim.inspect(picked_fake)))

  -- "Delete sandbox", confirmed.
  picker('picker-dev-box', 'Delete sandbox', {
    ['^Delete the sandbox'] = index_of(function(item)
      return item == 'Yes'
    end),
  })
  local gone = wait_for('picker-dev-box to leave the config', function()
    return prompt_of('^Delete the sandbox') ~= nil and entry_named(read(config_path), 'picker-dev-box') == nil
  end)
  local sandbox_actions = table.concat((prompt_of('^picker%-dev%-box') or { labels = {} }).labels, ' | ')
  check('the sandbox\'s actions: delete sandbox, not create; link to this folder, use as default',
    sandbox_actions:find('Delete sandbox', 1, true) and not sandbox_actions:find('Create sandbox', 1, true)
      and sandbox_actions:find('Link to this folder', 1, true) and sandbox_actions:find('Use as default', 1, true) ~= nil,
    sandbox_actions)
  check('"Delete sandbox" asks for confirmation, then removes it from the config on disk', gone,
    oneline('config: ' .. read(config_path)))
  check('... and the parent and the other sandbox stay', entry_named(read(config_path), 'prod-portal') ~= nil
    and entry_named(read(config_path), 'orbit-dev-box') ~= nil, oneline(read(config_path)))
  check('... reported with vim.notify', wait_for('the delete to be reported', function()
    return notified_with('HubSpot: deleted sandbox picker-dev-box') ~= nil
  end), all_notified())
  check('... and it is gone from the fake HubSpot', picked_fake ~= nil and live_sandbox('Picker Dev Box') == nil,
    oneline(vim.inspect(live_sandbox('Picker Dev Box'))))

  -- :HubSpotSandboxDelete NAME, typed: no picker, the confirmation, then gone.
  P.asked = {}
  P.answers = {
    ['^Delete the sandbox'] = index_of(function(item)
      return item == 'Yes'
    end),
  }
  vim.cmd('HubSpotSandboxDelete orbit-dev-box')
  local typed_gone = wait_for('orbit-dev-box to leave the config', function()
    return entry_named(read(config_path), 'orbit-dev-box') == nil
  end)
  check(':HubSpotSandboxDelete orbit-dev-box asks only for confirmation, then removes it from the config',
    typed_gone and #P.asked == 1 and prompt_of('^Delete the sandbox orbit%-dev%-box') ~= nil, 'asked: ' .. asked_text())
  check('... reported, and gone from the fake HubSpot', wait_for('the typed delete to be reported', function()
    return notified_with('HubSpot: deleted sandbox orbit-dev-box') ~= nil
  end) and live_sandbox('Orbit Dev Box') == nil, all_notified())

  -- Refusals reach the user with the server's own reason.
  P.answers = standard_under_prod()
  before = #notified
  vim.cmd('HubSpotSandboxCreate Prod Portal')
  local refused
  wait_for('the refusal of a name in use', function()
    refused = notified_with('HubSpot: Create sandbox failed', before) or notified_with('HubSpot: created sandbox', before)
    return refused
  end)
  check('a sandbox name the config already uses: the notification carries the server\'s refusal',
    refused and refused:find('Create sandbox failed', 1, true) and refused:find('would be saved as "prod-portal"', 1, true)
      and refused:find('already uses', 1, true) ~= nil and live_sandbox('Prod Portal') == nil, oneline(tostring(refused)))
  admin('POST', '/__fake/sandbox-limits', { hubId = 123456, standard = 0 })
  before = #notified
  vim.cmd('HubSpotSandboxCreate Spare Box')
  wait_for('the refusal for want of a slot', function()
    refused = notified_with('HubSpot: Create sandbox failed', before) or notified_with('HubSpot: created sandbox', before)
    return refused
  end)
  check('no standard sandbox slot left (fake\'s limit 0): the notification says so, nothing is created',
    refused and refused:find('reached its limit of 0 standard sandboxes', 1, true) ~= nil
      and entry_named(read(config_path), 'spare-box') == nil and live_sandbox('Spare Box') == nil, oneline(tostring(refused)))

  -- "Use as default": the global config's defaultAccount.
  picker('old-portal', 'Use as default')
  -- The global config names its default by id, as the CLI writes it.
  check('"Use as default" on old-portal: the global config\'s defaultAccount is 222222',
    wait_for('defaultAccount: 222222', function()
      return ('\n' .. read(config_path)):match('\ndefaultAccount:%s*222222%s*\n') ~= nil
    end), oneline(read(config_path)))

  -- Link, make local default, unlink: the project's .hs/settings.json.
  picker('old-portal', 'Link to this folder')
  check('"Link to this folder": .hs/settings.json links 222222 beside 123456', wait_for('222222 linked', function()
    local s = settings()
    return vim.tbl_contains(s.accounts or {}, 222222) and vim.tbl_contains(s.accounts or {}, 123456)
  end), read(settings_path))
  picker('old-portal', 'Make local default')
  check('"Make local default": localDefaultAccount is 222222', wait_for('localDefaultAccount 222222', function()
    return settings().localDefaultAccount == 222222
  end), read(settings_path))
  picker('old-portal', 'Unlink from this folder')
  check('"Unlink from this folder": 222222 is no longer linked, 123456 still is', wait_for('222222 unlinked', function()
    local s = settings()
    return s.accounts ~= nil and not vim.tbl_contains(s.accounts, 222222) and vim.tbl_contains(s.accounts, 123456)
  end), read(settings_path))

  -- "Show info": name, id and scopes, never a key.
  before = #notified
  picker('prod-portal', 'Show info')
  local shown_info
  wait_for('the account info', function()
    shown_info = notified_with('HubSpot: prod-portal (123456)', before) or notified_with('HubSpot: Account info', before)
    return shown_info
  end)
  check('"Show info": the notification shows name, id and scopes', shown_info
    and shown_info:find('prod-portal (123456), scopes:', 1, true) and shown_info:find('sandboxes.write', 1, true) ~= nil
    and not shown_info:find(PROD_KEY, 1, true), oneline(tostring(shown_info)))

  -- "Add secret": the name asked, the value read masked; the fake has it, nobody was shown it.
  before = #notified
  picker('prod-portal', 'Add secret', { ['^Secret name'] = 'ORBIT_TOKEN' })
  wait_for('the secret to be added', function()
    return notified_with('HubSpot: added secret', before) or notified_with('HubSpot: Add secret', before)
  end)
  local secrets = admin('GET', '/__fake/secrets/123456') or {}
  check('"Add secret": the fake HubSpot holds ORBIT_TOKEN with the value typed', type(secrets.values) == 'table'
    and secrets.values.ORBIT_TOKEN == SECRET_VALUE and notified_with('HubSpot: added secret ORBIT_TOKEN', before) ~= nil,
    oneline(vim.inspect(secrets.names)) .. '; ' .. all_notified())
  check('... the value was read masked (inputsecret), once, the name with vim.ui.input',
    #P.masked == 1 and P.masked[1]:find('ORBIT_TOKEN', 1, true) ~= nil and prompt_of('^Secret name') ~= nil,
    vim.inspect(P.masked))
  local messages = vim.fn.execute('messages')
  check('... and the value is in no notification and no message', not all_notified():find(SECRET_VALUE, 1, true)
    and not messages:find(SECRET_VALUE, 1, true), 'it shows')

  -- "Remove from the config": declined, it stays (and nothing is sent); confirmed, it goes.
  picker('spare-portal', 'Remove from the config', {
    ['^Remove the HubSpot account'] = index_of(function(item)
      return item == 'No'
    end),
  })
  local declined = wait_for('the removal to be asked', function()
    return prompt_of('^Remove the HubSpot account spare%-portal') ~= nil
  end) and loop_turned()
  local listed_done, listed = false, nil
  hubspot.run('hubspot.account.list', { directory = project }, {
    silent = true,
    on_done = function(_, r)
      listed_done, listed = true, r
    end,
  })
  wait_for('the account list', function()
    return listed_done
  end)
  local still_listed = false
  for _, a in ipairs(type(listed) == 'table' and listed.accounts or {}) do
    still_listed = still_listed or a.name == 'spare-portal'
  end
  check('"Remove from the config" declined: spare-portal stays in the config, no remove sent', declined and still_listed
    and entry_named(read(config_path), 'spare-portal') ~= nil and not vim.tbl_contains(sent, 'hubspot.account.remove'),
    'sent: ' .. table.concat(sent, ', ') .. '; ' .. oneline(read(config_path)))
  picker('spare-portal', 'Remove from the config', {
    ['^Remove the HubSpot account'] = index_of(function(item)
      return item == 'Yes'
    end),
  })
  check('"Remove from the config" confirmed: spare-portal leaves the config, the others stay',
    wait_for('spare-portal to leave the config', function()
      return entry_named(read(config_path), 'spare-portal') == nil
    end) and entry_named(read(config_path), 'prod-portal') ~= nil and entry_named(read(config_path), 'old-portal') ~= nil,
    oneline(read(config_path)))

  -- Nothing the commands showed holds a key, a token or the secret's value.
  local leaked = {}
  for i = 1, #notified do
    local m = notified[i]
    if m:find('pat%-') or m:find('pak%-') or m:find('fake%-at%-') or m:find(SECRET_VALUE, 1, true) then
      leaked[#leaked + 1] = m
    end
  end
  check('no notification shows a personal access key, a token or a secret value', #leaked == 0, table.concat(leaked, ' | '))
  check('the plugin calls no deprecated Neovim API', #deprecated == 0, table.concat(deprecated, '; '))
  H.out(H.suite .. ': notifications: ' .. all_notified())

  local client = hubspot.client()
  vim.lsp.stop_client(client.id)
  check('hubspot-ls exits on stop_client', wait_for('hubspot-ls to exit', function()
    return vim.lsp.get_client_by_id(client.id) == nil
  end), 'still running after stop_client')
end)
