-- The README's lazy.nvim spec, taken from the README as written, in a current Neovim: the
-- repository where the README says to clone it (~/src/hubspot-ls), `hubspot-ls` on PATH as
-- `cargo install` puts it. lazy.nvim itself is in no registry these machines reach, so the
-- test does what lazy.nvim does with a local `dir` plugin that is not lazy: the folder on
-- 'runtimepath', its plugin/ scripts sourced, then the spec's `config`.
--
-- Run: HOME=<tmp>/home TEST_ROOT=<tmp> REPO_ROOT=<repo> nvim --headless -u NONE \
--      -c 'luafile tests/editors/nvim/test_nvim_lazy_spec.lua'   (hubspot-ls on PATH)

local root = assert(os.getenv('TEST_ROOT'), 'TEST_ROOT is not set')
local home = assert(os.getenv('HOME'), 'HOME is not set')
local repo = assert(os.getenv('REPO_ROOT'), 'REPO_ROOT is not set')
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*)/') or '.'
local H = dofile(here .. '/harness.lua')('nvim-lazy-spec')
local check, wait_for = H.check, H.wait_for

H.run(function()
  -- The spec: the first ```lua block of the README after the words "lazy.nvim".
  local readme = table.concat(vim.fn.readfile(repo .. '/README.md'), '\n')
  local after = readme:sub((readme:find('lazy.nvim', 1, true) or #readme))
  local code = after:match('```lua\n(.-)\n%s*```')
  check('the README has a lazy.nvim spec in a lua block', code ~= nil, 'no ```lua block after "lazy.nvim"')
  if not code then
    return
  end
  local chunk, err = loadstring(code)
  check('the spec is valid Lua', chunk ~= nil, err)
  if not chunk then
    return
  end
  local ok, spec = pcall(chunk)
  check('it returns a plugin spec with dir, lazy = false and config', ok and type(spec) == 'table'
    and type(spec.dir) == 'string' and spec.lazy == false and type(spec.config) == 'function', vim.inspect(spec))
  if not (ok and type(spec) == 'table' and type(spec.dir) == 'string') then
    return
  end

  -- lazy.nvim's loading of a local plugin (`dir`, not lazy).
  local dir = vim.fn.expand(spec.dir)
  check('its dir, with the repository cloned where the README says, is the plugin', vim.fn.isdirectory(dir .. '/lsp') == 1
    and vim.fn.filereadable(dir .. '/lsp/hubspot_ls.lua') == 1, dir)
  vim.cmd('filetype plugin on')
  vim.opt.runtimepath:prepend(dir)
  for _, f in ipairs(vim.fn.glob(dir .. '/plugin/**/*.lua', false, true)) do
    vim.cmd('source ' .. vim.fn.fnameescape(f))
  end
  local config_ok, config_err = pcall(spec.config, spec, {})
  check('its config runs', config_ok, tostring(config_err))

  vim.cmd('edit ' .. vim.fn.fnameescape(home .. '/.hscli/config.yml'))
  local buf = vim.api.nvim_get_current_buf()
  local got = wait_for('hubspot-ls on ~/.hscli/config.yml with a `type` diagnostic', function()
    return H.clients('hubspot_ls', buf)[1] ~= nil and H.find_code(buf, 'type') ~= nil
  end)
  check('opening the global config starts hubspot-ls from PATH and shows its diagnostics', got, H.describe(buf))
  local settings = root .. '/project/.hs/settings.json'
  vim.cmd('edit ' .. vim.fn.fnameescape(settings))
  local sbuf = vim.api.nvim_get_current_buf()
  check('... and a project\'s .hs/settings.json too', wait_for('linked-account-unknown', function()
    return H.find_code(sbuf, 'linked-account-unknown') ~= nil
  end), H.describe(sbuf))
  vim.lsp.enable('hubspot_ls', false)
  check('hubspot-ls stops when disabled', wait_for('hubspot-ls to stop', function()
    return #H.clients('hubspot_ls') == 0
  end), #H.clients('hubspot_ls') .. ' clients')
end)
