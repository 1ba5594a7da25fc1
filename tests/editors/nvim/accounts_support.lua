-- What test_nvim_accounts.lua needs besides its scenario: files, the fake HubSpot it starts and
-- its admin API, and prompt stubs that answer and record what the plugin asks.
--
--   local S = dofile(<this folder> .. '/accounts_support.lua')(H)   -- H: harness.lua's table

return function(H)
  local S = {}
  local wait_for = H.wait_for

  function S.write(path, text)
    vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
    local f = assert(io.open(path, 'w'))
    f:write(text)
    f:close()
  end

  function S.read(path)
    local f = io.open(path, 'r')
    if not f then
      return ''
    end
    local text = f:read('*a')
    f:close()
    return text
  end

  --- The list items of the config's `accounts`, each as the text of its lines.
  function S.config_entries(text)
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
  function S.oneline(text)
    return (tostring(text):gsub('%s*\n%s*', ' / '))
  end

  function S.entry_named(text, name)
    for _, e in ipairs(S.config_entries(text)) do
      if e:match('name:%s*["\']?' .. vim.pesc(name) .. '["\']?%s*\n') or e:match('name:%s*["\']?' .. vim.pesc(name) .. '["\']?%s*$') then
        return e
      end
    end
    return nil
  end

  --- Starts the fake HubSpot on a free port (it exits with this Neovim: --parent-pid); its URL.
  function S.start_fake(fake_bin)
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
    S.url = fake_url
    return fake_url
  end

  --- One call of the fake's admin API (HTTP/1.0 over libuv: no chunked answers, closed at the end).
  function S.admin(method, path, body)
    local host, port = S.url:match('^http://([^:/]+):(%d+)')
    local payload = body ~= nil and vim.fn.json_encode(body) or ''
    local tcp = (vim.uv or vim.loop).new_tcp()
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

  --- Replaces vim.ui.select, vim.ui.input and vim.fn.inputsecret (which answers `secret_value`)
  --- with stubs; returns P. `P.answers[prompt pattern]` (patterns no two prompts share) picks an
  --- item (a function of the items and their labels returning the index; nil cancels) or gives
  --- the input's text. Each prompt goes to P.asked, each masked one to P.masked.
  function S.stub_prompts(secret_value)
    local P = { asked = {}, answers = {}, masked = {} }
    S.prompts = P
    P.secret_value = secret_value
    local function answer_for(prompt)
      for pattern, a in pairs(P.answers) do
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
      P.asked[#P.asked + 1] = { prompt = opts.prompt, labels = labels, items = items }
      local a = answer_for(opts.prompt)
      local i = type(a) == 'function' and a(items, labels) or nil
      on_choice(i and items[i] or nil, i)
    end
    vim.ui.input = function(opts, on_confirm)
      P.asked[#P.asked + 1] = { prompt = opts.prompt }
      local a = answer_for(opts.prompt)
      on_confirm(type(a) == 'string' and a or nil)
    end
    -- Secret values are read masked: recorded apart, so a check can tell which prompt read them.
    vim.fn.inputsecret = function(prompt)
      P.masked[#P.masked + 1] = prompt
      return P.secret_value
    end
    function P.prompt_of(pattern)
      for _, p in ipairs(P.asked) do
        if tostring(p.prompt):find(pattern) then
          return p
        end
      end
      return nil
    end
    function P.index_of(pred)
      return function(items, labels)
        for i, item in ipairs(items) do
          if pred(item, labels[i]) then
            return i
          end
        end
        return nil
      end
    end
    function P.asked_text()
      return S.oneline(vim.inspect(P.asked))
    end
    return P
  end

  return S
end
