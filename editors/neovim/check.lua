-- Headless end-to-end check of a Neovim setup: dlint's diagnostics arrive, formatting fixes.
--
--   nvim --headless -u editors/neovim/init.lua -c 'luafile editors/neovim/check.lua' Dockerfile
--
-- Exits 0 when the server published diagnostics for the buffer, 1 when none came within 20 s.

local function out(line)
  io.stdout:write(line, '\n')
end

local bufnr = vim.api.nvim_get_current_buf()
local got = vim.wait(20000, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 50)
if not got then
  out('no diagnostics from dlint for ' .. vim.api.nvim_buf_get_name(bufnr))
  vim.cmd('cquit 1')
end

for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  out(string.format('%d:%d: %s[%s] %s', d.lnum + 1, d.col + 1, d.source or '', d.code or lsp.code or '', d.message))
end

if vim.lsp.buf.format then -- Neovim 0.8+
  vim.lsp.buf.format({ bufnr = bufnr, timeout_ms = 10000 })
else
  vim.lsp.buf.formatting_sync(nil, 10000)
end
out('formatted:')
for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  out(line)
end
vim.cmd('qa!')
