-- x1051 for Neovim 0.7+ with the built-in client (vim.lsp.start_client). This file is the set-up
-- documented in docs/editors.md and the one the end-to-end test (test/neovim/run.mjs) runs.
--
-- The server command: `x1051 lsp --stdio` after `npm install -g x1051-*.tgz`. The test points
-- X1051_LSP_CMD at the checkout's bundle instead (space-separated words).
local cmd = { 'x1051', 'lsp', '--stdio' }
if vim.env.X1051_LSP_CMD and vim.env.X1051_LSP_CMD ~= '' then
  cmd = vim.split(vim.env.X1051_LSP_CMD, ' ', { trimempty = true })
end

local client_id

local function start()
  if client_id and vim.lsp.get_client_by_id(client_id) then return client_id end
  client_id = vim.lsp.start_client({
    name = 'x1051',
    cmd = cmd,
    -- Two malloc arenas instead of up to eight per CPU, and blocks of 128 KiB and more always
    -- mapped on their own: about 15 MiB less for the server on Linux (the VS Code extension sets
    -- the same; README.md, "Other editors").
    cmd_env = { MALLOC_ARENA_MAX = '2', MALLOC_MMAP_THRESHOLD_ = '131072' },
    root_dir = vim.fn.getcwd(),
    -- Answered to the server's workspace/configuration requests (section "x1051"); the same keys
    -- as the VS Code settings, without the "x1051." prefix.
    settings = {
      x1051 = {
        language = 'auto',
        codeLens = { enabled = true },
        severity = { required = 'warning', recommended = 'information', informative = 'hint' },
      },
    },
  })
  return client_id
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'markdown',
  callback = function(args)
    local id = start()
    if id then vim.lsp.buf_attach_client(args.buf, id) end
  end,
})

-- Go to definition on a control id opens its read-only control document (a generated Markdown
-- file under the cache folder): gd, as with any server. K shows the hover.
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'markdown',
  callback = function(args)
    local opts = { buffer = args.buf }
    vim.keymap.set('n', 'gd', vim.lsp.buf.definition, opts)
    vim.keymap.set('n', 'K', vim.lsp.buf.hover, opts)
    vim.keymap.set('n', '<leader>ca', vim.lsp.buf.code_action, opts)
  end,
})
