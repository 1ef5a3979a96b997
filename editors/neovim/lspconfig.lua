-- dlint's language server for nvim-lspconfig users: `vim.lsp.config` (0.11+) or `lspconfig.configs`.
--
-- Put this in your init.lua (or `:luafile` it). With nvim-lspconfig on Neovim 0.10 or older it
-- registers a custom server `dlint`; Neovim 0.11+ needs no plugin for it.

local cmd = { 'dlint', 'lsp' }
local filetypes = { 'dockerfile' }
local markers = { 'dlint.toml', '.dlint.toml', '.git' }

if vim.lsp.config and vim.lsp.enable then
  vim.lsp.config('dlint', { cmd = cmd, filetypes = filetypes, root_markers = markers })
  vim.lsp.enable('dlint')
else
  local lspconfig = require('lspconfig')
  local configs = require('lspconfig.configs')
  if not configs.dlint then
    configs.dlint = {
      default_config = {
        cmd = cmd,
        filetypes = filetypes,
        root_dir = lspconfig.util.root_pattern(unpack(markers)),
        single_file_support = true,
      },
      docs = {
        description = 'dlint (`dlint lsp`): Dockerfile diagnostics, fixes and rule docs on hover.',
      },
    }
  end
  lspconfig.dlint.setup({})
end
