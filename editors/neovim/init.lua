-- Example Neovim init.lua: `dlint lsp` for Dockerfiles with the built-in client, Neovim 0.7+.
--
-- Try it: `nvim -u editors/neovim/init.lua Dockerfile`, or copy the parts below into your own
-- init.lua. The `dlint` executable must be on PATH (`cargo install --locked --path .`), or set
-- `cmd` to its absolute path.

-- Neovim 0.7 does not detect `*.dockerfile`; Containerfile and the other names dlint lints are
-- recognised already.
vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
  pattern = '*.dockerfile',
  command = 'setfiletype dockerfile',
})

local markers = { 'dlint.toml', '.dlint.toml', '.git' }

-- The nearest directory at or above the file's holding a marker, or the file's own directory.
local function root_dir(path)
  local start = vim.fn.fnamemodify(path, ':p:h')
  if vim.fs then -- Neovim 0.8+
    local found = vim.fs.find(markers, { upward = true, path = start })[1]
    return found and vim.fs.dirname(found) or start
  end
  local dir = start
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return start
    end
    dir = parent
  end
end

-- Mappings for buffers the server attaches to: hover shows the rule's documentation, code
-- actions offer each fix and "fix all", formatting applies the safe fixes.
local function on_attach(_, bufnr)
  local function map(lhs, rhs)
    vim.keymap.set('n', lhs, rhs, { buffer = bufnr })
  end
  map('K', vim.lsp.buf.hover)
  map('<leader>ca', vim.lsp.buf.code_action)
  map('<leader>f', function()
    if vim.lsp.buf.format then -- Neovim 0.8+
      vim.lsp.buf.format({ name = 'dlint' })
    else
      vim.lsp.buf.formatting()
    end
  end)
end

-- Neovim 0.7 only: one client per root directory, started once and attached to each buffer.
local clients = {}

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'dockerfile',
  callback = function(args)
    local root = root_dir(vim.api.nvim_buf_get_name(args.buf))
    local config = {
      name = 'dlint',
      cmd = { 'dlint', 'lsp' },
      root_dir = root,
      on_attach = on_attach,
    }
    if vim.lsp.start then -- Neovim 0.8+: reuses the client with the same name and root
      vim.lsp.start(config, { bufnr = args.buf })
      return
    end
    local id = clients[root]
    if id == nil or vim.lsp.get_client_by_id(id) == nil then
      id = vim.lsp.start_client(config)
      clients[root] = id
    end
    if id then
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
