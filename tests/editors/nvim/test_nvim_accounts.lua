-- The editors/nvim plugin's sandbox commands and account picker in Debian's Neovim 0.7
-- headless, against the fake HubSpot (tests/fake-hubspot): :HubSpotSandboxCreate creates a
-- sandbox that the global config then holds under its parent; :HubSpotAccounts lists it under
-- that parent with its markers; its "Delete sandbox" action removes it from disk and the fake.
-- The vim.ui prompts are answered by stubs that record what they were offered.
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

local PROD_KEY = 'pat-na1-00000000-0000-0000-0000-000000000000'
local OLD_KEY = 'pat-na1-33333333-3333-3333-3333-333333333333'

local function write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

local function read(path)
  local f = io.open(path, 'r')
  if not f then
    return ''
  end
  local text = f:read('*a')
  f:close()
  return text
end

--- The list items of the config's `accounts`, each as the text of its lines.
local function config_entries(text)
  local entries, current = {}, nil
  for line in (text .. '\n'):gmatch('(.-)\n') do
    if line:match('^%s*%-%s') then
      current = { line }
      entries[#entries + 1] = current
    elseif current and line:match('^%s') then
      current[#current + 1] = line
    else
      current = nil
    end
  end
  local out = {}
  for _, e in ipairs(entries) do
    out[#out + 1] = table.concat(e, '\n')
  end
  return out
end

--- A failure's detail on one line (the PASS/FAIL lines are one per check).
local function oneline(text)
  return (tostring(text):gsub('%s*\n%s*', ' / '))
end

local function entry_named(text, name)
  for _, e in ipairs(config_entries(text)) do
    if e:match('name:%s*["\']?' .. vim.pesc(name) .. '["\']?%s*\n') or e:match('name:%s*["\']?' .. vim.pesc(name) .. '["\']?%s*$') then
      return e
    end
  end
  return nil
end

H.run(function()
  -- The fake HubSpot on a free port; it exits with this Neovim (--parent-pid).
  local fake_url
  vim.fn.jobstart({ fake_bin, '--port', '0', '--parent-pid', tostring(vim.fn.getpid()) }, {
    on_stdout = function(_, data)
      for _, line in ipairs(data) do
        fake_url = fake_url or line:match('listening on (http://%S+)')
      end
    end,
  })
  assert(wait_for('fake-hubspot to listen', function()
    return fake_url ~= nil
  end), 'fake-hubspot did not start')

  --- One call of the fake's admin API (HTTP/1.0 over libuv: no chunked answers, closed at the end).
  local function admin(method, path, body)
    local host, port = fake_url:match('^http://([^:/]+):(%d+)')
    local payload = body ~= nil and vim.fn.json_encode(body) or ''
    local tcp = vim.loop.new_tcp()
    local chunks, done, failure = {}, false, nil
    tcp:connect(host, tonumber(port), function(err)
      if err then
        failure, done = err, true
        return
      end
      tcp:write(string.format('%s %s HTTP/1.0\r\nHost: %s:%s\r\nContent-Type: application/json\r\n'
        .. 'Content-Length: %d\r\nConnection: close\r\n\r\n%s', method, path, host, port, #payload, payload))
      tcp:read_start(function(rerr, data)
        if rerr then
          failure = rerr
        end
        if data then
          chunks[#chunks + 1] = data
        else
          tcp:close()
          done = true
        end
      end)
    end)
    assert(wait_for('fake-hubspot to answer ' .. method .. ' ' .. path, function()
      return done
    end), 'no answer to ' .. method .. ' ' .. path)
    assert(not failure, tostring(failure))
    local raw = table.concat(chunks)
    local status = tonumber(raw:match('^HTTP/%d%.%d (%d+)'))
    local text = raw:match('\r\n\r\n(.*)$') or ''
    assert(status and status < 300, method .. ' ' .. path .. ': ' .. raw:sub(1, 300))
    return text ~= '' and vim.fn.json_decode(text) or nil
  end

  admin('POST', '/__fake/accounts', {
    { hubId = 123456, personalAccessKey = PROD_KEY, hubName = 'Prod Portal', accountType = 'STANDARD' },
    { hubId = 222222, personalAccessKey = OLD_KEY, hubName = 'Old Portal', accountType = 'STANDARD' },
  })

  -- A global config of two production accounts (one with an expired token) and a project
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
    '',
  }, '\n'))
  vim.loop.fs_chmod(config_path, 384) -- 0600, as the CLI writes it
  local project = root .. '/accounts-project'
  write(project .. '/.hs/settings.json', '{\n  "accounts": [123456],\n  "localDefaultAccount": 123456\n}\n')
  vim.cmd('cd ' .. vim.fn.fnameescape(project))

  -- The server the plugin starts (no buffer needed) talks to the fake.
  vim.env.HUBSPOT_LS_API_URL = fake_url
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('runtime! plugin/hubspot_ls.lua')
  local hubspot = require('hubspot_ls')
  hubspot.setup({ cmd = { bin } })
  check(':HubSpotSandboxCreate, :HubSpotSandboxDelete and :HubSpotAccounts exist',
    vim.fn.exists(':HubSpotSandboxCreate') == 2 and vim.fn.exists(':HubSpotSandboxDelete') == 2
      and vim.fn.exists(':HubSpotAccounts') == 2, 'user commands missing')

  local notified = {}
  vim.notify = function(msg)
    notified[#notified + 1] = tostring(msg)
  end
  local function notified_with(prefix)
    for _, m in ipairs(notified) do
      if vim.startswith(m, prefix) then
        return m
      end
    end
    return nil
  end

  -- Prompt stubs: `answers[prompt pattern]` (patterns that no two prompts share) picks an item (a function of the items and their
  -- labels, returning the index; nil cancels) or gives the input's text. Each prompt is recorded.
  local asked, answers = {}, {}
  local function answer_for(prompt)
    for pattern, a in pairs(answers) do
      if tostring(prompt):find(pattern) then
        return a
      end
    end
    return nil
  end
  vim.ui.select = function(items, opts, on_choice)
    local labels = {}
    for i, item in ipairs(items) do
      labels[i] = opts.format_item and opts.format_item(item) or tostring(item)
    end
    asked[#asked + 1] = { prompt = opts.prompt, labels = labels, items = items }
    local a = answer_for(opts.prompt)
    local i = type(a) == 'function' and a(items, labels) or nil
    on_choice(i and items[i] or nil, i)
  end
  vim.ui.input = function(opts, on_confirm)
    asked[#asked + 1] = { prompt = opts.prompt }
    local a = answer_for(opts.prompt)
    on_confirm(type(a) == 'string' and a or nil)
  end
  local function prompt_of(pattern)
    for _, p in ipairs(asked) do
      if tostring(p.prompt):find(pattern) then
        return p
      end
    end
    return nil
  end
  local function index_of(pred)
    return function(items, labels)
      for i, item in ipairs(items) do
        if pred(item, labels[i]) then
          return i
        end
      end
      return nil
    end
  end

  -- :HubSpotSandboxCreate: type, name, then the parent among production accounts.
  answers = {
    ['Sandbox type'] = index_of(function(item)
      return item == 'development'
    end),
    ['Sandbox name'] = 'Orbit Dev Box',
    ['Parent account'] = index_of(function(item)
      return type(item) == 'table' and item.name == 'prod-portal'
    end),
  }
  vim.cmd('HubSpotSandboxCreate')
  local created = wait_for('the outcome of :HubSpotSandboxCreate', function()
    return notified_with('HubSpot: created sandbox') or notified_with('HubSpot: Create sandbox')
  end)
  check(':HubSpotSandboxCreate reports the sandbox created', created and notified_with('HubSpot: created sandbox') ~= nil,
    'notifications: ' .. table.concat(notified, ' | '))
  local type_prompt, name_prompt, parent_prompt = prompt_of('Sandbox type'), prompt_of('Sandbox name'), prompt_of('Parent account')
  local parents = parent_prompt and table.concat(parent_prompt.labels, ' | ') or ''
  check(':HubSpotSandboxCreate asks the type (standard/development), the name, and the parent among production accounts',
    type_prompt and vim.deep_equal(type_prompt.items, { 'standard', 'development' }) and name_prompt ~= nil
      and parent_prompt ~= nil and parents:find('prod-portal (123456)', 1, true) ~= nil
      and parents:find('old-portal (222222)', 1, true) ~= nil,
    'asked: ' .. vim.inspect(asked):gsub('%s+', ' '))

  local entry
  local on_disk = wait_for('the config to hold orbit-dev-box', function()
    entry = entry_named(read(config_path), 'orbit-dev-box')
    return entry ~= nil
  end)
  check('the global config on disk gains the sandbox, DEVELOPMENT_SANDBOX under its parent 123456', on_disk
    and entry:find('accountType:%s*DEVELOPMENT_SANDBOX') ~= nil and entry:find('parentAccountId:%s*123456') ~= nil,
    oneline('entry: ' .. tostring(entry) .. '; config: ' .. read(config_path)))
  local in_fake
  for _, s in ipairs((admin('GET', '/__fake/sandboxes') or {}).sandboxes or {}) do
    if s.name == 'Orbit Dev Box' then
      in_fake = s
    end
  end
  check('the fake HubSpot holds the sandbox under 123456', in_fake ~= nil and in_fake.parentHubId == 123456,
    oneline(vim.inspect(in_fake)))
  local sandbox_id = in_fake and in_fake.sandboxHubId

  -- :HubSpotAccounts, once to look (choose the parent, then cancel the actions)...
  asked = {}
  answers = {
    ['^HubSpot accounts'] = index_of(function(item)
      return item.account.name == 'prod-portal'
    end),
  }
  local before = #notified
  vim.cmd('HubSpotAccounts')
  local looked = wait_for('the action picker of prod-portal', function()
    return prompt_of('^prod%-portal') ~= nil
  end)
  local list = prompt_of('HubSpot accounts')
  local labels = list and list.labels or {}
  local prod_i, orbit_i, old_i
  for i, l in ipairs(labels) do
    if l:find('prod-portal (123456)', 1, true) then
      prod_i = i
    elseif l:find('orbit-dev-box', 1, true) then
      orbit_i = i
    elseif l:find('old-portal (222222)', 1, true) then
      old_i = i
    end
  end
  local shown = table.concat(labels, ' | ')
  H.out('nvim-accounts: the picker: ' .. shown)
  check(':HubSpotAccounts lists every account, the sandbox indented right under its parent', looked and #labels == 3
    and prod_i == 1 and orbit_i == 2 and old_i == 3 and labels[2]:match('^%s+') ~= nil and labels[1]:match('^%S') ~= nil,
    shown)
  local prod, orbit, old = labels[prod_i or 0] or '', labels[orbit_i or 0] or '', labels[old_i or 0] or ''
  check(':HubSpotAccounts markers: the parent is default, linked here and the local default; the sandbox none of them',
    prod:find('[default]', 1, true) and prod:find('[linked]', 1, true) and prod:find('[local default]', 1, true)
      and prod:find('  standard  prod  ', 1, true)
      and orbit:find('development sandbox', 1, true) and not orbit:find('[default]', 1, true)
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
  local turned = false
  vim.schedule(function()
    turned = true
  end)
  check('cancelling the action picker does nothing and says nothing', wait_for('the event loop to turn', function()
    return turned
  end) and #notified == before, table.concat(vim.list_slice(notified, before + 1), ' | '))

  -- ... then to delete the sandbox through its action, confirmed.
  asked = {}
  answers = {
    ['^HubSpot accounts'] = index_of(function(item)
      return item.account.name == 'orbit-dev-box'
    end),
    ['^orbit%-dev%-box'] = index_of(function(item)
      return item.label == 'Delete sandbox'
    end),
    ['^Delete the sandbox'] = index_of(function(item)
      return item == 'Yes'
    end),
  }
  vim.cmd('HubSpotAccounts')
  local gone = wait_for('orbit-dev-box to leave the config', function()
    return prompt_of('^Delete the sandbox') ~= nil and entry_named(read(config_path), 'orbit-dev-box') == nil
  end)
  local orbit_actions = table.concat((prompt_of('^orbit%-dev%-box') or { labels = {} }).labels, ' | ')
  check('the sandbox\'s actions: delete sandbox, not create; link to this folder, use as default',
    orbit_actions:find('Delete sandbox', 1, true) and not orbit_actions:find('Create sandbox', 1, true)
      and orbit_actions:find('Link to this folder', 1, true) and orbit_actions:find('Use as default', 1, true) ~= nil,
    orbit_actions)
  check('"Delete sandbox" asks for confirmation, then removes it from the config on disk', gone,
    oneline('config: ' .. read(config_path)))
  check('... and the parent stays', entry_named(read(config_path), 'prod-portal') ~= nil, oneline(read(config_path)))
  local still
  for _, s in ipairs((admin('GET', '/__fake/sandboxes') or {}).sandboxes or {}) do
    if s.sandboxHubId == sandbox_id and not tostring(s.status or ''):lower():find('delet') then
      still = s
    end
  end
  check('... and from the fake HubSpot', sandbox_id ~= nil and still == nil, oneline(vim.inspect(still)))
  check('... reported with vim.notify', wait_for('the delete to be reported', function()
    return notified_with('HubSpot: deleted sandbox') ~= nil
  end), table.concat(notified, ' | '))

  -- Nothing the commands showed holds a key or a token.
  local leaked = {}
  for i = 1, #notified do
    local m = notified[i]
    if m:find('pat%-') or m:find('pak%-') or m:find('fake%-at%-') then
      leaked[#leaked + 1] = m
    end
  end
  check('no notification shows a personal access key or token', #leaked == 0, table.concat(leaked, ' | '))
  H.out('nvim-accounts: notifications: ' .. table.concat(notified, ' | '):gsub('\n', ' '))

  local client = hubspot.client()
  vim.lsp.stop_client(client.id)
  check('hubspot-ls exits on stop_client', wait_for('hubspot-ls to exit', function()
    return vim.lsp.get_client_by_id(client.id) == nil
  end), 'still running after stop_client')
end)
