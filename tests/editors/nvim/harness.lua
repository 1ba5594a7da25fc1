-- What the Neovim suites share: PASS/FAIL lines under the suite's name, the closing
-- `NAME: N passed, N failed` line (tests/editors/run.sh adds these up), waiting for a state
-- within one deadline, and reading diagnostics.
--
--   local H = dofile(<this folder> .. '/harness.lua')('nvim')
--   H.run(function() ... H.check('what a user sees', ok, 'why not') ... end)

return function(suite)
  local H = {}

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
