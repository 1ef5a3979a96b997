-- End-to-end check of `dlint lsp` with a real editor: Neovim (0.7, Debian's) headless attaches
-- the server to a Dockerfile buffer, waits for its diagnostics, asks for code actions at the
-- first finding, applies the preferred quick fix, waits for the re-lint, and writes what it saw
-- as JSON to $OUT. Run by src/tests/lsp.rs: nvim --headless -u NONE -i NONE -c 'luafile THIS'.
local dlint, file, out = os.getenv('DLINT'), os.getenv('FILE'), os.getenv('OUT')
local result = { steps = {} }

local function finish(ok)
  result.ok = ok
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qa!')
end

local function step(name) table.insert(result.steps, name) end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
vim.bo.filetype = 'dockerfile'
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'dlint',
  cmd = { dlint, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
})
if not client_id then
  result.error = 'start_client failed'
  return finish(false)
end
vim.lsp.buf_attach_client(bufnr, client_id)
step('attached')

local function diagnostics()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, { code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message, source = d.source })
  end
  return list
end

if not vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
  result.error = 'no diagnostics arrived'
  return finish(false)
end
result.before = diagnostics()
step('diagnostics')

-- The cache-in-layer finding: ask for code actions on it and apply the preferred quick fix.
local target
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  if d.code == 'cache-in-layer/DL3009' then target = d end
end
if not target then
  result.error = 'no cache-in-layer diagnostic'
  return finish(false)
end
local params = {
  textDocument = vim.lsp.util.make_text_document_params(bufnr),
  range = { start = { line = target.lnum, character = target.col }, ['end'] = { line = target.end_lnum, character = target.end_col } },
  context = { diagnostics = {} },
}
local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000) or {}
local chosen
result.actions = {}
for _, res in pairs(responses) do
  for _, action in ipairs(res.result or {}) do
    table.insert(result.actions, action.title)
    if action.kind == 'quickfix' and action.isPreferred and not chosen then chosen = action end
  end
end
if not chosen then
  result.error = 'no preferred quick fix'
  return finish(false)
end
vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
step('applied')
result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

-- The edit changes the buffer: Neovim sends didChange and the server publishes again.
local relinted = vim.wait(15000, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'cache-in-layer/DL3009' then return false end
  end
  return true
end, 20)
result.after = diagnostics()
if not relinted then
  result.error = 'the finding did not go away after the fix'
  return finish(false)
end
step('relinted')

-- Hover on the FROM keyword.
local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
  textDocument = vim.lsp.util.make_text_document_params(bufnr),
  position = { line = 0, character = 1 },
}, 10000) or {}
for _, res in pairs(hover) do
  if res.result and res.result.contents then result.hover = res.result.contents.value end
end
step('hover')

vim.lsp.stop_client(client_id)
finish(true)
