-- What the Neovim suites share: PASS/FAIL lines under the suite's name, the closing
-- `NAME: N passed, N failed` line (tests/editors/run.sh adds these up), waiting for a state
-- within one deadline, and reading diagnostics.
--
--   local H = dofile(<this folder> .. '/harness.lua')('nvim')
--   H.run(function() ... H.check('what a user sees', ok, 'why not') ... end)

return function(suite)
  local H = {}
  -- The same suite run by another Neovim reports under its own name (NVIM_SUITE_SUFFIX).
  suite = suite .. (os.getenv('NVIM_SUITE_SUFFIX') or '')
  H.suite = suite

  -- The one deadline for anything the tests wait on (a state, a request): generous, since a
  -- debug build on a loaded machine is slow, and a state that is reached ends the wait at once.
  H.timeout = tonumber(os.getenv('NVIM_TEST_TIMEOUT_MS') or '') or 30000

  local passed, failed = 0, 0

  function H.out(s)
    io.stdout:write(s .. '\n')
    io.stdout:flush()
  end

  function H.check(name, ok, detail)
    if ok then
      passed = passed + 1
      H.out('PASS ' .. suite .. ': ' .. name)
    else
      failed = failed + 1
      H.out('FAIL ' .. suite .. ': ' .. name .. (detail and (': ' .. detail) or ''))
    end
  end

  --- Waits until `predicate()` holds; returns whether it did before the deadline.
  function H.wait_for(what, predicate)
    local reached = vim.wait(H.timeout, function()
      return predicate() and true or false
    end, 20)
    if not reached then
      H.out(string.format('%s: gave up after %d ms waiting for %s', suite, H.timeout, what))
    end
    return reached
  end

  --- Prints the closing count and quits Neovim: status 0 when every check passed.
  function H.finish()
    H.out(string.format('%s: %d passed, %d failed', suite, passed, failed))
    vim.schedule(function()
      os.exit(failed == 0 and 0 or 1)
    end)
  end

  --- Runs the suite's body, then finish(): an error in the body is a failure, never a hang.
  function H.run(body)
    local ok, err = xpcall(body, debug.traceback)
    if not ok then
      H.check('test script ran to the end', false, tostring(err))
    end
    H.finish()
  end

  --- Records each vim.deprecate warning raised from a file under `dir` (the plugin): each entry
  --- is the deprecated name and where it was called. No-op where vim.deprecate does not exist.
  function H.watch_deprecations(dir)
    local seen = {}
    local real = vim.deprecate
    if type(real) ~= 'function' then
      return seen
    end
    vim.deprecate = function(name, ...)
      -- The full source of each caller (a traceback shortens long paths).
      for level = 2, 40 do
        local info = debug.getinfo(level, 'Sl')
        if not info then
          break
        end
        if info.source:sub(2, #dir + 1) == dir then
          seen[#seen + 1] = tostring(name) .. ' at ' .. info.source:sub(2) .. ':' .. tostring(info.currentline)
          break
        end
      end
      return real(name, ...)
    end
    return seen
  end

  --- A client's request, recorded: `client.request` wrapped so that both call styles work (0.7:
  --- `client.request(method, …)`; 0.11+: `client:request(method, …)`). `log(method, params)`.
  function H.record_requests(client, log)
    local real = client.request
    client.request = function(...)
      local args = { ... }
      local i = args[1] == client and 2 or 1
      log(args[i], args[i + 1])
      return real(...)
    end
  end

  --- The clients named `name` (attached to `bufnr` when given), on any Neovim from 0.7.
  function H.clients(name, bufnr)
    if vim.lsp.get_clients then
      return vim.lsp.get_clients({ name = name, bufnr = bufnr })
    end
    local out = {}
    for _, c in pairs(bufnr and vim.lsp.buf_get_clients(bufnr) or vim.lsp.get_active_clients()) do
      if c.name == name then
        out[#out + 1] = c
      end
    end
    return out
  end

  --- A diagnostic's code (0.7 keeps the LSP one in user_data when `code` is unset).
  function H.code_of(d)
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    return code
  end

  --- The buffer's first diagnostic with `code` (on 1-based `line`, when given), or nil.
  function H.find_code(buf, code, line)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if H.code_of(d) == code and (line == nil or d.lnum + 1 == line) then
        return d
      end
    end
    return nil
  end

  --- The buffer's diagnostics in one line, for failure details.
  function H.describe(buf)
    local parts = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      parts[#parts + 1] = string.format('%d:%d [%s] %s', d.lnum + 1, d.col + 1, tostring(H.code_of(d)), d.message)
    end
    return '[' .. table.concat(parts, ' | ') .. ']'
  end

  return H
end
