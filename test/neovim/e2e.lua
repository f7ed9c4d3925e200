-- The Neovim end-to-end scenario, run by test/neovim/run.mjs inside `nvim --headless` with
-- init.lua: open a Japanese and an English policy, wait for diagnostics, hover a control id, go
-- to a control document, apply a code action, save, close, reopen, and check the results. Every
-- step goes through Neovim's own LSP client. Results are written as JSON to $X1051_E2E_OUT.
local out = {}
local function fail(msg)
  out.error = msg
  local f = io.open(vim.env.X1051_E2E_OUT, 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('cquit 1')
end
local function check(cond, msg) if not cond then fail(msg) end end

local function x1051_diagnostics(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'x1051' then table.insert(list, d) end
  end
  return list
end
local function count(list, code)
  local n = 0
  for _, d in ipairs(list) do
    local c = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if c == code then n = n + 1 end
  end
  return n
end
local function wait(what, fn, ms)
  check(vim.wait(ms or 20000, fn, 50), 'timed out waiting for ' .. what)
end
local function request(buf, method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, 10000)
  check(responses ~= nil, method .. ': no response')
  for _, r in pairs(responses) do
    check(r.err == nil, method .. ': ' .. vim.inspect(r.err))
    return r.result
  end
end
local function hover_text(buf, line, character)
  local result = request(buf, 'textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character } })
  check(result and result.contents, 'hover: no result')
  return type(result.contents) == 'table' and (result.contents.value or '') or tostring(result.contents)
end

-- Publications per uri, to wait for the one that follows an event (the disk copy's carry no version).
local published = {}
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result then
    local p = published[result.uri] or {}
    table.insert(p, result)
    published[result.uri] = p
  end
  return default_publish(err, result, ctx, config)
end

local ok, err = pcall(function()
  -- 1. The Japanese policy: TEL.18.1.6 claimed, elements missing.
  vim.cmd('edit ja.md')
  local ja = vim.api.nvim_get_current_buf()
  wait('diagnostics of ja.md', function() return count(x1051_diagnostics(ja), 'missing-item') > 0 end)
  local before = x1051_diagnostics(ja)
  out.ja_missing_before = count(before, 'missing-item')
  out.ja_messages = {}
  for _, d in ipairs(before) do table.insert(out.ja_messages, d.message) end

  -- 2. Hover on the control id of the heading (line 3, "## 第3条 通信の秘密（TEL.18.1.6）").
  local line = vim.api.nvim_buf_get_lines(ja, 2, 3, false)[1]
  local col = line:find('TEL', 1, true)
  -- Columns for LSP are UTF-16 code units: the prefix is Japanese (one unit per character here).
  local prefix = line:sub(1, col - 1)
  out.hover_ja = hover_text(ja, 2, vim.str_utfindex(prefix) + 2)

  -- 3. Go to definition: a control document the editor can open.
  local defs = request(ja, 'textDocument/definition', { textDocument = { uri = vim.uri_from_bufnr(ja) }, position = { line = 2, character = vim.str_utfindex(prefix) + 2 } })
  check(defs and defs[1], 'definition: no location')
  out.definition_uri = defs[1].uri or defs[1].targetUri
  local def_file = vim.uri_to_fname(out.definition_uri)
  out.definition_readable = vim.fn.filereadable(def_file) == 1
  out.definition_first_line = (vim.fn.readfile(def_file, '', 1) or {})[1]

  -- 4. A code action on a missing item: the quick fix inserting its stub.
  local target
  for _, d in ipairs(before) do
    if count({ d }, 'missing-item') == 1 and d.severity == vim.diagnostic.severity.WARN then target = d break end
  end
  check(target ~= nil, 'no missing-item warning')
  -- The lines of the finding (vim.diagnostic columns are bytes; whole lines need no conversion).
  local range = { start = { line = target.lnum, character = 0 }, ['end'] = { line = target.end_lnum + 1, character = 0 } }
  local actions = request(ja, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(ja) },
    range = range,
    context = { diagnostics = { { range = range, message = target.message, code = 'missing-item', source = 'x1051', severity = 2 } }, only = { 'quickfix' } },
  })
  -- The quick fix of this finding: its title names the missing element.
  local wanted = target.message:match('TEL%.18%.1%.6 (%a%))')
  check(actions and #actions > 0, 'no code action')
  local action = actions[1]
  for _, a in ipairs(actions) do
    if wanted and a.title:find(wanted, 1, true) then action = a break end
  end
  out.action_title = action.title
  check(action.edit ~= nil, 'the code action has no edit')
  vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
  out.buffer_has_stub = table.concat(vim.api.nvim_buf_get_lines(ja, 0, -1, false), '\n'):find('x1051-stub', 1, true) ~= nil
  -- A stub is a placeholder: its item stays missing and the stub is an unfilled-stub warning.
  wait('the stub is reported as unfilled-stub', function() return count(x1051_diagnostics(ja), 'unfilled-stub') == 1 end)
  out.ja_missing_after_fix = count(x1051_diagnostics(ja), 'missing-item')
  out.ja_unfilled_after_fix = count(x1051_diagnostics(ja), 'unfilled-stub')

  -- 5. Save and close: the server re-reads the file (no watched-files notification in 0.7).
  vim.cmd('write')
  local uri = vim.uri_from_bufnr(ja)
  local seen = #(published[uri] or {})
  vim.cmd('bdelete')
  -- After the close, the server republishes the disk copy's diagnostics (no version) for that uri.
  wait('diagnostics published after the close', function()
    local p = published[uri] or {}
    return #p > seen and p[#p].version == nil
  end)
  local last = published[uri][#published[uri]]
  out.ja_missing_after_close = 0
  for _, d in ipairs(last.diagnostics) do
    if d.code == 'missing-item' then out.ja_missing_after_close = out.ja_missing_after_close + 1 end
  end
  local stale = out.ja_missing_after_close > out.ja_missing_after_fix
  check(not stale, 'stale diagnostics after save and close: ' .. out.ja_missing_after_close .. ' > ' .. out.ja_missing_after_fix)

  -- 6. Reopen: the saved fix is there and the diagnostics agree.
  vim.cmd('edit ja.md')
  local again = vim.api.nvim_get_current_buf()
  out.reopened_has_stub = table.concat(vim.api.nvim_buf_get_lines(again, 0, -1, false), '\n'):find('x1051-stub', 1, true) ~= nil
  wait('diagnostics after reopening', function()
    local d = x1051_diagnostics(again)
    return #d > 0 and count(d, 'missing-item') == out.ja_missing_after_fix
  end)
  out.ja_missing_reopened = count(x1051_diagnostics(again), 'missing-item')

  -- 7. The English policy: English messages and hover.
  vim.cmd('edit en.md')
  local en = vim.api.nvim_get_current_buf()
  wait('diagnostics of en.md', function() return count(x1051_diagnostics(en), 'missing-item') > 0 end)
  out.en_messages = {}
  for _, d in ipairs(x1051_diagnostics(en)) do table.insert(out.en_messages, d.message) end
  out.hover_en = hover_text(en, 2, 5)

  local client = vim.lsp.get_client_by_id(1)
  out.server_name = client and client.name
  -- The server's environment (init.lua's cmd_env), read from /proc.
  local environ = client and client.rpc and client.rpc.pid and io.open('/proc/' .. client.rpc.pid .. '/environ', 'rb')
  if environ then
    -- A NUL in front, so that the first entry matches like the others (the order is the spawner's).
    -- Every MALLOC_ variable, compared by run.mjs with server/src/serverEnvironment.json.
    out.server_malloc_env = {}
    for name, value in ('\0' .. environ:read('*a')):gmatch('%z(MALLOC_[^=%z]*)=([^%z]*)') do out.server_malloc_env[name] = value end
    environ:close()
  end
end)
if not ok then fail(tostring(err)) end

local f = io.open(vim.env.X1051_E2E_OUT, 'w')
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qall!')
